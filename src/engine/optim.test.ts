// Every optimizer against values computed by hand from its published formula, for three steps
// on a 3-element vector. The expected values are written out as arithmetic on explicit numbers
// (the hand computation), never produced by the code under test.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './defaults';
import { createOptimizerState, initOptimizerState, optimizerStep } from './optim';
import { adagradStep } from './optimizers/adagrad';
import { adamStep } from './optimizers/adam';
import { adamwStep } from './optimizers/adamw';
import { momentumStep } from './optimizers/momentum';
import { nesterovStep } from './optimizers/nesterov';
import { rmspropStep } from './optimizers/rmsprop';
import { sgdStep } from './optimizers/sgd';
import { Run } from './trainer';
import type { OptimizerConfig, OptimizerName } from './types';

const W0 = [1.0, -2.0, 0.5];
const G = [
  [0.5, -1.0, 2.0],
  [0.1, 0.2, -0.3],
  [-0.4, 0.0, 1.0],
];

function expectClose(actual: ArrayLike<number>, expected: number[], tol = 1e-12) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tol);
}

/** Run three steps of `step` from W0 with gradients G, returning theta after each step. */
function threeSteps(step: (w: Float64Array, g: Float64Array, t: number) => void): number[][] {
  const w = Float64Array.from(W0);
  return G.map((g, k) => {
    step(w, Float64Array.from(g), k + 1);
    return Array.from(w);
  });
}

describe('sgdStep: w -= lr*g', () => {
  it('matches the hand computation (lr = 0.1)', () => {
    const ws = threeSteps((w, g) => sgdStep(w, g, 0.1));
    expectClose(ws[0], [1 - 0.05, -2 + 0.1, 0.5 - 0.2]); // [0.95, -1.9, 0.3]
    expectClose(ws[1], [0.95 - 0.01, -1.9 - 0.02, 0.3 + 0.03]); // [0.94, -1.92, 0.33]
    expectClose(ws[2], [0.94 + 0.04, -1.92, 0.33 - 0.1]); // [0.98, -1.92, 0.23]
  });
});

describe('momentumStep (lecture): v = mu*v - lr*g; w += v', () => {
  it('matches the hand computation (lr = 0.1, mu = 0.9)', () => {
    const vel = new Float64Array(3);
    const ws = threeSteps((w, g) => momentumStep(w, g, vel, 0.1, 0.9));
    // v1 = -0.1*g1 = [-0.05, 0.1, -0.2]
    expectClose(ws[0], [0.95, -1.9, 0.3]);
    // v2 = 0.9*v1 - 0.1*g2 = [-0.045 - 0.01, 0.09 - 0.02, -0.18 + 0.03] = [-0.055, 0.07, -0.15]
    expectClose(ws[1], [0.95 - 0.055, -1.9 + 0.07, 0.3 - 0.15]);
    // v3 = 0.9*v2 - 0.1*g3 = [-0.0495 + 0.04, 0.063, -0.135 - 0.1] = [-0.0095, 0.063, -0.235]
    expectClose(ws[2], [0.895 - 0.0095, -1.83 + 0.063, 0.15 - 0.235]);
    expectClose(vel, [-0.0095, 0.063, -0.235]);
  });
});

describe('nesterovStep: w += -mu*v_prev + (1+mu)*v', () => {
  it('matches the hand computation (lr = 0.1, mu = 0.9)', () => {
    const vel = new Float64Array(3);
    const ws = threeSteps((w, g) => nesterovStep(w, g, vel, 0.1, 0.9));
    // Same velocities as momentum: v1 = [-0.05, 0.1, -0.2], v2 = [-0.055, 0.07, -0.15], v3 = [-0.0095, 0.063, -0.235].
    // w1 = w0 + 1.9*v1
    expectClose(ws[0], [1 - 0.095, -2 + 0.19, 0.5 - 0.38]); // [0.905, -1.81, 0.12]
    // w2 = w1 - 0.9*v1 + 1.9*v2
    expectClose(ws[1], [0.905 + 0.045 - 0.1045, -1.81 - 0.09 + 0.133, 0.12 + 0.18 - 0.285]); // [0.8455, -1.767, 0.015]
    // w3 = w2 - 0.9*v2 + 1.9*v3
    expectClose(ws[2], [0.8455 + 0.0495 - 0.01805, -1.767 - 0.063 + 0.1197, 0.015 + 0.135 - 0.4465]);
  });
});

