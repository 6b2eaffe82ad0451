// Descent's side of every row: the engine's matmul and Run (through the worker's CpuBackend) on
// the CPU, the WGSL matmul kernel and the GpuBackend on the GPU. Training goes through the
// TrainingBackend interface exactly as the worker drives it: build(cfgs, dataset, init), train(n).
//
// Legend: B batch, I input features, C classes, R runs trained at once, P parameters.
import { buildLayout, type DenseOps, type FloatArray, initParams, matmul, Rng, streamSeed } from '../src/engine';
import type { RunProgress, TrainingBackend } from '../workers/backend';
import { CpuBackend } from '../workers/cpu/backend';
import { ShardedCpuBackend } from '../workers/cpu/sharded';
import { workerShardPool } from '../workers/cpu/shardPool';
import { autoThreads, wasmOps } from '../workers/cpu/wasmLoad';
import { GpuBackend } from '../workers/gpu/backend';
import { adapterName } from '../workers/gpu/device';
import { benchConfig, benchDataset } from './config';
import { gpuMatmul } from './descentGpuMatmul';
import { matmulError, matmulInputs, matmulResult, stepRates, timeChunks } from './measure';
import type { MatmulResult, TrainResult, Workload } from './tasks';

/** One of Descent's CPU implementations as the rows time it. */
interface CpuImpl {
  label: string;
  backend: () => Promise<TrainingBackend>;
  /** Y[B, O] = X[B, I] W[O, I]^T + b[O] */
  matmul: (X: Float32Array, W: Float32Array, b: Float32Array, B: number, I: number, O: number) => Float32Array;
  /** The same product with the copies in and out of a training layer (WebAssembly kernels only). */
  copying?: CpuImpl['matmul'];
}

const tsMatmul: CpuImpl['matmul'] = (X, W, b, B, I, O) => matmul(X, W, b, B, I, O) as Float32Array;

/**
 * The kernels' forward product on operands that live in the kernels' memory, as TF.js's and
 * jax-js's tensors live in theirs (their rows time the product on resident tensors too): X and W
 * are copied into arrays lent by the ops (DenseOps.alloc) once per pair of inputs and read in place.
 * Each call still packs W and copies Y out into one array reused from call to call (a conservative
 * difference: the peers leave Y in their heap). Where the ops lend no memory (the TypeScript engine,
 * or no room), X and W are copied in on every call as well.
 */
function wasmMatmul(ops: DenseOps): CpuImpl['matmul'] {
  /** The inputs the lent arrays hold copies of, and those arrays ([x, w], or none when the ops lend none). */
  let from: FloatArray[] = [];
  let lent: Float32Array[] = [];
  let z = new Float32Array(0);
  return (X, W, b, B, I, O) => {
    if (from[0] !== X || from[1] !== W) {
      for (const a of lent) ops.release?.(a);
      from = [X, W];
      lent = [];
      for (const a of from) {
        const r = ops.alloc?.(a.length);
        if (!r) break;
        r.set(a);
        lent.push(r);
      }
      if (lent.length < 2) {
        for (const a of lent) ops.release?.(a);
        lent = [];
      }
    }
    if (z.length !== B * O) z = new Float32Array(B * O);
    return ops.forward(lent[0] ?? X, lent[1] ?? W, b, B, I, O, null, { z }).z as Float32Array;
  };
}

/**
 * The same product with X and W copied in and Y copied out on every call, as a training step's
 * layer does today (its activations live outside the kernels' memory): reported in the notes
 * beside the row, not a target.
 */
function copyingMatmul(ops: DenseOps): CpuImpl['matmul'] {
  let z = new Float32Array(0);
  return (X, W, b, B, I, O) => {
    if (z.length !== B * O) z = new Float32Array(B * O);
    return ops.forward(X, W, b, B, I, O, null, { z }).z as Float32Array;
  };
}

/**
 * Descent's CPU side by name (`npm run bench -- --cpu=NAME`): the training backend and the forward
 * matmul the rows time. 'engine' is the CPU backend as the worker builds it (its WebAssembly SIMD
 * kernels where they load, else TypeScript); 'typescript' keeps the engine's own loops. Another
 * CPU implementation (threads, ...) registers here and is measured by the same rows.
 */
