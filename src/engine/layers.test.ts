// Finite-difference gradient checks (float64) of every building block: activations, the dense
// layer, dropout, batch norm, both losses and every regularizer. Each block's backward is
// tested through a random projection f = sum(R * out), so that one scalar exercises every
// entry of the Jacobian-vector product backward computes.
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, activationBackward, activationForward } from './activations';
import { batchNormBackward, batchNormForward } from './batchnorm';
import { matmul, matmulBackwardW, matmulBackwardX } from './dense';
import { dropoutBackward, dropoutForward, dropoutMask } from './dropout';
import { maxRelError, numericGrad } from './gradCheck';
import { meanSquaredError, softmax, softmaxCrossEntropy } from './losses';
import {
  activationL1Penalty,
  activationL1PenaltyGrad,
  l1Penalty,
  l1PenaltyGrad,
  l2Penalty,
  l2PenaltyGrad,
} from './regularizers';
import { Rng } from './rng';
import { ACTIVATION_NAMES } from './types';

const TOL = 1e-4;
const rng = new Rng(12345);
/** Gaussian entries; with `gap`, every entry is at least `gap` away from 0 (keeps kinks out of reach of h). */
function randn(n: number, scale = 1, gap = 0): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = scale * rng.gaussian();
    if (Math.abs(v) < gap) v = v < 0 ? -gap - Math.abs(v) : gap + Math.abs(v);
    a[i] = v;
  }
  return a;
}
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

describe('activations', () => {
  for (const name of ACTIVATION_NAMES) {
    it(`${name}: backward matches finite differences`, () => {
      const z = randn(40, 2, 1e-3);
      const R = randn(40);
      const f = (x: Float64Array) => dot(R, activationForward(x, name));
      const y = activationForward(z, name);
      const err = maxRelError(activationBackward(R, z, y, name), numericGrad(f, z));
      expect(err).toBeLessThan(TOL);
    });
  }

  it('sigmoid never overflows and stays in [0, 1]', () => {
    const { f } = ACTIVATIONS.sigmoid;
    expect(f(-1000)).toBe(0);
    expect(f(1000)).toBe(1);
    expect(f(0)).toBe(0.5);
  });
});

describe('dense', () => {
  const [B, I, O] = [5, 4, 3];
  const X = randn(B * I);
  const W = randn(O * I);
  const b = randn(O);
  const R = randn(B * O);

  it('matmul computes X W^T + b', () => {
    const Y = matmul(X, W, b, B, I, O);
    // one entry by hand
    let y12 = b[2];
    for (let i = 0; i < I; i++) y12 += X[1 * I + i] * W[2 * I + i];
    expect(Y[1 * O + 2]).toBeCloseTo(y12, 12);
  });

  it('matmulBackwardX, matmulBackwardW match finite differences in X, W and b', () => {
    const dX = matmulBackwardX(R, W, B, I, O);
    const { dW, db } = matmulBackwardW(R, X, B, I, O);
    expect(
      maxRelError(
        dX,
        numericGrad((x) => dot(R, matmul(x, W, b, B, I, O)), X),
      ),
    ).toBeLessThan(TOL);
    expect(
      maxRelError(
        dW,
        numericGrad((w) => dot(R, matmul(X, w, b, B, I, O)), W),
      ),
    ).toBeLessThan(TOL);
    expect(
      maxRelError(
        db,
        numericGrad((bb) => dot(R, matmul(X, W, bb, B, I, O)), b),
      ),
    ).toBeLessThan(TOL);
  });
});

