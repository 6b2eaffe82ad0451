// The config fuzz's oracle (test-support/configOracle.ts) decides validity from the field table, not with the
// parser's checkField: here checkField is broken on purpose (a mutated copy of schema.ts stands in
// for the real one behind the parser, the link decoder and the file import) and the oracle must
// disagree with the parser on the fuzz inputs plus a few boundary values. With the real
// checkField the same inputs give no violation (configFuzz.robust.test.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const CONFIG_DIR = join(dirname(fileURLToPath(import.meta.url)), '../config');
const SOURCE = readFileSync(join(CONFIG_DIR, 'schema.ts'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'descent-mutant-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** [what the mutant gets wrong, text of checkField, its replacement] */
const MUTANTS: [string, string, string][] = [
  ['maximum doubled', 'if (v > f.max)', 'if (v > f.max * 2)'],
  ['minimum itself refused', 'if (v < f.min)', 'if (v <= f.min)'],
  ['fractions allowed in integer fields', 'if (f.integer && !Number.isInteger(v))', 'if (f.integer && v < 0)'],
  ['NaN allowed', 'if (!Number.isFinite(v))', 'if (Math.abs(v) === Number.POSITIVE_INFINITY)'],
  [
    'any string allowed in an enum',
    "if (typeof v !== 'string' || !f.values.includes(v))",
    "if (typeof v !== 'string')",
  ],
  [
    '0 and 1 taken as booleans',
    "return typeof v === 'boolean' ? null",
    "return typeof v === 'boolean' || v === 0 || v === 1 ? null",
  ],
];

/** Boundary values the fuzz might not draw: each mutant above mishandles at least one. */
const BOUNDARY: unknown[] = [
  { batchSize: 2000 },
  { seed: 0, data: { noise: 0, samples: 20 } },
  { batchSize: 16.5 },
  { optimizer: { lr: Number.NaN } },
  { optimizer: { name: 'sgdx' } },
  { data: { shuffle: 1 } },
];

let files = 0;

/** The oracle and inputs, loaded against a schema.ts whose checkField has `find` replaced. */
async function withMutant(find: string, replace: string) {
  if (!SOURCE.includes(find)) throw new Error(`mutation target not found in schema.ts: ${find}`);
  const file = join(tmp, `schema-${files++}.ts`);
  const mutated = SOURCE.replace(find, replace)
    .replace(/from '\.\.\//g, `from '${CONFIG_DIR}/../`)
    .replace(/from '\.\//g, `from '${CONFIG_DIR}/`);
  writeFileSync(file, mutated);
  vi.resetModules();
  vi.doMock('../config/schema', () => import(/* @vite-ignore */ file));
  const oracle = await import('../../test-support/configOracle');
  const inputs = await import('../../test-support/configInputs');
  vi.doUnmock('../config/schema');
  return { ...oracle, ...inputs };
}

/** Inputs the oracle flags as violations, out of the fuzz inputs and the boundary values. */
async function flagged(find: string, replace: string): Promise<{ violations: number; total: number; seen: string[] }> {
  const { judge, fuzzInputs } = await withMutant(find, replace);
  let violations = 0;
  const seen: string[] = [];
  const all = [
    ...fuzzInputs(15, 20240611),
    ...BOUNDARY.map((input) => ({ channel: 'object' as const, input })),
    ...BOUNDARY.map((input) => ({ channel: 'file' as const, input: JSON.stringify(input) })),
  ];
  for (const { channel, input } of all) {
    const v = judge(channel, input);
    if (v.outcome === 'violation') {
      violations++;
      if (seen.length < 2) seen.push(v.violations[0]);
    }
  }
  return { violations, total: all.length, seen };
}

describe('the config oracle does not trust checkField', () => {
  it('the unmutated copy, loaded the same way: no violation (the harness itself flags nothing)', async () => {
    const r = await flagged('', '');
    expect(r.seen).toEqual([]);
    expect(r.total).toBeGreaterThan(300);
  });

  for (const [name, find, replace] of MUTANTS) {
    it(`catches a checkField with ${name}`, async () => {
      const r = await flagged(find, replace);
      console.log(`${name}: ${r.violations} of ${r.total} inputs flagged, e.g. ${r.seen.join(' | ')}`);
      expect(r.violations).toBeGreaterThan(0);
    });
  }
});