export const CPU_IMPLS: Record<string, () => Promise<CpuImpl>> = {
  engine: async () => {
    const w = await wasmOps();
    return {
      label: w
        ? `WebAssembly kernels (${w.kind}) and CpuBackend`
        : "the engine's matmul and CpuBackend (no WebAssembly SIMD)",
      backend: async () => new CpuBackend(),
      matmul: w ? wasmMatmul(w.ops) : tsMatmul,
      copying: w ? copyingMatmul(w.ops) : undefined,
    };
  },
  // the GEMMs shared by min(cores, 4) threads; needs a cross-origin isolated page (descent-threads)
  threads: async () => {
    const n = autoThreads();
    if (n < 2)
      throw new Error(
        `no threads: crossOriginIsolated ${globalThis.crossOriginIsolated}, ${navigator.hardwareConcurrency} cores`,
      );
    const w = await wasmOps(undefined, n);
    if (!w || w.threads !== n) throw new Error(`the ${n}-thread kernels did not start (see the console)`);
    return {
      label: `WebAssembly kernels (${w.kind}) on ${n} threads and CpuBackend({ threads: ${n} })`,
      backend: async () => new CpuBackend({ threads: n }),
      matmul: wasmMatmul(w.ops),
      copying: copyingMatmul(w.ops),
    };
  },
  typescript: async () => ({
    label: "the engine's TypeScript matmul (float64 accumulation) and CpuBackend({ kernels: 'typescript' })",
    backend: async () => new CpuBackend({ kernels: 'typescript' }),
    matmul: tsMatmul,
  }),
};

async function cpuImpl(name: string): Promise<CpuImpl> {
  const c = CPU_IMPLS[name];
  if (!c) throw new Error(`--cpu: unknown CPU implementation '${name}' (known: ${Object.keys(CPU_IMPLS).join(', ')})`);
  return c();
}

export async function descentMatmul(
  gpu: boolean,
  sizes: number[],
  budgetMs: number,
  notes: string[],
  cpu = 'engine',
): Promise<MatmulResult[]> {
  const out: MatmulResult[] = [];
  for (const n of sizes) {
    const { X, W, b } = matmulInputs(n);
    if (!gpu) {
      const c = await cpuImpl(cpu);
      if (out.length === 0) notes.push(`Descent CPU '${cpu}': ${c.label}`);
      const maxRelErr = matmulError(c.matmul(X, W, b, n, n, n), X, W, b, n);
      const timed = await timeChunks(async (k) => {
        for (let i = 0; i < k; i++) c.matmul(X, W, b, n, n, n);
      }, budgetMs);
      out.push(matmulResult(n, timed, maxRelErr));
      const copying = c.copying;
      if (copying) {
        const err = matmulError(copying(X, W, b, n, n, n), X, W, b, n);
        const t = await timeChunks(async (k) => {
          for (let i = 0; i < k; i++) copying(X, W, b, n, n, n);
        }, budgetMs / 2);
        const r = matmulResult(n, t, err);
        notes.push(
          `${n}³ with X and W copied in and Y out on every call (a training layer's product): ${r.gflops.toFixed(1)} GFLOP/s (max rel. error ${r.maxRelErr.toExponential(1)})`,
        );
      }
      continue;
    }
    const mm = await gpuMatmul(X, W, b, n, n, n);
    if (out.length === 0) notes.push(`Descent matmul.wgsl on: ${adapterName(mm.gpu.adapter)}`);
    try {
      // Warm-up: pipeline compiled, first product checked.
      mm.issue(1);
      const maxRelErr = matmulError(await mm.read(), X, W, b, n);
      const timed = await timeChunks(async (k) => {
        mm.issue(k);
        await mm.read();
      }, budgetMs);
      out.push(matmulResult(n, timed, maxRelErr));
    } finally {
      mm.dispose();
    }
  }
  return out;
}