describe('dropout', () => {
  for (const kind of ['bernoulli', 'gaussian'] as const) {
    it(`${kind}: backward with a fixed mask matches finite differences`, () => {
      const [B, O] = [6, 5];
      const h = randn(B * O);
      const R = randn(B * O);
      const m = dropoutMask(h, kind, 0.4, 99, 7, 1, B, O);
      const err = maxRelError(
        dropoutBackward(R, m),
        numericGrad((x) => dot(R, dropoutForward(x, m)), h),
      );
      expect(err).toBeLessThan(TOL);
    });
  }

  it('masks are a pure function of (seed, step, layer, unit, sample)', () => {
    const a = dropoutMask(new Float32Array(1), 'bernoulli', 0.5, 3, 10, 0, 8, 8);
    const b = dropoutMask(new Float32Array(1), 'bernoulli', 0.5, 3, 10, 0, 8, 8);
    const c = dropoutMask(new Float32Array(1), 'bernoulli', 0.5, 3, 11, 0, 8, 8);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    // Bernoulli entries are 0 or 1/p exactly
    for (const v of a) expect(v === 0 || v === 2).toBe(true);
  });

  it('rejects a drop probability outside [0, 1)', () => {
    expect(() => dropoutMask(new Float32Array(1), 'bernoulli', 1, 0, 0, 0, 1, 1)).toThrow(/\[0, 1\)/);
  });
});

describe('batch norm', () => {
  it('backward matches finite differences in z, gamma and beta', () => {
    const [B, O] = [6, 4];
    const z = randn(B * O, 2);
    const gamma = randn(O);
    const beta = randn(O);
    const R = randn(B * O);
    const eps = 1e-5;
    const f = (zz: Float64Array, g: Float64Array, bt: Float64Array) => dot(R, batchNormForward(zz, g, bt, B, O, eps).y);
    const fw = batchNormForward(z, gamma, beta, B, O, eps);
    const { dZ, dGamma, dBeta } = batchNormBackward(R, fw.xhat, gamma, fw.invStd, B, O);
    expect(
      maxRelError(
        dZ,
        numericGrad((x) => f(x, gamma, beta), z),
      ),
    ).toBeLessThan(TOL);
    expect(
      maxRelError(
        dGamma,
        numericGrad((x) => f(z, x, beta), gamma),
      ),
    ).toBeLessThan(TOL);
    expect(
      maxRelError(
        dBeta,
        numericGrad((x) => f(z, gamma, x), beta),
      ),
    ).toBeLessThan(TOL);
  });
});

