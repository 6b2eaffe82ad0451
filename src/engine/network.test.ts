// Whole-network checks: the gradient of the full loss (data + every regularizer) against finite
// differences in float64, with dropout (a fixed mask: same seed and step) and with batch norm;
// the dropout expectation between training and evaluation; batch norm's two modes.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { maxRelError, numericGrad } from './gradCheck';
import { buildLayout, decayMask, initBnStats, initParams, type ParamLayout } from './layout';
import { type ForwardOptions, forward, lossAndGrad, type Targets, updateBatchNormStats } from './network';
import { l1PenaltyGrad } from './regularizers';
import { Rng } from './rng';
import type { LayerConfig, ModelConfig, RegConfig } from './types';

const TOL = 1e-4;

function model(hidden: Partial<LayerConfig>[], over: Partial<ModelConfig> = {}): ModelConfig {
  const m = defaultConfig().model;
  m.hidden = hidden.map((h) => ({ units: 4, activation: 'tanh', dropout: 0, batchNorm: false, ...h }));
  return { ...m, ...over };
}

/** Float64 parameters from the engine's initializer, jittered so no bias/gamma sits exactly at an L1 kink. */
function params64(layout: ParamLayout, m: ModelConfig, seed: number): Float64Array {
  const rng = new Rng(seed);
  const theta = Float64Array.from(initParams(layout, m, rng));
  for (let k = 0; k < theta.length; k++) theta[k] += 0.1 * rng.gaussian();
  return theta;
}

function checkNet(m: ModelConfig, reg: RegConfig, inputDim: number, outputDim: number, targets: Targets, B: number) {
  const layout = buildLayout(m, inputDim, outputDim);
  const theta = params64(layout, m, 7);
  const rng = new Rng(8);
  const X = Float64Array.from({ length: B * inputDim }, () => rng.gaussian());
  const stats = Float64Array.from(initBnStats(layout));
  const mask = decayMask(layout, reg.decayBiases);
  const opts: ForwardOptions = { train: true, model: m, dropoutSeed: 1234, step: 17 };
  const f = (t: Float64Array) => lossAndGrad(layout, t, stats, X, targets, B, opts, reg, mask).loss;
  const analytic = lossAndGrad(layout, theta, stats, X, targets, B, opts, reg, mask).grad;
  // lossAndGrad leaves out the weights' L1 (training takes its proximal step); away from 0 its
  // derivative is the subgradient, which the full loss's finite differences include
  l1PenaltyGrad(theta, mask, reg.l1, analytic);
  return maxRelError(analytic, numericGrad(f, theta));
}

const REG_ALL: RegConfig = { l2: 0.01, l1: 0.003, l1Act: 0.02, decayBiases: true };
const REG_NONE: RegConfig = { l2: 0, l1: 0, l1Act: 0, decayBiases: false };
const labels = (B: number, C: number) => Int32Array.from({ length: B }, (_, n) => (n * 7) % C);

describe('whole-network gradient (float64, finite differences)', () => {
  it('plain MLP, every activation, softmax cross-entropy', () => {
    const m = model([
      { units: 5, activation: 'relu' },
      { units: 4, activation: 'leakyRelu' },
      { units: 4, activation: 'elu' },
      { units: 3, activation: 'sigmoid' },
      { units: 3, activation: 'linear' },
    ]);
    expect(checkNet(m, REG_NONE, 3, 4, labels(6, 4), 6)).toBeLessThan(TOL);
  });

  it('with every regularizer (L2, L1 on weights and biases, L1 on activations)', () => {
    const m = model([{ units: 5 }, { units: 4, activation: 'elu' }]);
    expect(checkNet(m, REG_ALL, 3, 3, labels(6, 3), 6)).toBeLessThan(TOL);
  });

  it('with Bernoulli and Gaussian dropout (fixed mask)', () => {
    for (const dropoutKind of ['bernoulli', 'gaussian'] as const) {
      const m = model(
        [
          { units: 6, dropout: 0.5 },
          { units: 5, activation: 'relu', dropout: 0.3 },
        ],
        { dropoutKind },
      );
      expect(checkNet(m, REG_ALL, 2, 3, labels(8, 3), 8)).toBeLessThan(TOL);
    }
  });

  it('with batch norm (training mode), combined with dropout', () => {
    const m = model([
      { units: 5, batchNorm: true },
      { units: 4, activation: 'relu', batchNorm: true, dropout: 0.25 },
    ]);
    expect(checkNet(m, REG_ALL, 3, 3, labels(7, 3), 7)).toBeLessThan(TOL);
  });

  it("a batch-norm layer's dense bias gets exactly 0 in float32 (not rounding noise); the others do not", () => {
    const m = model([{ units: 6, batchNorm: true }, { units: 4 }]);
    const layout = buildLayout(m, 3, 3);
    const theta = initParams(layout, m, new Rng(3));
    const rng = new Rng(4);
    const B = 16;
    const X = Float32Array.from({ length: B * 3 }, () => rng.gaussian());
    const opts: ForwardOptions = { train: true, model: m, dropoutSeed: 1, step: 0 };
    const mask = decayMask(layout, true);
    const { grad } = lossAndGrad(layout, theta, initBnStats(layout), X, labels(B, 3), B, opts, REG_ALL, mask);
    const [bn, plain, out] = layout.layers;
    expect(Array.from(grad.subarray(bn.b, bn.b + bn.outDim))).toEqual(new Array(bn.outDim).fill(0));
    expect(grad.subarray(bn.gamma, bn.gamma + bn.outDim).some((g) => g !== 0)).toBe(true);
    for (const L of [plain, out]) expect(grad.subarray(L.b, L.b + L.outDim).some((g) => g !== 0)).toBe(true);
  });

  it('mean squared error, for regression targets and for one-hot class targets', () => {
    const m = model([{ units: 5, batchNorm: true }, { units: 4 }], { loss: 'mse' });
    const rng = new Rng(3);
    const targets = Float64Array.from({ length: 6 * 2 }, () => rng.gaussian());
    expect(checkNet(m, REG_ALL, 3, 2, targets, 6)).toBeLessThan(TOL);
    expect(checkNet(m, REG_NONE, 3, 3, labels(6, 3), 6)).toBeLessThan(TOL);
  });
});