describe('adagradStep: c += g^2; w -= lr*g/(sqrt(c)+eps)', () => {
  it('matches the hand computation (lr = 0.1, eps = 1e-8)', () => {
    const cache = new Float64Array(3);
    const e = 1e-8;
    const ws = threeSteps((w, g) => adagradStep(w, g, cache, 0.1, e));
    // c1 = [0.25, 1, 4]: each coordinate moves by 0.1*sign(g)
    const w1 = [1 - 0.05 / (0.5 + e), -2 + 0.1 / (1 + e), 0.5 - 0.2 / (2 + e)];
    expectClose(ws[0], w1);
    // c2 = [0.25 + 0.01, 1 + 0.04, 4 + 0.09]
    const w2 = [
      w1[0] - 0.01 / (Math.sqrt(0.26) + e),
      w1[1] - 0.02 / (Math.sqrt(1.04) + e),
      w1[2] + 0.03 / (Math.sqrt(4.09) + e),
    ];
    expectClose(ws[1], w2);
    // c3 = [0.26 + 0.16, 1.04 + 0, 4.09 + 1]
    expectClose(ws[2], [w2[0] + 0.04 / (Math.sqrt(0.42) + e), w2[1], w2[2] - 0.1 / (Math.sqrt(5.09) + e)]);
    expectClose(cache, [0.42, 1.04, 5.09]);
  });
});

describe('rmspropStep: c = rho*c + (1-rho)*g^2; w -= lr*g/(sqrt(c)+eps)', () => {
  it('matches the hand computation (lr = 0.01, rho = 0.9, eps = 1e-8)', () => {
    const cache = new Float64Array(3);
    const e = 1e-8;
    const ws = threeSteps((w, g) => rmspropStep(w, g, cache, 0.01, 0.9, e));
    // c1 = 0.1*g1^2 = [0.025, 0.1, 0.4]
    const w1 = [
      1 - 0.005 / (Math.sqrt(0.025) + e),
      -2 + 0.01 / (Math.sqrt(0.1) + e),
      0.5 - 0.02 / (Math.sqrt(0.4) + e),
    ];
    expectClose(ws[0], w1);
    // c2 = 0.9*c1 + 0.1*g2^2 = [0.0225 + 0.001, 0.09 + 0.004, 0.36 + 0.009] = [0.0235, 0.094, 0.369]
    const w2 = [
      w1[0] - 0.001 / (Math.sqrt(0.0235) + e),
      w1[1] - 0.002 / (Math.sqrt(0.094) + e),
      w1[2] + 0.003 / (Math.sqrt(0.369) + e),
    ];
    expectClose(ws[1], w2);
    // c3 = 0.9*c2 + 0.1*g3^2 = [0.02115 + 0.016, 0.0846, 0.3321 + 0.1] = [0.03715, 0.0846, 0.4321]
    expectClose(ws[2], [w2[0] + 0.004 / (Math.sqrt(0.03715) + e), w2[1], w2[2] - 0.01 / (Math.sqrt(0.4321) + e)]);
    expectClose(cache, [0.03715, 0.0846, 0.4321]);
  });
});

// Adam hand computation (lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8), bias corrections explicit.
const e = 1e-8;
// t = 1: m1 = 0.1*g1 = [0.05, -0.1, 0.2]; v1 = 0.001*g1^2 = [0.00025, 0.001, 0.004]
//        mhat = m1/(1-0.9) = g1, vhat = v1/(1-0.999) = g1^2 -> each coordinate moves 0.1*sign(g1)
const M1 = [0.05, -0.1, 0.2];
const V1 = [0.00025, 0.001, 0.004];
const ADAM_STEP1 = M1.map((m, i) => (0.1 * (m / 0.1)) / (Math.sqrt(V1[i] / 0.001) + e));
// t = 2: m2 = 0.9*m1 + 0.1*g2 = [0.055, -0.07, 0.15]; v2 = 0.999*v1 + 0.001*g2^2 = [0.00025975, 0.001039, 0.004086]
//        c1 = 1 - 0.9^2 = 0.19, c2 = 1 - 0.999^2 = 0.001999
const M2 = [0.055, -0.07, 0.15];
const V2 = [0.00025975, 0.001039, 0.004086];
const ADAM_STEP2 = M2.map((m, i) => (0.1 * (m / 0.19)) / (Math.sqrt(V2[i] / 0.001999) + e));
// t = 3: m3 = 0.9*m2 + 0.1*g3 = [0.0095, -0.063, 0.235]; v3 = 0.999*v2 + 0.001*g3^2
//        = [0.00025949025 + 0.00016, 0.001037961, 0.004081914 + 0.001]; c1 = 0.271, c2 = 0.002997001
const M3 = [0.0095, -0.063, 0.235];
const V3 = [0.00041949025, 0.001037961, 0.005081914];
const ADAM_STEP3 = M3.map((m, i) => (0.1 * (m / 0.271)) / (Math.sqrt(V3[i] / 0.002997001) + e));