/** The backend a row trains on, and what ends with it (a spread race's pool: its sub-workers). */
async function makeBackend(gpu: boolean, cpu: string, w: Workload): Promise<{ be: TrainingBackend; end: () => void }> {
  // (c-cores): the worker's CPU backend, shard 0 in this page's thread and a sub-worker per further core
  if (!gpu && w.cpuSpread) {
    if (cpu !== 'engine' && cpu !== 'typescript') throw new Error(`--cpu=${cpu}: not spread over workers`);
    const pool = workerShardPool();
    const be = new ShardedCpuBackend(pool, { kernels: cpu === 'typescript' ? 'typescript' : 'auto' });
    return {
      be,
      end: () => {
        be.dispose();
        pool.dispose();
      },
    };
  }
  const be = gpu ? await GpuBackend.create() : await (await cpuImpl(cpu)).backend();
  return { be, end: () => be.dispose() };
}

/** Mean loss of the last step of every run; throws if a run left 'ok' (its steps would not be done). */
function lastLoss(progress: RunProgress[], k: number): number {
  let sum = 0;
  for (const [r, p] of progress.entries()) {
    if (p.status !== 'ok') throw new Error(`run ${r} stopped (${p.status} at step ${p.statusStep}): steps not done`);
    if (p.steps.n !== k) throw new Error(`run ${r} did ${p.steps.n} steps, asked ${k}`);
    sum += p.steps.loss[k - 1];
  }
  return sum / progress.length;
}

export async function descentTrain(
  gpu: boolean,
  w: Workload,
  warmupMs: number,
  budgetMs: number,
  notes: string[],
  cpu = 'engine',
): Promise<TrainResult> {
  const cfgs = w.optimizers.map((o, r) => benchConfig(w, o, r));
  const dataset = benchDataset(w);
  const layout = buildLayout(cfgs[0].model, dataset.inputDim, dataset.outputDim);
  const init = initParams(layout, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init')));
  // Device acquisition is outside the first-step clock, as tf.setBackend() is on the TF.js side.
  const { be: backend, end } = await makeBackend(gpu, cpu, w);
  try {
    const t0 = performance.now();
    await backend.build(cfgs, dataset, init);
    // after build(): the CPU backend names its kernels once it has loaded them
    notes.push(`Descent backend: ${backend.info.name}`);
    const firstLoss = lastLoss(await backend.train(1), 1);
    const firstStepMs = performance.now() - t0;
    // which GPU path trained the workload, and the fused kernel's shape (or why not fused)
    if (backend instanceof GpuBackend) {
      const p = backend.pathInfo;
      const f = p.fused;
      const shape = f
        ? `, ${f.runs} runs in ${f.groups} workgroups of ${f.wg} invocations, scratch in ${f.scratch}`
        : '';
      notes.push(`Descent GPU path on ${w.short}: ${p.path}${p.reason ? ` (${p.reason})` : ''}${shape}`);
    }
    const warm = performance.now();
    while (performance.now() - warm < warmupMs) lastLoss(await backend.train(4), 4);
    let loss = Number.NaN;
    let epochsInWindow = 0;
    let reported = { dispatches: 0, submits: 0 };
    const timed = await timeChunks(
      async (k) => {
        const progress = await backend.train(k);
        loss = lastLoss(progress, k);
        const epochs = progress[0].epochs.n;
        epochsInWindow += epochs;
        // counters() averages over the last train() call: weight it by that call's steps.
        const c = backend.counters();
        reported = {
          dispatches: reported.dispatches + c.dispatchesPerStep * k,
          submits: reported.submits + c.submitsPerStep * k,
        };
        return epochs > 0;
      },
      budgetMs,
      3,
      // at most half an epoch (floor(nTrain / B) steps, the last partial batch dropped) per chunk
      Math.max(1, Math.floor(Math.floor(dataset.nTrain / w.batch) / 2)),
    );
    // (c-cores): where the runs trained (run r's shard), so a lopsided split shows in the notes
    if (backend instanceof ShardedCpuBackend)
      notes.push(`Descent shards: run r on shard ${backend.placement().join('')}`);
    return {
      firstStepMs,
      ...stepRates(timed),
      epochsInWindow,
      ...(gpu
        ? {
            reportedDispatchesPerStep: reported.dispatches / timed.units,
            reportedSubmitsPerStep: reported.submits / timed.units,
          }
        : {}),
      firstLoss,
      lastLoss: loss,
    };
  } finally {
    end();
  }
}