describe('losses', () => {
  it('softmax cross-entropy: gradient matches finite differences, for C = 2, 3 and 10', () => {
    for (const C of [2, 3, 10]) {
      const B = 7;
      const logits = randn(B * C, 3);
      const labels = new Int32Array(B).map((_, n) => n % C);
      const r = softmaxCrossEntropy(logits, labels, B, C);
      const num = numericGrad((x) => softmaxCrossEntropy(x, labels, B, C).loss, logits);
      expect(maxRelError(r.dLogits, num)).toBeLessThan(TOL);
    }
  });

  it('softmax cross-entropy equals -log softmax of the label, and is stable for huge logits', () => {
    const logits = Float64Array.from([1, 2, 3, 1000, 1001, 999]);
    const labels = Int32Array.from([0, 1]);
    const r = softmaxCrossEntropy(logits, labels, 2, 3);
    const p = softmax(logits, 2, 3);
    expect(r.loss).toBeCloseTo((-Math.log(p[0]) - Math.log(p[4])) / 2, 12);
    // row 2 is row 1 shifted by 998: same probabilities, no overflow
    expect(p[4]).toBeCloseTo(p[2], 12);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.correct).toBe(1);
  });

  it('softmax cross-entropy: the same bits as the textbook loop (every e^(x - m) by Math.exp), ties, -0, infinities, NaN included', () => {
    // the loop as written before it skipped Math.exp(0): the oracle, operation for operation
    const textbook = (x: Float32Array, labels: Int32Array, B: number, C: number) => {
      const d = new Float32Array(B * C);
      let total = 0;
      let correct = 0;
      for (let n = 0; n < B; n++) {
        const off = n * C;
        let m = x[off];
        let arg = 0;
        for (let j = 1; j < C; j++) if (x[off + j] > m) [m, arg] = [x[off + j], j];
        let sum = 0;
        for (let j = 0; j < C; j++) sum += Math.exp(x[off + j] - m);
        const lse = m + Math.log(sum);
        total += lse - x[off + labels[n]];
        if (arg === labels[n]) correct++;
        for (let j = 0; j < C; j++) d[off + j] = (Math.exp(x[off + j] - lse) - (j === labels[n] ? 1 : 0)) / B;
      }
      return { loss: total / B, correct, d };
    };
    const special = [0, -0, 1, 1, -1, 2.5, 1e30, -1e30, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];
    const rng = new Rng(17);
    for (const C of [2, 3, 5]) {
      const B = 300;
      const x = new Float32Array(B * C).map((_, i) =>
        i % 7 === 0 ? special[rng.int(special.length)] : Math.round(rng.gaussian() * 4) / 2,
      );
      const labels = new Int32Array(B).map(() => rng.int(C));
      const want = textbook(x, labels, B, C);
      const got = softmaxCrossEntropy(x, labels, B, C);
      expect(Object.is(got.loss, want.loss)).toBe(true);
      expect(got.correct).toBe(want.correct);
      const rowOk = (from: number) => want.d.slice(from, from + C).every((v, j) => Object.is(got.dLogits[from + j], v));
      // rows without a NaN or infinity compared on their own: one such row makes the batch loss NaN
      for (let n = 0; n < B; n++) expect(rowOk(n * C), `C = ${C}, row ${n}`).toBe(true);
      const finite = x.map((v) => (Number.isFinite(v) ? v : 0));
      const wantF = textbook(finite, labels, B, C);
      const gotF = softmaxCrossEntropy(finite, labels, B, C);
      expect(Object.is(gotF.loss, wantF.loss) && Number.isFinite(gotF.loss)).toBe(true);
    }
  });

  it('mean squared error: value and gradient', () => {
    const [B, O] = [4, 2];
    const pred = randn(B * O);
    const target = randn(B * O);
    const r = meanSquaredError(pred, target, B, O);
    let s = 0;
    for (let k = 0; k < B * O; k++) s += 0.5 * (pred[k] - target[k]) ** 2;
    expect(r.loss).toBeCloseTo(s / B, 12);
    expect(
      maxRelError(
        r.dPred,
        numericGrad((x) => meanSquaredError(x, target, B, O).loss, pred),
      ),
    ).toBeLessThan(TOL);
  });
});

describe('regularizers', () => {
  const theta = randn(30, 1, 1e-3);
  const mask = new Uint8Array(30).map((_, k) => (k % 3 === 0 ? 0 : 1));

  it('L2 eta ||w||^2 and L1 zeta1 ||w||_1: gradients match finite differences, masked entries untouched', () => {
    for (const [pen, grad] of [
      [l2Penalty, l2PenaltyGrad],
      [l1Penalty, l1PenaltyGrad],
    ] as const) {
      const g = new Float64Array(30);
      grad(theta, mask, 0.3, g);
      expect(
        maxRelError(
          g,
          numericGrad((x) => pen(x, mask, 0.3), theta),
        ),
      ).toBeLessThan(TOL);
      for (let k = 0; k < 30; k += 3) expect(g[k]).toBe(0);
    }
    let s2 = 0;
    let s1 = 0;
    for (let k = 0; k < 30; k++) {
      if (!mask[k]) continue;
      s2 += theta[k] ** 2;
      s1 += Math.abs(theta[k]);
    }
    expect(l2Penalty(theta, mask, 0.3)).toBeCloseTo(0.3 * s2, 12);
    expect(l1Penalty(theta, mask, 0.3)).toBeCloseTo(0.3 * s1, 12);
  });

  it('activation L1 zeta2 (1/B) ||h||_1: gradient matches finite differences', () => {
    const B = 5;
    const h = randn(B * 4, 1, 1e-3);
    const g = new Float64Array(h.length);
    activationL1PenaltyGrad(h, B, 0.2, g);
    expect(
      maxRelError(
        g,
        numericGrad((x) => activationL1Penalty(x, B, 0.2), h),
      ),
    ).toBeLessThan(TOL);
  });
});