describe('adamStep with bias correction (t from 1)', () => {
  it('matches the hand computation for three steps', () => {
    const m = new Float64Array(3);
    const v = new Float64Array(3);
    const ws = threeSteps((w, g, t) => adamStep(w, g, m, v, t, 0.1, 0.9, 0.999, e));
    const w1 = W0.map((w, i) => w - ADAM_STEP1[i]);
    const w2 = w1.map((w, i) => w - ADAM_STEP2[i]);
    const w3 = w2.map((w, i) => w - ADAM_STEP3[i]);
    expectClose(ws[0], w1);
    expectClose(ws[1], w2);
    expectClose(ws[2], w3);
    expectClose(m, M3);
    expectClose(v, V3);
  });

  it('first step moves every coordinate by lr, whatever the gradient scale', () => {
    const w = new Float64Array([0, 0, 0, 0]);
    const g = new Float64Array([1e-3, -1, 1e3, -1e5]);
    adamStep(w, g, new Float64Array(4), new Float64Array(4), 1, 0.01, 0.9, 0.999, 1e-8);
    // Without bias correction the move would be 0.01 * 0.1/sqrt(0.001) = 0.0316 (3.16x lr).
    for (let i = 0; i < 4; i++) expect(Math.abs(Math.abs(w[i]) - 0.01) / 0.01).toBeLessThan(1e-4);
    expect(Math.sign(w[0])).toBe(-1);
    expect(Math.sign(w[1])).toBe(1);
  });

  it('rejects t = 0 (bias correction would divide by zero)', () => {
    const z = new Float64Array(1);
    expect(() => adamStep(z, z, z, z, 0, 0.1, 0.9, 0.999, 1e-8)).toThrow(/t counts from 1/);
  });
});

describe('adamwStep: Adam plus decoupled decay w -= lr*lambda*w on masked entries', () => {
  it('matches the hand computation (lambda = 0.01, mask [1, 0, 1])', () => {
    const m = new Float64Array(3);
    const v = new Float64Array(3);
    const mask = new Uint8Array([1, 0, 1]);
    const ws = threeSteps((w, g, t) => adamwStep(0.01, mask, w, g, m, v, t, 0.1, 0.9, 0.999, e));
    // The Adam moments do not see the decay, so the Adam moves are the ones above.
    const decay = (w: number[]) => w.map((x, i) => (mask[i] ? 0.1 * 0.01 * x : 0));
    const step = (w: number[], adam: number[]) => {
      const d = decay(w);
      return w.map((x, i) => x - d[i] - adam[i]);
    };
    const w1 = step(W0, ADAM_STEP1); // [1 - 0.001 - 0.1, -2 + 0.1, 0.5 - 0.0005 - 0.1]
    expectClose(w1, [0.899, -1.9, 0.3995], 1e-8); // eps shifts the Adam move by ~1e-9
    const w2 = step(w1, ADAM_STEP2);
    const w3 = step(w2, ADAM_STEP3);
    expectClose(ws[0], w1);
    expectClose(ws[1], w2);
    expectClose(ws[2], w3);
  });
});

