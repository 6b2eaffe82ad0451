// Node, one thread: CPU time per step of one run of (a) 2-16-16-2 SGD against the race (c) (six runs
// of (a): SGD, momentum, Nesterov, Adagrad, RMSprop, Adam), both through the worker's CpuBackend with
// the WebAssembly kernels, as the browser bench trains them (bench/config.ts). CPU time from
// process.cpuUsage() (user + system of this process), which load on the other cores does not inflate;
// the two are measured in interleaved rounds and the per-round ratio is reported with its spread.
//   npx tsx bench/raceNode.ts [--rounds=5] [--steps=4000] [--kernels=typescript] [--fuse=false] [--tanh=ab]
// --fuse=false steps the race's runs one by one through their own ops (no fused race step, raceFused.ts).
// --tanh=ab times each round twice more, with the kernels' tanh on its scalar path (wasm/tanh.ts
// setTanhSimd(0), the path before the SIMD tanh; same numbers) and on its SIMD path, alternating, so
// before and after are compared in one load; --tanh=scalar runs the scalar path only.
// With --profile the script instead trains each for a while under V8's sampling profiler
// (node --cpu-prof) so the self time per function can be read from the .cpuprofile files:
//   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/raceNode.ts --profile=a|c

import { buildWasm } from '../scripts/buildWasm';
import { buildLayout, initParams, Rng, streamSeed } from '../src/engine';
import { CpuBackend } from '../workers/cpu/backend';
import { benchConfig, benchDataset } from './config';
import { WORKLOADS } from './tasks';

const arg = (name: string, dflt: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const rounds = Number(arg('rounds', '5'));
const steps = Number(arg('steps', '4000'));
const kernels = arg('kernels', 'auto') as 'auto' | 'typescript';
const profile = arg('profile', '');
const fuse = arg('fuse', 'true') !== 'false';
const tanh = arg('tanh', 'simd') as 'simd' | 'scalar' | 'ab';

// Every kernels instance the backends create (wasmLoad.ts instantiates them), for setTanhSimd.
const instances: WebAssembly.Instance[] = [];
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = (async (...a: Parameters<typeof instantiate>) => {
  const r = await (instantiate as (...b: unknown[]) => Promise<unknown>)(...a);
  instances.push(r instanceof WebAssembly.Instance ? r : (r as WebAssembly.WebAssemblyInstantiatedSource).instance);
  return r;
}) as typeof instantiate;
const tanhSimd = (on: boolean) => {
  for (const i of instances) (i.exports.setTanhSimd as ((x: number) => void) | undefined)?.(on ? 1 : 0);
};

async function backendFor(id: 'a-sgd' | 'c') {
  const w = WORKLOADS.find((x) => x.id === id)!;
  const cfgs = w.optimizers.map((o, r) => benchConfig(w, o, r));
  const data = benchDataset(w);
  const l = buildLayout(cfgs[0].model, data.inputDim, data.outputDim);
  const init = initParams(l, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init')));
  const be = new CpuBackend({ threads: 1, kernels, fuse });
  await be.build(cfgs, data, init);
  await be.train(2000); // past the JIT's tiers (and wasm tier-up)
  return { be, runs: cfgs.length };
}

/**
 * CPU microseconds per step of about `n` steps, trained in chunks of 64 (the app's chunks are
 * similar); chunks in which an epoch ended (a whole-split evaluation, not a step) are left out,
 * as the browser bench leaves them out.
 */
async function cpuPerStep(be: CpuBackend, n: number): Promise<number> {
  let us = 0;
  let kept = 0;
  for (let done = 0; done < n; done += 64) {
    const c0 = process.cpuUsage();
    const p = await be.train(64);
    const c = process.cpuUsage(c0);
    if (p.some((r) => r.epochs.n > 0)) continue;
    us += c.user + c.system;
    kept += 64;
  }
  return us / kept;
}

async function main() {
  await buildWasm();
  const a = await backendFor('a-sgd');
  const c = await backendFor('c');
  console.log(
    `node ${process.version}; kernels ${kernels}; ${a.be.info.name}; fused race ${fuse}; ${steps} steps per timing`,
  );
  if (profile) {
    const be = profile === 'c' ? c.be : a.be;
    await cpuPerStep(be, steps * 4);
    return;
  }
  tanhSimd(tanh !== 'scalar');
  if (tanh === 'ab') return ab(a.be, c.be);
  const ratios: number[] = [];
  // a first round of each, not counted: V8 re-optimizes after switching between the two
  await cpuPerStep(a.be, steps);
  await cpuPerStep(c.be, steps);
  for (let r = 0; r < rounds; r++) {
    // interleaved: odd rounds time the race first
    let ua = 0;
    let uc = 0;
    if (r % 2) {
      uc = await cpuPerStep(c.be, steps);
      ua = await cpuPerStep(a.be, steps);
    } else {
      ua = await cpuPerStep(a.be, steps);
      uc = await cpuPerStep(c.be, steps);
    }
    ratios.push(uc / ua);
    console.log(
      `round ${r}: one run ${ua.toFixed(1)} us/step, six runs ${uc.toFixed(1)} us/step (${(uc / 6).toFixed(1)} per run), ratio ${(uc / ua).toFixed(2)}`,
    );
  }
  const s = [...ratios].sort((x, y) => x - y);
  console.log(
    `six runs ÷ one run, CPU time per step: median ${s[s.length >> 1].toFixed(2)} (${s[0].toFixed(2)}-${s[s.length - 1].toFixed(2)})`,
  );
}

const med = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1];
const span = (v: number[]) => `${med(v).toFixed(2)} (${Math.min(...v).toFixed(2)}-${Math.max(...v).toFixed(2)})`;

/** Rounds of one run and the race with the scalar tanh, then with the SIMD tanh (order alternating). */
async function ab(a: CpuBackend, c: CpuBackend) {
  const res = { scalar: { a: [] as number[], c: [] as number[] }, simd: { a: [] as number[], c: [] as number[] } };
  for (let r = -1; r < rounds; r++) {
    for (const mode of r % 2 ? (['scalar', 'simd'] as const) : (['simd', 'scalar'] as const)) {
      tanhSimd(mode === 'simd');
      const ua = await cpuPerStep(a, steps);
      const uc = await cpuPerStep(c, steps);
      if (r < 0) continue; // warm-up round
      res[mode].a.push(ua);
      res[mode].c.push(uc);
      console.log(
        `round ${r} tanh ${mode}: one run ${ua.toFixed(1)} us/step, six runs ${uc.toFixed(1)} us/step, ratio ${(uc / ua).toFixed(2)}`,
      );
    }
  }
  for (const mode of ['scalar', 'simd'] as const) {
    const { a: ua, c: uc } = res[mode];
    console.log(
      `tanh ${mode}: one run ${span(ua)} us/step, six runs ${span(uc)} us/step, six ÷ one ${span(uc.map((x, i) => x / ua[i]))}`,
    );
  }
  const { scalar, simd } = res;
  console.log(
    `SIMD ÷ scalar, same round: one run ${span(simd.a.map((x, i) => x / scalar.a[i]))}, six runs ${span(simd.c.map((x, i) => x / scalar.c[i]))}`,
  );
}

main();