describe('dropout expectation: training mean equals evaluation output', () => {
  // One hidden layer with dropout, linear output: out = W2 (h * m) + b2 is linear in the mask, so
  // E[out_train] = W2 h E[m] + b2 = out_eval exactly when E[m] = 1. We replicate one input N times
  // (each row gets an independent mask) and compare the batch mean with the evaluation output.
  // The mean of N i.i.d. draws has standard error s / sqrt(N), s the sample standard deviation;
  // 5 standard errors bound a false failure at ~6e-7 per output.
  for (const dropoutKind of ['bernoulli', 'gaussian'] as const) {
    it(`${dropoutKind}, drop probability 0.5`, () => {
      const m = model([{ units: 16, activation: 'relu', dropout: 0.5 }], { dropoutKind });
      const layout = buildLayout(m, 2, 3);
      const theta = initParams(layout, m, new Rng(5));
      const stats = initBnStats(layout);
      const N = 20000;
      const X = new Float32Array(N * 2);
      for (let n = 0; n < N; n++) X.set([0.7, -1.3], n * 2);
      const base = { model: m, dropoutSeed: 42, step: 3 };
      const train = forward(layout, theta, stats, X, N, { ...base, train: true }).out;
      const evalOut = forward(layout, theta, stats, X.subarray(0, 2), 1, { ...base, train: false }).out;
      for (let o = 0; o < 3; o++) {
        let s = 0;
        let s2 = 0;
        for (let n = 0; n < N; n++) {
          s += train[n * 3 + o];
          s2 += train[n * 3 + o] ** 2;
        }
        const mean = s / N;
        const sd = Math.sqrt(s2 / N - mean * mean);
        expect(sd).toBeGreaterThan(0); // the masks really vary
        expect(Math.abs(mean - evalOut[o])).toBeLessThan((5 * sd) / Math.sqrt(N));
      }
    });
  }
});

describe('batch norm modes', () => {
  const m = model([{ units: 6, activation: 'linear', batchNorm: true }]);
  const layout = buildLayout(m, 3, 2);
  const theta = initParams(layout, m, new Rng(11));
  const B = 32;
  const rng = new Rng(12);
  // inputs far from zero mean and unit variance, so normalization has work to do
  const X = Float32Array.from({ length: B * 3 }, (_, k) => 5 + 3 * (k % 3) + 4 * rng.gaussian());

  it('training mode: every feature has zero mean and unit (biased) variance over the batch', () => {
    const u = forward(layout, theta, initBnStats(layout), X, B, {
      train: true,
      model: m,
      dropoutSeed: 0,
      step: 0,
    }).layers[0].u;
    for (let o = 0; o < 6; o++) {
      let s = 0;
      let s2 = 0;
      for (let n = 0; n < B; n++) {
        s += u[n * 6 + o];
        s2 += u[n * 6 + o] ** 2;
      }
      expect(Math.abs(s / B)).toBeLessThan(1e-5);
      // variance is var/(var+eps) with eps = 1e-5 and var >> 1: within 1e-4 of 1 (float32 sums)
      expect(Math.abs(s2 / B - (s / B) ** 2 - 1)).toBeLessThan(1e-4);
    }
  });

  it('evaluation mode uses the running statistics (and no sample depends on the others)', () => {
    const stats = initBnStats(layout);
    const opts = { model: m, dropoutSeed: 0, step: 0 };
    // Fold the same batch in many times: running mean -> batch mean, running var -> unbiased batch var.
    for (let t = 0; t < 300; t++) {
      const fwd = forward(layout, theta, stats, X, B, { ...opts, train: true });
      updateBatchNormStats(layout, stats, fwd, m.bnMomentum, B);
    }
    const fwd = forward(layout, theta, stats, X, B, { ...opts, train: true });
    const bn = fwd.layers[0].bn!;
    for (let o = 0; o < 6; o++) {
      expect(stats[o]).toBeCloseTo(bn.mean[o], 3);
      expect(stats[6 + o] / ((bn.var[o] * B) / (B - 1))).toBeCloseTo(1, 4);
    }
    // Eval output of sample 0 alone equals its row in the full batch, and follows the formula.
    const all = forward(layout, theta, stats, X, B, { ...opts, train: false }).layers[0].u;
    const one = forward(layout, theta, stats, X.subarray(0, 3), 1, { ...opts, train: false }).layers[0].u;
    const L = layout.layers[0];
    for (let o = 0; o < 6; o++) {
      expect(one[o]).toBe(all[o]);
      let z = theta[L.b + o];
      for (let i = 0; i < 3; i++) z += X[i] * theta[L.w + o * 3 + i];
      const ref = (theta[L.gamma + o] * (z - stats[o])) / Math.sqrt(stats[6 + o] + m.bnEps) + theta[L.beta + o];
      expect(one[o]).toBeCloseTo(ref, 4);
    }
    // ...and differs from the training-mode output (which used this batch's statistics)
    // only by the unbiased/biased variance ratio, so they are close but not equal.
    expect(all[0]).not.toBe(fwd.layers[0].u[0]);
  });
});