describe('optimizerStep dispatch', () => {
  const cfgOf = (name: OptimizerName): OptimizerConfig => ({
    ...DEFAULT_CONFIG.optimizer,
    name,
    lr: 0.1,
    momentum: 0.9,
    beta1: 0.9,
    beta2: 0.999,
    rho: 0.9,
    eps: 1e-8,
    weightDecay: 0.01,
  });

  it('counts t from 1 and gives the hand-computed Adam path in float32', () => {
    const theta = Float32Array.from(W0);
    const state = createOptimizerState(3);
    for (const g of G) optimizerStep(cfgOf('adam'), theta, Float32Array.from(g), state, 0.1);
    expect(state.t).toBe(3);
    const w3 = W0.map((w, i) => w - ADAM_STEP1[i] - ADAM_STEP2[i] - ADAM_STEP3[i]);
    expectClose(theta, w3, 2e-6);
  });

  it('routes each optimizer to its own rule and state buffer', () => {
    const momentumCfg = cfgOf('momentum');
    const theta = Float32Array.from(W0);
    const state = createOptimizerState(3);
    for (const g of G) optimizerStep(momentumCfg, theta, Float32Array.from(g), state, 0.1);
    expectClose(theta, [0.8855, -1.767, -0.085], 1e-6);
    expectClose(state.m, [-0.0095, 0.063, -0.235], 1e-6);
    expectClose(state.v, [0, 0, 0]); // momentum keeps no cache

    const ada = createOptimizerState(3);
    const t2 = Float32Array.from(W0);
    optimizerStep(cfgOf('adagrad'), t2, Float32Array.from(G[0]), ada, 0.1);
    expectClose(ada.v, [0.25, 1, 4], 1e-7);
    expectClose(ada.m, [0, 0, 0]);

    const w = Float32Array.from(W0);
    optimizerStep(cfgOf('adamw'), w, Float32Array.from(G[0]), createOptimizerState(3), 0.1, new Uint8Array([1, 0, 1]));
    expectClose(w, [0.899, -1.9, 0.3995], 1e-6);
  });

  it('rejects mismatched sizes and unknown optimizers, naming the field', () => {
    const s = createOptimizerState(2);
    expect(() => optimizerStep(cfgOf('sgd'), new Float32Array(3), new Float32Array(3), s, 0.1)).toThrow(
      /state buffers/,
    );
    expect(() =>
      optimizerStep(
        { ...cfgOf('sgd'), name: 'nadam' as OptimizerName },
        new Float32Array(2),
        new Float32Array(2),
        s,
        0.1,
      ),
    ).toThrow(/optimizer.name/);
  });
});

describe("Adagrad's initial accumulator c0", () => {
  it('the first step divides by sqrt(c0 + g^2) + eps (PyTorch initial_accumulator_value)', () => {
    const cfg: OptimizerConfig = { ...DEFAULT_CONFIG.optimizer, name: 'adagrad', eps: 1e-8, initialAccumulator: 0.1 };
    const w = Float64Array.from(W0);
    const state = { t: 0, m: new Float64Array(3), v: new Float64Array(3) };
    initOptimizerState(state, cfg, w);
    expectClose(state.v, [0.1, 0.1, 0.1]);
    optimizerStep(cfg, w, Float64Array.from(G[0]), state, 0.1);
    // c = 0.1 + g^2 = [0.35, 1.1, 4.1]
    expectClose(w, [
      1 - 0.05 / (Math.sqrt(0.35) + 1e-8),
      -2 + 0.1 / (Math.sqrt(1.1) + 1e-8),
      0.5 - 0.2 / (Math.sqrt(4.1) + 1e-8),
    ]);
  });

  it('a Run starts the cache at c0 at creation, on reset and on switching to Adagrad', () => {
    const cfg = (name: OptimizerName, c0: number) => {
      const c = structuredClone(DEFAULT_CONFIG);
      c.optimizer = { ...c.optimizer, name, lr: 0.1, initialAccumulator: c0 };
      return c;
    };
    /** max |dtheta| of the next step */
    const move = (run: Run) => {
      const before = run.getParams();
      run.step(1);
      return run.getParams().reduce((d, x, k) => Math.max(d, Math.abs(x - before[k])), 0);
    };
    const plain = move(new Run(cfg('adagrad', 0))); // about lr: every coordinate moves lr sign(g)
    expect(plain).toBeGreaterThan(0.09);
    // c0 = 1e6 shrinks the first step ~1000-fold: it is there at creation ...
    const damped = new Run(cfg('adagrad', 1e6));
    expect(move(damped)).toBeLessThan(plain / 100);
    // ... after a reset ...
    damped.reset();
    expect(move(damped)).toBeLessThan(plain / 100);
    // ... and after switching from SGD
    const switched = new Run(cfg('sgd', 1e6));
    switched.step(3);
    switched.setHyper(cfg('adagrad', 1e6));
    expect(move(switched)).toBeLessThan(plain / 100);
  });
});
