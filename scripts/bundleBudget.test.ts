import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { budgetReport, checkBudget, firstScreenFiles, type Manifest, onDemandFiles } from './bundleBudget';

// A manifest shaped like Vite's: the entry imports a shared chunk statically, which imports another;
// lessons and KaTeX are reached only through import(); the shared chunk and the lessons import each other.
const MANIFEST: Manifest = {
  'index.html': {
    file: 'assets/main.js',
    isEntry: true,
    imports: ['_shared.js'],
    dynamicImports: ['src/Lessons.tsx', 'node_modules/katex/katex.mjs'],
  },
  '_shared.js': { file: 'assets/shared.js', imports: ['_deep.js', '_style.css'] },
  '_deep.js': { file: 'assets/deep.js', imports: ['_shared.js'] },
  '_style.css': { file: 'assets/style.css' },
  'src/Lessons.tsx': {
    file: 'assets/Lessons.js',
    imports: ['_shared.js'],
    dynamicImports: ['node_modules/katex/katex.mjs'],
  },
  'node_modules/katex/katex.mjs': { file: 'assets/katex.js' },
};

/** Bytes that gzip cannot shrink (a fixed linear congruential stream). */
function incompressible(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

describe('first-screen budget reader', () => {
  it('follows static imports transitively (cycles included) and leaves dynamic imports and CSS out', () => {
    expect(firstScreenFiles(MANIFEST)).toEqual(['assets/main.js', 'assets/shared.js', 'assets/deep.js']);
    expect(onDemandFiles(MANIFEST).sort()).toEqual(['assets/Lessons.js', 'assets/katex.js']);
  });

  it('names a missing entry or a dangling import', () => {
    expect(() => firstScreenFiles(MANIFEST, 'other.html')).toThrow(/no entry 'other.html'/);
    const broken: Manifest = { 'index.html': { file: 'a.js', isEntry: true, imports: ['_gone.js'] } };
    expect(() => firstScreenFiles(broken)).toThrow(/'_gone.js'/);
  });

  it('sums the gzip sizes of the files and compares them with the budget', () => {
    const files: Record<string, Uint8Array> = { 'a.js': incompressible(3000, 1), 'b.js': new Uint8Array(50_000) };
    const r = budgetReport(Object.keys(files), (f) => files[f], 4000);
    expect(r.rows.map((x) => x.bytes)).toEqual([3000, 50_000]);
    for (const row of r.rows) expect(row.gzip).toBe(gzipSync(files[row.file], { level: 9 }).byteLength);
    expect(r.rows[0].gzip).toBeGreaterThan(3000); // random bytes do not shrink
    expect(r.rows[1].gzip).toBeLessThan(200); // zeros do
    expect(r.totalGzip).toBe(r.rows[0].gzip + r.rows[1].gzip);
    expect(r.ok).toBe(true);
    expect(budgetReport(Object.keys(files), (f) => files[f], r.totalGzip - 1).ok).toBe(false);
  });

  it('reads a build folder and fails when the first screen is over, not when on-demand chunks are big', () => {
    const dir = mkdtempSync(join(tmpdir(), 'budget-'));
    mkdirSync(join(dir, '.vite'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, '.vite/manifest.json'), JSON.stringify(MANIFEST));
    const sizes: Record<string, number> = { main: 20_000, shared: 5000, deep: 1000, Lessons: 90_000, katex: 90_000 };
    for (const [name, n] of Object.entries(sizes)) writeFileSync(join(dir, `assets/${name}.js`), incompressible(n));
    const ok = checkBudget(dir, 30_000);
    expect(ok.rows.map((r) => r.file)).toEqual(['assets/main.js', 'assets/shared.js', 'assets/deep.js']);
    expect(() => checkBudget(dir, 25_000)).toThrow(/OVER/);
  });
});
