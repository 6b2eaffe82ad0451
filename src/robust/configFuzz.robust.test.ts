// Bad links and files, by the thousand: every one gives a valid config (fields it got right
// kept, the bad ones at their defaults and named) or a refusal message; none throws.
// Figures: inputs tried per channel and category, outcomes. `npm run test:robust` runs ten
// times as many inputs (ROBUST_SCALE=full) with a seed of its own.
import { describe, expect, it } from 'vitest';
import { CATEGORIES, type Category, type Channel, fuzzInputs } from '../../test-support/configInputs';
import { judge, type Outcome } from '../../test-support/configOracle';
import { recordFigures, robustScale, scaled } from '../../test-support/figures';
import { decodeHash } from '../config/urlHash';

const OUTCOMES: Outcome[] = ['clean', 'repaired', 'refused', 'exception', 'violation'];

describe('config fuzz: links, files and in-memory configs', () => {
  it('turns every malformed, truncated, oversized, wrong-typed and outdated input into a valid config or a message', () => {
    const seed = Number(process.env.ROBUST_SEED ?? (robustScale() === 'full' ? Date.now() % 1e9 : 20240611));
    const inputs = fuzzInputs(scaled(80, 800), seed);
    const byCategory = Object.fromEntries(
      CATEGORIES.map((c) => [c, Object.fromEntries(OUTCOMES.map((o) => [o, 0]))]),
    ) as Record<Category, Record<Outcome, number>>;
    const byChannel: Record<Channel, number> = { object: 0, file: 0, hash: 0, compare: 0 };
    const failures: string[] = [];
    const t0 = performance.now();
    for (const { channel, category, input } of inputs) {
      const v = judge(channel, input);
      byCategory[category][v.outcome]++;
      byChannel[channel]++;
      if (v.violations.length > 0 && failures.length < 12) {
        const shown = typeof input === 'string' ? input.slice(0, 160) : JSON.stringify(input)?.slice(0, 160);
        failures.push(`[${channel}/${category}] ${v.violations.slice(0, 3).join(' | ')}\n    input: ${shown}`);
      }
    }
    const total = (o: Outcome) => CATEGORIES.reduce((a, c) => a + byCategory[c][o], 0);
    recordFigures('config-fuzz', {
      seed,
      inputsTried: inputs.length,
      byChannel,
      outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, total(o)])),
      byCategory,
      ms: Math.round(performance.now() - t0),
    });
    expect(failures, failures.join('\n')).toEqual([]);
    expect(inputs.length).toBeGreaterThanOrEqual(1000);
    // Every category was exercised and most inputs needed repair: the generators really break things.
    for (const c of CATEGORIES) expect(OUTCOMES.reduce((a, o) => a + byCategory[c][o], 0)).toBeGreaterThan(0);
    expect(total('repaired') + total('refused')).toBeGreaterThan(inputs.length / 2);
    // Nothing from the inputs leaked onto shared prototypes.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names the field for each hand-picked nasty value and keeps the rest', () => {
    const cases: [string, string][] = [
      ['#lr=NaN&v=1', 'optimizer.lr'],
      ['#lr=Infinity&v=1', 'optimizer.lr'],
      ['#hidden=-8:relu&v=1', 'model.hidden[0].units'],
      ['#hidden=1000000000:relu&v=1', 'model.hidden[0].units'],
      ['#data=%3Cscript%3Ealert(1)%3C%2Fscript%3E&v=1', 'data.name'],
      ['#batch=16.5&opt=adam&v=1', 'batchSize'],
    ];
    for (const [hash, field] of cases) {
      const v = judge('hash', hash);
      expect(v.violations, hash).toEqual([]);
      expect(v.outcome, hash).toBe('repaired');
      expect(decodeHash(hash).notices.map((n) => n.path)).toContain(field);
    }
    // The oracle itself catches a parser that drops a good field or keeps a bad one.
    expect(judge('hash', '#lr=0.5&v=1').outcome).toBe('clean');
  });
});
