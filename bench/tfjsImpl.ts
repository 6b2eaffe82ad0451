// The TensorFlow.js 4.22 side of every row: the same matmul and the same training step as
// Descent, written the way a careful TF.js user would (tf.variables, fused matMul with bias and
// activation where TF.js can fuse it, optimizer.minimize, data uploaded once before timing).
//
// Legend: B batch, I input features, O output features, C classes, R runs trained at once.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import {
  benchSplit,
  denseInit,
  matmulError,
  matmulInputs,
  matmulResult,
  timeChunks,
  timePeerTraining,
} from './measure';
import { type BenchOptimizer, type MatmulResult, OPT_HYPER, type TrainResult, type Workload } from './tasks';

export type TfBackend = 'webgpu' | 'wasm' | 'cpu';

/** Selects the backend; throws (with the reason) when it cannot be had, never falls back silently. */
export async function selectBackend(name: TfBackend): Promise<string[]> {
  // The bench page serves TF.js's .wasm binaries itself (no network): see bench/vite.config.ts.
  if (name === 'wasm') setWasmPaths(new URL('./tfjs-wasm/', location.href).href);
  if (!(await tf.setBackend(name))) throw new Error(`TF.js backend '${name}' failed to initialize`);
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`TF.js runs on '${tf.getBackend()}', not '${name}'`);
  const notes = [`TF.js ${tf.version.tfjs}, backend ${name}`];
  if (name === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    notes.push(`wasm SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off (page not cross-origin isolated)'}`);
  }
  if (name === 'webgpu') {
    notes.push(`WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=${tf.env().getNumber('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE')}`);
  }
  return notes;
}

/** Y[n, n] = X W^T + b as one fused TF.js kernel, timed over products issued back to back. */
export async function tfMatmul(sizes: number[], budgetMs: number): Promise<MatmulResult[]> {
  const out: MatmulResult[] = [];
  for (const n of sizes) {
    const { X, W, b } = matmulInputs(n);
    // TF.js gets W^T as [I, O], its dense-layer layout: in TF.js 4.22 the wasm backend's
    // fused.matMul with transposeB *and* a bias returns wrong values (max error ~6 at 256³),
    // while this form is right on every backend (the check below would catch it otherwise).
    const Wt = new Float32Array(n * n);
    for (let o = 0; o < n; o++) for (let i = 0; i < n; i++) Wt[i * n + o] = W[o * n + i];
    const tx = tf.tensor2d(X, [n, n]);
    const tw = tf.tensor2d(Wt, [n, n]);
    const tb = tf.tensor1d(b);
    const product = () => tf.fused.matMul({ a: tx, b: tw, bias: tb });
    // Warm-up: compiles the shader (GPU) or the wasm path, and checks the result.
    const y0 = product();
    const maxRelErr = matmulError((await y0.data()) as Float32Array, X, W, b, n);
    y0.dispose();
    const timed = await timeChunks(async (k) => {
      let y: tf.Tensor | null = null;
      for (let i = 0; i < k; i++) {
        y?.dispose();
        y = product();
      }
      await y!.data();
      y!.dispose();
    }, budgetMs);
    tf.dispose([tx, tw, tb]);
    out.push(matmulResult(n, timed, maxRelErr));
  }
  return out;
}

function makeOptimizer(name: BenchOptimizer): tf.Optimizer {
  const lr = OPT_HYPER.lr[name];
  switch (name) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, OPT_HYPER.mu);
    case 'nesterov':
      return tf.train.momentum(lr, OPT_HYPER.mu, true);
    case 'adagrad':
      return tf.train.adagrad(lr);
    case 'rmsprop':
      return tf.train.rmsprop(lr, OPT_HYPER.rho, 0, OPT_HYPER.eps);
    case 'adam':
      return tf.train.adam(lr, OPT_HYPER.beta1, OPT_HYPER.beta2, OPT_HYPER.eps);
  }
}

interface TfRun {
  vars: tf.Variable[]; // per layer: W [I, O], b [O]
  opt: tf.Optimizer;
}

/** Logits [n, C] of run `run`: dense layers, fused bias (+ relu where TF.js can fuse it). */
function logits(w: Workload, run: TfRun, x: tf.Tensor2D): tf.Tensor2D {
  const L = w.widths.length - 1;
  let h: tf.Tensor2D = x;
  for (let l = 0; l < L; l++) {
    const hidden = l + 1 < L;
    // tanh is not among fused.matMul's activations; relu is.
    const fusedAct = hidden && w.hiddenActivation === 'relu' ? 'relu' : 'linear';
    const [W, b] = [run.vars[2 * l] as tf.Tensor2D, run.vars[2 * l + 1]];
    h = tf.fused.matMul({ a: h, b: W, bias: b, activation: fusedAct }) as tf.Tensor2D;
    if (hidden && w.hiddenActivation === 'tanh') h = tf.tanh(h);
  }
  return h;
}

function oneHot(labels: Int32Array, C: number): Float32Array {
  const out = new Float32Array(labels.length * C);
  labels.forEach((c, s) => {
    out[s * C + c] = 1;
  });
  return out;
}

/** Batches uploaded before the clock, cycled through in order (per-step data work is not compared). */
const MAX_BATCHES = 128;

/** Trains R = optimizers.length copies of the workload's net on the same batches, in order. */
export async function tfTrain(w: Workload, warmupMs: number, budgetMs: number): Promise<TrainResult> {
  const d = benchSplit(w);
  const { I, C } = d;
  const B = w.batch;
  const nb = Math.min(MAX_BATCHES, Math.floor(d.nTrain / B));
  const y = oneHot(d.yTrain.subarray(0, nb * B), C);
  const batches = Array.from({ length: nb }, (_, i) => ({
    x: tf.tensor2d(d.xTrain.subarray(i * B * I, (i + 1) * B * I), [B, I]),
    y: tf.tensor2d(y.subarray(i * B * C, (i + 1) * B * C), [B, C]),
  }));
  const init = denseInit(w.widths);
  let stepIndex = 0;

  const t0 = performance.now();
  const runs: TfRun[] = w.optimizers.map((name) => ({
    vars: init.map((a, i) => {
      const l = i >> 1;
      const shape = i % 2 === 0 ? [w.widths[l], w.widths[l + 1]] : [w.widths[l + 1]];
      return tf.variable(tf.tensor(a, shape));
    }),
    opt: makeOptimizer(name),
  }));
  /** k steps of every run; the last one returns each run's loss, read back as the sync point. */
  const steps = async (k: number): Promise<number> => {
    const costs: tf.Scalar[] = [];
    for (let s = 0; s < k; s++) {
      const batch = batches[stepIndex++ % nb];
      const last = s === k - 1;
      for (const run of runs) {
        const loss = () => tf.losses.softmaxCrossEntropy(batch.y, logits(w, run, batch.x)) as tf.Scalar;
        const cost = run.opt.minimize(loss, last, run.vars);
        if (cost) costs.push(cost);
      }
    }
    let sum = 0;
    for (const c of costs) sum += (await c.data())[0];
    tf.dispose(costs);
    return sum / runs.length;
  };
  const result = await timePeerTraining(steps, t0, warmupMs, budgetMs);
  for (const run of runs) {
    tf.dispose(run.vars);
    run.opt.dispose();
  }
  for (const b of batches) tf.dispose([b.x, b.y]);
  return result;
}
