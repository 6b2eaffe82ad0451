// Node, single thread: the WebAssembly SIMD dense kernels (workers/cpu/wasmOps.ts) against the
// engine's TypeScript dense ops. Prints forward-GEMM GFLOP/s at n^3 (Y = X W^T + b, X[n, n],
// W[n, n]; 2 n^3 flops; the wasm figure includes copying in, packing W and copying out into a
// reused array) and training steps/s of 784-256-256-10 ReLU, batch 128, SGD on a fixed batch of
// digits (with the step's reused buffers, StepScratch, as a Run trains); then the bench's (b) and (d)
// through the worker's CpuBackend (the Run with its per-step metrics), as the browser rows train them.
// With --threads=N (N > 1) also the shared-memory kernels with N threads sharing each GEMM
// (workers/cpu/gemmPool.ts, worker_threads helpers), and their ratio to one thread.
//   npx tsx bench/wasmNode.ts [--quick] [--threads=2]

import { buildWasm } from '../scripts/buildWasm';
import {
  buildLayout,
  type DenseOps,
  decayMask,
  defaultConfig,
  initBnStats,
  initParams,
  lossAndGrad,
  makeDataset,
  matmul,
  StepScratch,
  streamSeed,
  tsDenseOps,
} from '../src/engine';
import { adamStep } from '../src/engine/optimizers/adam';
import { sgdStep } from '../src/engine/optimizers/sgd';
import { Rng } from '../src/engine/rng';
import { CpuBackend } from '../workers/cpu/backend';
import { wasmOps } from '../workers/cpu/wasmLoad';
import { loadDigits } from '../workers/digits';
import { benchConfig, benchDataset } from './config';
import { WORKLOADS } from './tasks';

const quick = process.argv.includes('--quick');
const threads = Number(process.argv.find((a) => a.startsWith('--threads='))?.slice(10) ?? 1);

/** Best of 3 timings of `k` calls, in seconds per call, with k grown until one timing is >= 0.3 s. */
function perCall(f: () => void): number {
  let k = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < k; i++) f();
    const dt = (performance.now() - t0) / 1000;
    if (dt >= 0.3 || k >= 1 << 16) break;
    k *= 2;
  }
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < k; i++) f();
    best = Math.min(best, (performance.now() - t0) / 1000 / k);
  }
  return best;
}

