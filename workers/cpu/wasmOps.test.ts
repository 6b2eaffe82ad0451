// The WebAssembly SIMD kernels against the engine's TypeScript dense ops (float64 accumulation):
// per-kernel parity on random shapes, then 200 training steps of a Run with the kernels against a
// Run without them. Node runs the same .wasm files the browser worker fetches: the plain-SIMD
// build always, the relaxed-SIMD (FMA) build where this Node validates it (vite.config.ts passes
// Node 20 its V8 flag; skipped, and reported so, where it does not).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Activation,
  activationBackward,
  activationForward,
  type DenseOps,
  defaultConfig,
  matmul,
  matmulBackwardW,
  matmulBackwardX,
  Run,
} from '../../src/engine';
import { makeDataset } from '../../src/engine/data/dataset';
import type { DigitsData } from '../../src/engine/data/digits';
import { adamStep } from '../../src/engine/optimizers/adam';
import { Rng } from '../../src/engine/rng';
import type { TrainConfig } from '../../src/engine/types';
import { loadDigits } from '../digits';
import { CPU_NAME_TS, CPU_NAME_WASM, CpuBackend } from './backend';
import { wasmOps } from './wasmLoad';
import type { WasmKind } from './wasmOps';

type Loaded = DenseOps & { poison(): void };
const builds: Partial<Record<WasmKind, Loaded>> = {};

beforeAll(async () => {
  for (const kind of ['simd', 'relaxed-simd'] as const) {
    const loaded = await wasmOps([kind]);
    if (loaded) builds[kind] = loaded.ops;
  }
  if (!builds.simd) throw new Error('the plain-SIMD build did not load (npm run build:wasm)');
});

// Known before the tests are collected, so a build this Node cannot run is reported as skipped.
const relaxedRuns = WebAssembly.validate(readFileSync(new URL('./wasm/build/dense-relaxed.wasm', import.meta.url)));

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

