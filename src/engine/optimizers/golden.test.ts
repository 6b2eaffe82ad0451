// Lion and LAMB against float64 golden trajectories from plain numpy transcriptions of optax's
// lion and lamb (golden/make_golden.py names the files and commit): the diagonal quadratic and a
// 3-5-3 tanh MLP on fixed batches (gradients from the engine's own network), 100 steps each.
// float64 step: within 1e-10 relative; float32 step (training): within 5e-5 + 1e-4|w|.
import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../floatArray';
import { buildLayout, decayMask, paramSegments } from '../layout';
import { lossAndGrad } from '../network';
import { createOptimizerState, optimizerStep } from '../optim';
import golden from './golden/lion_lamb.json';
import { defaultHypers } from './hypers';
import type { OptimizerConfig, OptimizerName } from './registry';

type Case = (typeof golden.cases)[number];

const model = {
  hidden: [{ units: golden.mlp.hidden, activation: 'tanh' as const, dropout: 0, batchNorm: false }],
  init: 'xavier' as const,
  initScale: 1,
  loss: 'softmaxCE' as const,
  dropoutKind: 'bernoulli' as const,
  bnMomentum: 0.9,
  bnEps: 1e-5,
  initSeed: 0,
};
const layout = buildLayout(model, golden.mlp.inputDim, golden.mlp.classes);
const reg = { l2: 0, l1: 0, l1Act: 0, decayBiases: false };

/** The problem's gradient at theta, step s, in theta's precision. */
function gradient(c: Case, theta: FloatArray, s: number): FloatArray {
  if (c.problem === 'quad') {
    const g = new (theta.constructor as Float64ArrayConstructor)(theta.length);
    for (let i = 0; i < theta.length; i++) g[i] = golden.quad.d[i] * (theta[i] - golden.quad.c[i]);
    return g;
  }
  const b = s % golden.mlp.y.length;
  const X = new (theta.constructor as Float64ArrayConstructor)(golden.mlp.X[b]);
  const y = Int32Array.from(golden.mlp.y[b]);
  const opts = { train: true, model, dropoutSeed: 0, step: s };
  return lossAndGrad(layout, theta, new Float64Array(0), X, y, golden.mlp.batch, opts, reg, decayMask(layout, false))
    .grad;
}

/** The 100-step trajectory of the engine's step, in float64 or float32. */
function trajectory(c: Case, Arr: Float64ArrayConstructor | Float32ArrayConstructor): number[][] {
  const theta = Arr.from(c.theta0);
  const P = theta.length;
  const cfg: OptimizerConfig = { ...defaultHypers(), ...c.hypers, name: c.optimizer as OptimizerName };
  const state = createOptimizerState(P);
  const st = Arr === Float64Array ? { t: 0, m: new Float64Array(P), v: new Float64Array(P) } : state;
  const mlp = c.problem === 'mlp';
  const mask = mlp ? decayMask(layout, false) : null;
  const segments = mlp ? paramSegments(layout) : undefined;
  return c.theta.map((_, s) => {
    optimizerStep(cfg, theta, gradient(c, theta, s), st, c.hypers.lr, mask, segments);
    return Array.from(theta);
  });
}

describe.each(golden.cases.map((c) => [`${c.optimizer} on ${c.problem}`, c] as const))('%s', (_, c) => {
  it('float64: every step within 1e-10 relative of the golden trajectory', () => {
    const got = trajectory(c, Float64Array);
    let worst = 0;
    got.forEach((w, s) => {
      w.forEach((x, i) => {
        const ref = c.theta[s][i];
        worst = Math.max(worst, Math.abs(x - ref) / Math.max(Math.abs(ref), 1e-300));
      });
    });
    expect(worst).toBeLessThan(1e-10);
  });

  it('float32: every step within 5e-5 + 1e-4|w| of the golden trajectory', () => {
    const got = trajectory(c, Float32Array);
    got.forEach((w, s) => {
      w.forEach((x, i) => {
        const ref = c.theta[s][i];
        expect(Math.abs(x - ref), `step ${s + 1}, w[${i}]`).toBeLessThan(5e-5 + 1e-4 * Math.abs(ref));
      });
    });
  });

  it('the trajectory trains (the golden is not a standstill) and stays clear of the unclamped-ratio regime', () => {
    expect(c.loss[c.loss.length - 1]).toBeLessThan(c.loss[0]);
    for (const w of c.theta) expect(Math.hypot(...w)).toBeLessThan(10); // cybertronai's clamp would not act
  });
});
