// The first screen's JavaScript budget (issue 16 §4: a school network is slow). What the first
// screen loads = the HTML entry's chunk plus every chunk it imports statically, transitively
// (Vite's manifest: `imports`); chunks reached only through `dynamicImports` (lessons, KaTeX,
// arena, compare, exports...) load on demand and do not count. Sizes are gzip level 9 of the
// built files, in kB of 1000 bytes (Vite's own report uses the same unit).
// `npm run build` runs this through the Vite plugin below and fails above the budget;
// `npx tsx scripts/bundleBudget.ts [outDir]` reports an existing build.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The budget: gzipped JavaScript of the first screen, in bytes. */
export const FIRST_SCREEN_BUDGET = 150_000;

/** The part of a Vite manifest entry the budget reads. */
export interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

/** The files the entry `entry` loads before anything is clicked: itself and its static imports, transitively. */
export function firstScreenFiles(manifest: Manifest, entry = 'index.html'): string[] {
  if (!manifest[entry]) throw new Error(`the Vite manifest has no entry '${entry}'`);
  const seen = new Set<string>();
  const files: string[] = [];
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the Vite manifest names '${key}' as an import but has no such chunk`);
    files.push(chunk.file);
    for (const k of chunk.imports ?? []) visit(k);
  };
  visit(entry);
  return files.filter((f) => f.endsWith('.js'));
}

/** The on-demand chunks: reached from the entry only through a dynamic import(). */
export function onDemandFiles(manifest: Manifest, entry = 'index.html'): string[] {
  const first = new Set(firstScreenFiles(manifest, entry));
  const all = new Set(Object.values(manifest).flatMap((c) => (c.file.endsWith('.js') ? [c.file] : [])));
  return [...all].filter((f) => !first.has(f) && !Object.values(manifest).some((c) => c.isEntry && c.file === f));
}

export interface BudgetRow {
  file: string;
  bytes: number;
  gzip: number;
}
export interface BudgetReport {
  rows: BudgetRow[];
  totalGzip: number;
  budget: number;
  ok: boolean;
}

/** Measures `files` (paths relative to outDir) with `read` and compares their gzip total to the budget. */
export function budgetReport(
  files: string[],
  read: (file: string) => Uint8Array,
  budget = FIRST_SCREEN_BUDGET,
): BudgetReport {
  const rows = files.map((file) => {
    const data = read(file);
    return { file, bytes: data.byteLength, gzip: gzipSync(data, { level: 9 }).byteLength };
  });
  const totalGzip = rows.reduce((s, r) => s + r.gzip, 0);
  return { rows, totalGzip, budget, ok: totalGzip <= budget };
}

const kB = (n: number) => `${(n / 1000).toFixed(2)} kB`;

/** The report as printed by the build. */
export function formatBudget(r: BudgetReport, onDemand: number): string {
  const lines = r.rows.map(
    (x) => `  ${x.file.padEnd(44)} ${kB(x.bytes).padStart(11)}  gzip ${kB(x.gzip).padStart(10)}`,
  );
  return [
    'first screen JavaScript (entry + static imports):',
    ...lines,
    `  total gzip ${kB(r.totalGzip)} of a ${kB(r.budget)} budget: ${r.ok ? 'within' : 'OVER'}; ${onDemand} chunks load on demand`,
  ].join('\n');
}

/** Reads `outDir/.vite/manifest.json` and reports; throws (failing the build) above the budget. */
export function checkBudget(outDir: string, budget = FIRST_SCREEN_BUDGET): BudgetReport {
  const manifest = JSON.parse(readFileSync(resolve(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
  const report = budgetReport(firstScreenFiles(manifest), (f) => readFileSync(resolve(outDir, f)), budget);
  const text = formatBudget(report, onDemandFiles(manifest).length);
  if (!report.ok) throw new Error(`${text}\nthe first screen is over its JavaScript budget (scripts/bundleBudget.ts)`);
  console.log(text);
  return report;
}

/** Vite plugin: after a production build is written, reports the first screen's sizes and fails above the budget. */
export function bundleBudgetPlugin(): Plugin {
  let outDir = 'dist';
  return {
    name: 'descent-bundle-budget',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      checkBudget(outDir);
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename ?? '')) {
  checkBudget(resolve(process.argv[2] ?? 'dist'));
}
