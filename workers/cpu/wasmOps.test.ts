// The WebAssembly SIMD kernels against the engine's TypeScript dense ops (float64 accumulation):
// per-kernel parity on random shapes, then 200 training steps of a Run with the kernels against a
// Run without them. Node runs the same .wasm the browser worker fetches (the plain-SIMD build;
// Node 20 does not validate relaxed SIMD without a flag).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Activation,
  activationForward,
  type DenseOps,
  defaultConfig,
  matmul,
  matmulBackwardW,
  matmulBackwardX,
  Run,
} from '../../src/engine';
import { loadDigits } from '../../src/engine/data/digits';
import { Rng } from '../../src/engine/rng';
import type { TrainConfig } from '../../src/engine/types';
import { wasmOps } from './wasmLoad';

let ops: DenseOps & { poison(): void };

beforeAll(async () => {
  const loaded = await wasmOps(['simd']);
  if (!loaded) throw new Error('the plain-SIMD build did not load (npm run build:wasm)');
  ops = loaded.ops;
});

const rng = new Rng(17);
const rand = (n: number) => Float32Array.from({ length: n }, () => rng.uniform() * 2 - 1);

/** |got - ref| <= atol + rtol |ref| everywhere (atol scaled by the sum length: float32 vs float64 sums). */
function expectClose(got: Float32Array | Float64Array, ref: Float32Array | Float64Array, K: number, what: string) {
  expect(got.length, what).toBe(ref.length);
  const atol = 1e-6 * Math.sqrt(K) * 4;
  const rtol = 1e-5;
  let worst = -1;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(got[i] - ref[i]);
    if (!(err <= atol + rtol * Math.abs(ref[i]))) {
      worst = i;
      break;
    }
  }
  expect(worst === -1 ? 'ok' : `${what}: [${worst}] got ${got[worst]}, ref ${ref[worst]}`).toBe('ok');
}

// [B, I, O]: tile multiples, remainders of the 4-row and 8-column blocks, 1-row and 1-column edges.
const SHAPES: [number, number, number][] = [
  [8, 16, 8],
  [1, 1, 1],
  [1, 37, 1],
  [5, 1, 9],
  [3, 7, 13],
  [17, 33, 15],
  [64, 2, 16],
  [128, 100, 10],
  [7, 200, 31],
];
const ACTS: (Activation | null)[] = [null, 'relu', 'leakyRelu', 'elu', 'tanh', 'sigmoid', 'linear'];

describe('WebAssembly SIMD dense kernels vs the engine', () => {
  it('forward: z = X W^T + b and the fused activation, on every shape and activation', () => {
    for (const [B, I, O] of SHAPES) {
      const X = rand(B * I);
      const W = rand(O * I);
      const b = rand(O);
      const z = matmul(X, W, b, B, I, O);
      for (const act of ACTS) {
        ops.poison();
        const r = ops.forward(X, W, b, B, I, O, act);
        expectClose(r.z, z, I, `z ${B}x${I}x${O}`);
        // h against the engine's activation of the wasm z (the activation is elementwise)
        if (act) expectClose(r.h, activationForward(r.z, act), 1, `h ${act} ${B}x${I}x${O}`);
        else expect(r.h).toBe(r.z);
      }
    }
  });

  it('backward: dX = dY W, dW = dY^T X, db = sum dY, on every shape', () => {
    for (const [B, I, O] of SHAPES) {
      const dY = rand(B * O);
      const W = rand(O * I);
      const X = rand(B * I);
      ops.poison();
      expectClose(ops.backwardX(dY, W, B, I, O), matmulBackwardX(dY, W, B, I, O), O, `dX ${B}x${I}x${O}`);
      ops.poison();
      const got = ops.backwardW(dY, X, B, I, O);
      const ref = matmulBackwardW(dY, X, B, I, O);
      expectClose(got.dW, ref.dW, B, `dW ${B}x${I}x${O}`);
      expectClose(got.db, ref.db, B, `db ${B}x${I}x${O}`);
    }
  });

  it('float64 operands (gradient checks) go to the engine unchanged', () => {
    const X = Float64Array.from(rand(6));
    const W = Float64Array.from(rand(9));
    const r = ops.forward(X, W, new Float64Array(3), 2, 3, 3, null);
    expect(r.z).toBeInstanceOf(Float64Array);
    expect(Array.from(r.z)).toEqual(Array.from(matmul(X, W, new Float64Array(3), 2, 3, 3)));
  });
});

/** Per-step losses of `steps` steps of a Run with the given ops, and its final evaluation. */
function train(cfg: TrainConfig, steps: number, withOps: DenseOps | undefined) {
  const run = new Run(cfg, undefined, { ops: withOps });
  const { steps: recs } = run.step(steps);
  return { losses: recs.map((s) => s.loss), val: run.evaluate('val').loss };
}

function expectTrainingParity(cfg: TrainConfig, steps: number) {
  const ts = train(cfg, steps, undefined);
  const wa = train(cfg, steps, ops);
  expect(wa.losses.length).toBe(steps);
  expect(ts.losses.length).toBe(steps);
  let worst = 0;
  for (let s = 0; s < steps; s++)
    worst = Math.max(worst, Math.abs(wa.losses[s] - ts.losses[s]) / Math.abs(ts.losses[s]));
  // the GPU parity tolerance: 1e-3 relative per-step loss
  expect(worst).toBeLessThan(1e-3);
  expect(Math.abs(wa.val - ts.val) / ts.val).toBeLessThan(1e-3);
  // and training did something: the last losses are well below the first
  expect(ts.losses[steps - 1]).toBeLessThan(ts.losses[0] * 0.8);
}

describe('200-step training parity, WebAssembly ops vs the TypeScript engine', () => {
  it('2D net (circle, 2-8-8-2 tanh/relu, momentum)', () => {
    const c = defaultConfig();
    c.data = { ...c.data, name: 'circle', samples: 300, valFraction: 0.2, noise: 0.1 };
    c.model.hidden = [
      { units: 8, activation: 'tanh', dropout: 0, batchNorm: false },
      { units: 8, activation: 'relu', dropout: 0, batchNorm: false },
    ];
    c.optimizer.name = 'momentum';
    c.optimizer.lr = 0.05;
    c.batchSize = 16;
    expectTrainingParity(c, 200);
  });

  it('digits net (784-64-10 relu, batch 128, sgd)', async () => {
    await loadDigits();
    const c = defaultConfig();
    c.data = { ...c.data, name: 'digits', samples: 1200, valFraction: 1 / 6 };
    c.model.hidden = [{ units: 64, activation: 'relu', dropout: 0, batchNorm: false }];
    c.model.loss = 'softmaxCE';
    c.optimizer.name = 'sgd';
    c.optimizer.lr = 0.1;
    c.batchSize = 128;
    expectTrainingParity(c, 200);
  });
});