describe.each([
  ['simd', true],
  ['relaxed-simd', relaxedRuns],
] as const)('WebAssembly %s dense kernels vs the engine', (kind, runs) => {
  it.skipIf(!runs)('forward: z = X W^T + b and the fused activation, on every shape and activation', () => {
    const ops = builds[kind]!;
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

  it.skipIf(!runs)('backward: dX = dY W, dW = dY^T X, db = sum dY, on every shape', () => {
    const ops = builds[kind]!;
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

  it.skipIf(!runs)(
    'backward X with the ReLU derivative fused: the floats of backwardX, then activationBackward',
    () => {
      const ops = builds[kind]!;
      const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(a).buffer));
      for (const [B, I, O] of SHAPES) {
        const dY = rand(B * O);
        const W = rand(O * I);
        const u = rand(B * I);
        // the kink (left derivative 0), a negative zero and NaN
        u[0] = 0;
        if (u.length > 2) [u[1], u[2]] = [-0, Number.NaN];
        ops.poison();
        const ref = activationBackward(Float32Array.from(ops.backwardX(dY, W, B, I, O)), u, u, 'relu');
        ops.poison();
        const out = new Float32Array(B * I);
        const got = ops.backwardXAct!(dY, W, B, I, O, u, 'relu', out);
        expect(got).toBe(out);
        expect(bits(got!), `${B}x${I}x${O}`).toEqual(bits(ref));
        // negative entries of dY W times 0 stay -0, as in the engine
        if (B * I > 8) expect(ref.some((x, i) => Object.is(x, -0) && !(u[i] > 0))).toBe(true);
        expect(ops.backwardXAct!(dY, W, B, I, O, u, 'tanh')).toBeUndefined();
      }
    },
  );

  it.skipIf(!runs)('a ReLU Run: the same losses and weights bit for bit with and without the fused derivative', () => {
    const c = defaultConfig();
    c.data = { ...c.data, name: 'circle', samples: 300, valFraction: 0.2, noise: 0.1 };
    c.model.hidden = [16, 16, 8].map((units) => ({ units, activation: 'relu' as const, dropout: 0, batchNorm: false }));
    c.optimizer.name = 'momentum';
    c.optimizer.lr = 0.05;
    c.batchSize = 16;
    const ops = builds[kind]!;
    let fused = 0;
    const counted: DenseOps = {
      ...ops,
      backwardXAct: (...a: Parameters<NonNullable<DenseOps['backwardXAct']>>) => {
        fused++;
        return ops.backwardXAct!(...a);
      },
    };
    const run = (o: DenseOps) => {
      const r = new Run(c, makeDataset(c.data, c.seed), { ops: o });
      const { steps } = r.step(100);
      return { losses: steps.map((s) => s.loss), ratios: steps.map((s) => s.updateRatio), theta: r.getParams() };
    };
    const a = run(counted);
    expect(fused).toBe(300); // layers 3 -> 2, 2 -> 1, 1 -> 0 on each of the 100 steps
    const b = run({ ...ops, backwardXAct: undefined });
    expect(a.losses).toEqual(b.losses);
    expect(a.ratios).toEqual(b.ratios);
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
  });

  it.skipIf(!runs)('float64 operands (gradient checks) go to the engine unchanged', () => {
    const ops = builds[kind]!;
    const X = Float64Array.from(rand(6));
    const W = Float64Array.from(rand(9));
    const r = ops.forward(X, W, new Float64Array(3), 2, 3, 3, null);
    expect(r.z).toBeInstanceOf(Float64Array);
    expect(Array.from(r.z)).toEqual(Array.from(matmul(X, W, new Float64Array(3), 2, 3, 3)));
  });
});

describe.each([
  ['simd', true],
  ['relaxed-simd', relaxedRuns],
] as const)('WebAssembly %s optimizer loops vs the engine', (kind, runs) => {
  it.skipIf(!runs)('Adam: the same theta, m and v bit for bit, on odd and even lengths and several steps t', () => {
    const adam = builds[kind]!.update!.adam!;
    for (const P of [1, 2, 3, 8, 37, 1000, 4099]) {
      const theta = rand(P);
      const m = rand(P).map((x) => x * 0.1);
      const v = rand(P).map((x) => x * x * 0.01);
      const ref = [theta.slice(), m.slice(), v.slice()];
      const got = [theta.slice(), m.slice(), v.slice()];
      for (const t of [1, 2, 7, 100]) {
        const g = rand(P);
        g[0] = 0; // a zero gradient on a zero-ish second moment: the eps path
        adamStep(ref[0], g, ref[1], ref[2], t, 0.01, 0.9, 0.999, 1e-8);
        builds[kind]!.poison();
        adam(got[0], g, got[1], got[2], t, 0.01, 0.9, 0.999, 1e-8);
        for (const [j, name] of ['theta', 'm', 'v'].entries()) {
          const a = new Uint32Array(got[j].buffer);
          const b = new Uint32Array(ref[j].buffer);
          const at = a.findIndex((x, i) => x !== b[i]);
          expect(at === -1 ? 'same' : `${name} P=${P} t=${t} [${at}]: ${got[j][at]} vs ${ref[j][at]}`).toBe('same');
        }
      }
    }
  });

  it.skipIf(!runs)('a Run on Adam: the same losses with the WebAssembly loop as with the engine loop', () => {
    const c = defaultConfig();
    c.data = { ...c.data, name: 'circle', samples: 300, valFraction: 0.2, noise: 0.1 };
    c.model.hidden = [{ units: 16, activation: 'tanh', dropout: 0, batchNorm: false }];
    c.optimizer.name = 'adam';
    c.optimizer.lr = 0.03;
    c.batchSize = 16;
    const ops = builds[kind]!;
    let calls = 0;
    const counted = {
      ...ops,
      update: {
        adam: (...a: Parameters<typeof adamStep>) => {
          calls++;
          ops.update!.adam!(...a);
        },
      },
    };
    const withLoop = train(c, 200, counted);
    expect(calls).toBe(200);
    const without = train(c, 200, { ...ops, update: undefined });
    expect(withLoop.losses).toEqual(without.losses);
    // and it trained: the last 20 batches' mean loss well below the first 20's
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    expect(mean(withLoop.losses.slice(180))).toBeLessThan(mean(withLoop.losses.slice(0, 20)) * 0.8);
  });
});

/** Per-step losses of `steps` steps of a Run with the given ops, and its final evaluation. */
function train(cfg: TrainConfig, steps: number, withOps: DenseOps | undefined, digits?: DigitsData) {
  const run = new Run(cfg, makeDataset(cfg.data, cfg.seed, digits), { ops: withOps });
  const { steps: recs } = run.step(steps);
  return { losses: recs.map((s) => s.loss), val: run.evaluate('val').loss };
}

// The TypeScript reference of each config, trained once for both builds.
const tsRuns = new Map<string, ReturnType<typeof train>>();

function expectTrainingParity(cfg: TrainConfig, steps: number, ops: DenseOps, digits?: DigitsData) {
  const key = JSON.stringify([cfg, steps]);
  const ts = tsRuns.get(key) ?? train(cfg, steps, undefined, digits);
  tsRuns.set(key, ts);
  const wa = train(cfg, steps, ops, digits);
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

describe.each([
  ['simd', true],
  ['relaxed-simd', relaxedRuns],
] as const)('200-step training parity, WebAssembly %s ops vs the TypeScript engine', (kind, runs) => {
  it.skipIf(!runs)('2D net (circle, 2-8-8-2 tanh/relu, momentum)', () => {
    const c = defaultConfig();
    c.data = { ...c.data, name: 'circle', samples: 300, valFraction: 0.2, noise: 0.1 };
    c.model.hidden = [
      { units: 8, activation: 'tanh', dropout: 0, batchNorm: false },
      { units: 8, activation: 'relu', dropout: 0, batchNorm: false },
    ];
    c.optimizer.name = 'momentum';
    c.optimizer.lr = 0.05;
    c.batchSize = 16;
    expectTrainingParity(c, 200, builds[kind]!);
  });

  it.skipIf(!runs)('2D net of the bench (circle, 2-16-16-2 tanh, batch 32, adam)', () => {
    const c = defaultConfig();
    c.data = { ...c.data, name: 'circle', samples: 600, valFraction: 0.2, noise: 0.1 };
    c.model.hidden = [16, 16].map((units) => ({ units, activation: 'tanh' as const, dropout: 0, batchNorm: false }));
    c.model.loss = 'softmaxCE';
    c.optimizer.name = 'adam';
    c.optimizer.lr = 0.005;
    c.batchSize = 32;
    expectTrainingParity(c, 200, builds[kind]!);
  });

  it.skipIf(!runs)('digits net (784-64-10 relu, batch 128, sgd)', async () => {
    const digits = await loadDigits();
    const c = defaultConfig();
    c.data = { ...c.data, name: 'digits', samples: 1200, valFraction: 1 / 6 };
    c.model.hidden = [{ units: 64, activation: 'relu', dropout: 0, batchNorm: false }];
    c.model.loss = 'softmaxCE';
    c.optimizer.name = 'sgd';
    c.optimizer.lr = 0.1;
    c.batchSize = 128;
    expectTrainingParity(c, 200, builds[kind]!, digits);
  });
});

describe('CpuBackend kernels', () => {
  it('trains on the WebAssembly kernels and says so; kernels: typescript keeps the engine and says so', async () => {
    const c = defaultConfig();
    c.data = { ...c.data, name: 'xor', samples: 100 };
    const wa = new CpuBackend();
    const ts = new CpuBackend({ kernels: 'typescript' });
    const run = new Run(c);
    for (const b of [wa, ts]) await b.build([c], run.dataset, run.getParams());
    expect(wa.info.name).toBe(CPU_NAME_WASM);
    expect(ts.info.name).toBe(CPU_NAME_TS);
    const [a] = await wa.train(30);
    const [t] = await ts.train(30);
    const la = Array.from(a.steps.loss);
    const lt = Array.from(t.steps.loss);
    // the same training within float32 rounding, and not the same code path (the sums round differently)
    expect(la.length).toBe(30);
    expect(la.every((l, i) => Math.abs(l - lt[i]) <= 1e-3 * lt[i])).toBe(true);
    expect(la).not.toEqual(lt);
  });
});