async function main() {
  await buildWasm();
  const loaded = await wasmOps();
  if (!loaded) throw new Error('WebAssembly SIMD kernels did not load');
  const pool = threads > 1 ? await wasmOps(undefined, threads) : null;
  if (threads > 1 && pool?.threads !== threads) throw new Error(`${threads} threads did not start`);
  console.log(
    `wasm build: ${loaded.kind}; node ${process.version}; single thread${pool ? ` and ${threads} threads` : ''}`,
  );
  const rng = new Rng(1);
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.uniform() * 2 - 1);
  console.log('\nforward GEMM Y = X W^T + b, GFLOP/s');
  console.log(`n     TS matmul  wasm   ratio${pool ? `  wasm x${threads}  ÷ 1 thread` : ''}`);
  for (const n of quick ? [256] : [256, 512, 1024]) {
    const X = Float32Array.from({ length: n * n }, () => rng.uniform() * 2 - 1);
    const W = Float32Array.from({ length: n * n }, () => rng.uniform() * 2 - 1);
    const b = new Float32Array(n);
    const flops = 2 * n * n * n;
    const ts = flops / perCall(() => matmul(X, W, b, n, n, n)) / 1e9;
    // into one reused output array, as the bench's matmul rows (bench/descentImpl.ts wasmMatmul)
    const out = { z: new Float32Array(n * n) };
    const wa = flops / perCall(() => loaded.ops.forward(X, W, b, n, n, n, null, out)) / 1e9;
    const th = pool ? flops / perCall(() => pool.ops.forward(X, W, b, n, n, n, null, out)) / 1e9 : 0;
    console.log(
      `${String(n).padEnd(5)} ${ts.toFixed(2).padStart(9)} ${wa.toFixed(2).padStart(6)} ${(wa / ts).toFixed(1).padStart(6)}x` +
        (pool ? ` ${th.toFixed(2).padStart(9)} ${(th / wa).toFixed(2).padStart(9)}x` : ''),
    );
  }

  // The issue's script shape: a fixed batch of 128 digits, lossAndGrad + sgdStep per step.
  const digits = await loadDigits();
  const cfg = defaultConfig();
  cfg.data = { ...cfg.data, name: 'digits', samples: 1200, valFraction: 1 / 6 };
  cfg.model.hidden = [256, 256].map((units) => ({ units, activation: 'relu' as const, dropout: 0, batchNorm: false }));
  cfg.model.loss = 'softmaxCE';
  const ds = makeDataset(cfg.data, cfg.seed, digits);
  const layout = buildLayout(cfg.model, ds.inputDim, ds.outputDim);
  const B = 128;
  const x = ds.xTrain.subarray(0, B * ds.inputDim);
  const y = (ds.yTrain as Int32Array).subarray(0, B);
  const mask = decayMask(layout, false);
  const bn = initBnStats(layout);
  const stepsPerSec = (ops: DenseOps) => {
    const theta = initParams(layout, cfg.model, new Rng(streamSeed(cfg.seed, 'init')));
    const opts = { train: true, model: cfg.model, dropoutSeed: 0, step: 0, ops, scratch: new StepScratch() };
    const step = () => sgdStep(theta, lossAndGrad(layout, theta, bn, x, y, B, opts, cfg.reg, mask).grad, 0.05);
    step(); // warm-up
    return 1 / perCall(step);
  };
  const ts = stepsPerSec(tsDenseOps);
  const wa = stepsPerSec(loaded.ops);
  console.log('\n784-256-256-10 ReLU, batch 128, SGD on a fixed batch (lossAndGrad + sgdStep), steps/s');
  console.log(`TS engine ${ts.toFixed(1)}   wasm ${wa.toFixed(1)}   ratio ${(wa / ts).toFixed(1)}x`);
  // Adam's update loop over the MLP's parameters: the engine's adamStep vs the kernel (copies included)
  const P = layout.size;
  const vecs = () => [rand(P), rand(P), rand(P).map((x) => x * 0.1), rand(P).map((x) => x * x * 0.01)];
  const [th0, g0, m0, v0] = vecs();
  const [th1, g1, m1, v1] = vecs();
  let t0 = 1;
  let t1 = 1;
  const tsAdam = perCall(() => adamStep(th0, g0, m0, v0, t0++, 1e-3, 0.9, 0.999, 1e-8));
  const waAdam = perCall(() => loaded.ops.update!.adam!(th1, g1, m1, v1, t1++, 1e-3, 0.9, 0.999, 1e-8));
  console.log(
    `\nAdam update of P = ${P} parameters, ms: TS engine ${(tsAdam * 1e3).toFixed(3)}   wasm ${(waAdam * 1e3).toFixed(3)}   ratio ${(tsAdam / waAdam).toFixed(1)}x`,
  );
  if (pool) {
    const th = stepsPerSec(pool.ops);
    console.log(
      `wasm on ${threads} threads ${th.toFixed(1)}   ÷ 1 thread ${(th / wa).toFixed(2)}x (helpers ran ${pool.helped()} chunks)`,
    );
  }

  // The bench's path: the worker's CpuBackend training the bench's (b) and (d) (bench/config.ts), i.e.
  // the Run with its batch gathering, per-step metrics and update; best of 4-step chunks without an
  // epoch end, as the browser bench rates them (bench/measure.ts).
  console.log('\nCpuBackend.train, the bench workloads (steps/s, best 4-step chunk without an epoch end)');
  for (const id of ['b', 'd'] as const) {
    const w = WORKLOADS.find((x) => x.id === id)!;
    const cfgs = w.optimizers.map((o, r) => benchConfig(w, o, r));
    const data = benchDataset(w);
    const l = buildLayout(cfgs[0].model, data.inputDim, data.outputDim);
    const init = initParams(l, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init')));
    const rate = async (n: number) => {
      const be = new CpuBackend({ threads: n });
      await be.build(cfgs, data, init);
      await be.train(2);
      let best = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < (quick ? 1500 : 4000)) {
        const s = performance.now();
        const p = await be.train(4);
        if (p[0].epochs.n === 0) best = Math.max(best, 4000 / (performance.now() - s));
      }
      be.dispose();
      return best;
    };
    const one = await rate(1);
    const more = pool ? await rate(threads) : 0;
    console.log(
      `${w.title}: ${one.toFixed(1)}${pool ? `   ${threads} threads ${more.toFixed(1)}   ÷ 1 thread ${(more / one).toFixed(2)}x` : ''}`,
    );
  }
  pool?.dispose();
}

main();
