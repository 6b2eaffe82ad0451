// The jax-js 0.1.25 side of the rows (a second peer beside TF.js): the same matmul and the same
// training step, written as its README teaches (numpy-style arrays, valueAndGrad, jit; the
// reference-counted ownership rules: every argument is consumed, `.ref` keeps a second use).
// Optimizers are written here with the TF.js side's update rules (jax-js itself ships none;
// @jax-js/optax is a separate package), inside the same jit as the gradient: one call per step.
//
// Legend: B batch, I input features, O output features, C classes, L layers.
import { defaultDevice, init, jit, nn, numpy as np, valueAndGrad } from '@jax-js/jax';
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

export type JaxDevice = 'wasm' | 'webgpu';
type Arr = np.Array;

/** Starts the device; throws (with the reason) when it is not available, never falls back. */
export async function selectDevice(name: JaxDevice): Promise<string[]> {
  const got = await init(name);
  if (!got.includes(name))
    throw new Error(`jax-js device '${name}' is not available here (init gave ${got.join(', ')})`);
  defaultDevice(name);
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const notes = [`jax-js 0.1.25, device ${name}`];
  if (name === 'wasm')
    notes.push(`jax-js wasm threads ${isolated ? 'possible' : 'off (page not cross-origin isolated)'}`);
  return notes;
}

/** Y[n, n] = X W^T + b as one jit-compiled function (W given as [I, O] like the TF.js side). */
export async function jaxMatmul(sizes: number[], budgetMs: number): Promise<MatmulResult[]> {
  const out: MatmulResult[] = [];
  const product = jit((x: Arr, w: Arr, b: Arr) => np.matmul(x, w).add(b));
  try {
    for (const n of sizes) {
      const { X, W, b } = matmulInputs(n);
      const Wt = new Float32Array(n * n);
      for (let o = 0; o < n; o++) for (let i = 0; i < n; i++) Wt[i * n + o] = W[o * n + i];
      const tx = np.array(X).reshape([n, n]);
      const tw = np.array(Wt).reshape([n, n]);
      const tb = np.array(b);
      const y0 = product(tx.ref, tw.ref, tb.ref);
      const maxRelErr = matmulError((await y0.data()) as Float32Array, X, W, b, n);
      const timed = await timeChunks(async (k) => {
        // each product is waited for: a lazily evaluated array that is dropped might never run
        for (let i = 0; i < k; i++) {
          const y = product(tx.ref, tw.ref, tb.ref);
          await y.blockUntilReady();
          y.dispose();
        }
      }, budgetMs);
      tx.dispose();
      tw.dispose();
      tb.dispose();
      out.push(matmulResult(n, timed, maxRelErr));
    }
  } finally {
    product.dispose();
  }
  return out;
}

/** Mean softmax cross-entropy of the MLP's logits; params = [W0, b0, W1, b1, ...], W as [I, O]. */
function lossOf(w: Workload, params: Arr[], x: Arr, y: Arr): Arr {
  const L = params.length / 2;
  let h = x;
  for (let l = 0; l < L; l++) {
    h = np.matmul(h, params[2 * l]).add(params[2 * l + 1]);
    if (l + 1 < L) h = w.hiddenActivation === 'relu' ? nn.relu(h) : np.tanh(h);
  }
  return np.mean(np.sum(nn.logSoftmax(h, -1).mul(y), -1)).mul(-1);
}

/**
 * One optimizer step on every parameter: (theta, grad, state, t) -> [theta', state'].
 * The rules of the TF.js side (tf.train.*): momentum v = mu v + g, theta -= lr v (Nesterov:
 * theta -= lr (g + mu v)); Adagrad accumulator starts at 0.1; RMSprop without centering; Adam
 * bias-corrected (eps outside the root), t passed in as an array (a number would be baked into
 * the compiled graph).
 */
function update(opt: BenchOptimizer, p: Arr, g: Arr, s: Arr[], t: Arr): [Arr, Arr[]] {
  const lr = OPT_HYPER.lr[opt];
  const { mu, rho, beta1, beta2, eps } = OPT_HYPER;
  switch (opt) {
    case 'sgd':
      t.dispose();
      return [p.sub(g.mul(lr)), []];
    case 'momentum':
    case 'nesterov': {
      t.dispose();
      const v = s[0].mul(mu).add(g.ref);
      if (opt === 'nesterov') return [p.sub(g.add(v.ref.mul(mu)).mul(lr)), [v]];
      g.dispose();
      return [p.sub(v.ref.mul(lr)), [v]];
    }
    case 'adagrad': {
      t.dispose();
      const a = s[0].add(np.square(g.ref));
      return [p.sub(g.mul(lr).div(np.sqrt(a.ref))), [a]];
    }
    case 'rmsprop': {
      t.dispose();
      const a = s[0].mul(rho).add(np.square(g.ref).mul(1 - rho));
      return [p.sub(g.mul(lr).div(np.sqrt(a.ref.add(eps)))), [a]];
    }
    case 'adam': {
      const m = s[0].mul(beta1).add(g.ref.mul(1 - beta1));
      const v = s[1].mul(beta2).add(np.square(g).mul(1 - beta2));
      // theta -= lr mhat / (sqrt(vhat) + eps), mhat = m / (1 - beta1^t), vhat = v / (1 - beta2^t)
      const mHat = m.ref.div(np.power(beta1, t.ref).mul(-1).add(1));
      const vHat = v.ref.div(np.power(beta2, t).mul(-1).add(1));
      return [p.sub(mHat.mul(lr).div(np.sqrt(vHat).add(eps))), [m, v]];
    }
  }
}

