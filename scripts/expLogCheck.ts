// The kernels' exp and log (workers/cpu/wasm/expLog.ts) against V8's Math.exp / Math.log, bit for bit,
// on many random float64 inputs per set (scripts/expLogCore.ts: the loss's ranges, every exponent
// range, the reductions' thresholds, subnormals, NaN/Inf) and edge values, in Node and, with
// --browser, in Chromium's page too (a newer V8: both must agree with the kernels, and so with each
// other). Run by hand, not in npm test (workers/cpu/expLog.test.ts runs a sample):
//   node --experimental-wasm-relaxed-simd --import tsx scripts/expLogCheck.ts [--count=16777216] [--seed=1] [--browser]
// Prints per build and host: per set the inputs, SIMD-vs-Math and scalar-vs-Math mismatches (must be
// 0), the lanes the SIMD kernel sent to its scalar path; exits 1 on any mismatch.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasm } from './buildWasm';
import { type ExpLogKernels, type ExpLogSet, expLogCore } from './expLogCore';
import { findChromium } from './prereqs.mjs';

const arg = (name: string, dflt: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const count = Number(arg('count', String(2 ** 24)));
const seed = Number(arg('seed', '1'));
const browser = process.argv.includes('--browser');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUILDS = ['dense-simd.wasm', 'dense-relaxed.wasm'];

function report(where: string, file: string, sets: ExpLogSet[], ms: number): number {
  let bad = 0;
  let n = 0;
  for (const s of sets) {
    bad += s.simdMismatch + s.scalarMismatch;
    n += s.n;
    console.log(
      `${where} ${file} | ${s.name}: ${s.n} inputs, mismatches simd ${s.simdMismatch} scalar ${s.scalarMismatch}, scalar-path lanes ${s.fell}`,
    );
    for (const e of s.examples) console.log(`    ${e}`);
  }
  console.log(`${where} ${file}: ${n} inputs, ${bad} mismatches, ${(ms / 1000).toFixed(1)} s`);
  return bad;
}

async function main() {
  await buildWasm();
  let bad = 0;
  const bytes = BUILDS.map((f) => readFileSync(resolve(root, 'workers/cpu/wasm/build', f)));
  for (let b = 0; b < BUILDS.length; b++) {
    if (!WebAssembly.validate(bytes[b])) {
      console.log(`node ${BUILDS[b]}: does not validate here (relaxed SIMD needs --experimental-wasm-relaxed-simd)`);
      continue;
    }
    const { instance } = await WebAssembly.instantiate(bytes[b], {});
    const t = performance.now();
    const sets = expLogCore(instance.exports as unknown as ExpLogKernels, count, seed);
    bad += report(`node ${process.versions.v8}`, BUILDS[b], sets, performance.now() - t);
  }
  if (browser) {
    const { chromium } = await import('playwright');
    const b = await chromium.launch({ executablePath: findChromium() ?? undefined, args: ['--no-sandbox'] });
    try {
      const page = await b.newPage();
      const version = b.version();
      // the core's source as the loader compiled it (tsx may wrap functions in __name)
      const src = `globalThis.__name = (f) => f; globalThis.expLogCore = ${expLogCore.toString()};`;
      await page.addScriptTag({ content: src });
      for (let i = 0; i < BUILDS.length; i++) {
        const r = await page.evaluate(
          async ([b64, count, seed]) => {
            const bin = Uint8Array.from(atob(b64 as string), (c) => c.charCodeAt(0));
            const { instance } = await WebAssembly.instantiate(bin, {});
            const t = performance.now();
            const core = (globalThis as unknown as { expLogCore: typeof expLogCore }).expLogCore;
            const sets = core(instance.exports as unknown as ExpLogKernels, count as number, seed as number);
            return { sets, ms: performance.now() - t };
          },
          [bytes[i].toString('base64'), count, seed],
        );
        bad += report(`chromium ${version}`, BUILDS[i], r.sets, r.ms);
      }
    } finally {
      await b.close();
    }
  }
  console.log(bad === 0 ? 'all equal' : `${bad} MISMATCHES`);
  process.exit(bad === 0 ? 0 : 1);
}

main();
