// check:layers on small fixture trees written to a temp folder: a clean tree passes, and each kind
// of breach (folder cycle, engine file cycle, engine I/O, worker importing the page, comlink outside
// src/trainer) is reported with its file:line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLayers, layerOrder } from './checkLayers';

const roots: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  roots.push(root);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), text);
  }
  return root;
}
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

// A tree that keeps the rule: engine at the ground, config on it, workers on both, the page above.
const clean: Record<string, string> = {
  'src/engine/a.ts': "import { b } from './b';\nexport const a = b + 1;\n",
  'src/engine/b.ts':
    'export const b = 1;\n// fetch in a comment is fine\nconst o = { fetch: 1 };\nexport const c = o.fetch;\n',
  'src/config/schema.ts': "import { a } from '../engine/a';\nexport const s = a;\n",
  'workers/protocol.ts': 'export type Msg = { n: number };\n',
  'workers/w.ts':
    "import { s } from '../src/config/schema';\nimport * as Comlink from 'comlink';\nexport const w = [s, Comlink];\n",
  'src/trainer/client.ts':
    "import * as Comlink from 'comlink';\nexport const make = () => new Worker(new URL('../../workers/w.ts', import.meta.url));\nexport const c = Comlink;\n",
  'src/trainer/bridge.ts': "import { make as m } from './client';\nexport const make = m;\n",
  'src/state/store.ts':
    "import type { Msg } from '../../workers/protocol';\nimport { make } from '../trainer/bridge';\nexport const st = [make] as unknown as Msg[];\n",
  'src/components/P.tsx': "import { st } from '../state/store';\nexport const P = () => st.length;\n",
  'src/App.tsx': "export { P } from './components/P';\n",
  'src/engine/a.test.ts': "import { st } from '../state/store';\nexport const t = st;\n",
};

describe('check:layers', () => {
  it('passes a tree that keeps the rule, and orders its folders from the ground up', () => {
    const r = checkLayers(tree(clean));
    expect(r.violations).toEqual([]);
    const order = layerOrder(r.folderEdges);
    expect(order[0]).toEqual(['src/engine']);
    expect(order.flat().indexOf('workers')).toBeLessThan(order.flat().indexOf('src/trainer'));
    expect(order.at(-1)).toEqual(['src']);
  });

  it('reports a cycle between folders, seen through a type import, a re-export and a dynamic import', () => {
    const r = checkLayers(
      tree({
        ...clean,
        'src/compare/x.ts': "export type { Msg } from '../state/store';\n",
        'src/state/y.ts': "import type { Msg } from '../compare/x';\nexport const y = (m: Msg) => m;\n",
        'src/state/z.ts': "export const z = () => import('../lessons/l');\n",
        'src/lessons/l.ts': "import { y } from '../state/y';\nexport const l = y;\n",
      }),
    );
    const cyc = r.violations.filter((v) => v.message.startsWith('folder cycle'));
    expect(cyc).toHaveLength(1);
    expect(cyc[0].message).toContain('src/compare, src/lessons, src/state');
    expect(cyc[0].message).toContain("src/compare/x.ts:1 '../state/store'");
    expect(cyc[0].message).toContain("src/state/z.ts:1 '../lessons/l'");
  });

  it('reports a file cycle inside the engine, engine I/O and an engine import from outside', () => {
    const r = checkLayers(
      tree({
        ...clean,
        'src/engine/b.ts':
          "import { a } from './a';\nexport const b = 1;\nexport const g = () => fetch('x');\nexport const k = a;\n",
        'src/engine/data/d.ts':
          "import { readFile } from 'node:fs/promises';\nimport { s } from '../../config/schema';\nexport const d = [readFile, s, document.baseURI];\n",
      }),
    );
    const msgs = r.violations.map((v) => `${v.file}:${v.line}: ${v.message.split('\n')[0]}`);
    expect(msgs).toContain(
      'src/engine/b.ts:3: uses the global `fetch` (I/O or a page/worker environment): src/engine does no I/O',
    );
    expect(msgs.some((m) => m.startsWith("src/engine/data/d.ts:1: imports 'node:fs/promises'"))).toBe(true);
    expect(msgs.some((m) => m.startsWith("src/engine/data/d.ts:2: imports '../../config/schema'"))).toBe(true);
    expect(msgs.some((m) => m.startsWith('src/engine/data/d.ts:3: uses the global `document`'))).toBe(true);
    expect(msgs.some((m) => m.includes('file cycle inside src/engine between src/engine/a.ts, src/engine/b.ts'))).toBe(
      true,
    );
    // config -> engine and engine -> config: also a folder cycle
    expect(msgs.some((m) => m.startsWith('src/config/schema.ts:1: folder cycle between src/config, src/engine'))).toBe(
      true,
    );
  });

  it('reports a worker importing the page, comlink and the worker outside src/trainer, a view importing the bridge, and the app importing test-support', () => {
    const r = checkLayers(
      tree({
        ...clean,
        'workers/bad.ts': "import { P } from '../src/components/P';\nexport const b = P;\n",
        'src/components/Q.tsx':
          "import { wrap } from 'comlink';\nimport { make } from '../trainer/client';\nexport const q = [wrap, make, new URL('../../workers/w.ts', import.meta.url)];\n",
        'test-support/arb.ts': 'export const arb = 1;\n',
        'src/state/uses.ts': "import { arb } from '../../test-support/arb';\nexport const u = arb;\n",
        'src/components/R.tsx': "import { make } from '../trainer/bridge';\nexport const R = make;\n",
      }),
    );
    const where = r.violations.map((v) => `${v.file}:${v.line}`);
    expect(where).toContain('workers/bad.ts:1');
    expect(where).toContain('src/components/Q.tsx:1');
    expect(where).toContain('src/components/Q.tsx:2');
    expect(where).toContain('src/components/Q.tsx:3');
    expect(where).toContain('src/state/uses.ts:1');
    // a view reaching for the bridge itself instead of useRunBuffers
    expect(r.violations.find((v) => v.file === 'src/components/R.tsx')?.message).toMatch(/useRunBuffers/);
    // the test file importing upward (src/engine/a.test.ts) is not a breach
    expect(where.some((w) => w.includes('.test.'))).toBe(false);
  });

  it('reports an import that resolves to no file', () => {
    const r = checkLayers(tree({ ...clean, 'src/state/gone.ts': "export * from './moved';\n" }));
    expect(r.violations.map((v) => `${v.file}:${v.line}: ${v.message}`)).toEqual([
      "src/state/gone.ts:1: import './moved' resolves to no file",
    ]);
  });
});