const STATE_ARRAYS: Record<BenchOptimizer, number> = {
  sgd: 0,
  momentum: 1,
  nesterov: 1,
  adagrad: 1,
  rmsprop: 1,
  adam: 2,
};

/** Batches uploaded before the clock, cycled through in order (the TF.js side's count). */
const MAX_BATCHES = 128;

interface JaxRun {
  params: Arr[];
  state: Arr[][];
  t: number;
  step: ReturnType<typeof makeStep>;
}

function makeStep(w: Workload, opt: BenchOptimizer) {
  const grad = valueAndGrad((params: Arr[], x: Arr, y: Arr) => lossOf(w, params, x, y));
  return jit((params: Arr[], state: Arr[][], x: Arr, y: Arr, t: Arr) => {
    const [loss, grads] = grad(
      params.map((p) => p.ref),
      x,
      y,
    );
    const next = params.map((p, i) => update(opt, p, grads[i], state[i], t.ref));
    t.dispose();
    return [loss, next.map((n) => n[0]), next.map((n) => n[1])] as [Arr, Arr[], Arr[][]];
  });
}

/** Trains R = optimizers.length copies of the workload's net on the same batches, in order. */
export async function jaxTrain(w: Workload, warmupMs: number, budgetMs: number): Promise<TrainResult> {
  const d = benchSplit(w);
  const { I, C } = d;
  const B = w.batch;
  const nb = Math.min(MAX_BATCHES, Math.floor(d.nTrain / B));
  const oneHot = new Float32Array(nb * B * C);
  for (let s = 0; s < nb * B; s++) oneHot[s * C + d.yTrain[s]] = 1;
  const batches = Array.from({ length: nb }, (_, i) => ({
    x: np.array(d.xTrain.slice(i * B * I, (i + 1) * B * I)).reshape([B, I]),
    y: np.array(oneHot.slice(i * B * C, (i + 1) * B * C)).reshape([B, C]),
  }));
  const init0 = denseInit(w.widths);
  let stepIndex = 0;

  const t0 = performance.now();
  const runs: JaxRun[] = w.optimizers.map((opt) => {
    const params = init0.map((a, i) => {
      const l = i >> 1;
      return np.array(a.slice()).reshape(i % 2 === 0 ? [w.widths[l], w.widths[l + 1]] : [w.widths[l + 1]]);
    });
    const state = params.map((p) => Array.from({ length: STATE_ARRAYS[opt] }, () => np.zerosLike(p.ref)));
    // Adagrad's accumulator starts at 0.1, as in tf.train.adagrad
    if (opt === 'adagrad') for (const s of state) s[0] = s[0].add(0.1);
    return { params, state, t: 0, step: makeStep(w, opt) };
  });
  /**
   * k steps of every run; the last step's mean loss is read back as the sync point. Each step is
   * waited for: jax-js evaluates lazily, and leaving steps pending piles up work (measured in Node:
   * 2-16-16-2 SGD ran about 40x slower when only every 50th step was waited for).
   */
  const steps = async (k: number): Promise<number> => {
    let last: Arr[] = [];
    for (let s = 0; s < k; s++) {
      const batch = batches[stepIndex++ % nb];
      for (const l of last) l.dispose();
      last = runs.map((run) => {
        run.t++;
        const [loss, params, state] = run.step(run.params, run.state, batch.x.ref, batch.y.ref, np.array(run.t));
        run.params = params;
        run.state = state;
        return loss;
      });
      for (const l of last) await l.blockUntilReady();
    }
    let sum = 0;
    for (const l of last) sum += (await l.data())[0];
    return sum / runs.length;
  };
  const result = await timePeerTraining(steps, t0, warmupMs, budgetMs);
  for (const run of runs) {
    for (const p of run.params) p.dispose();
    for (const s of run.state.flat()) s.dispose();
    run.step.dispose();
  }
  for (const b of batches) {
    b.x.dispose();
    b.y.dispose();
  }
  return result;
}
