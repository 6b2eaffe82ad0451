// Muon against the golden float64 trajectories of golden/muon_golden.py (a numpy transcription of
// KellerJordan/Muon muon.py, SingleDeviceMuonWithAuxAdam): the diagonal quadratic f = 0.5 sum h W^2
// on a hidden matrix (the arena's 1x2 point, a 4x3 block through the transposed branch with decay,
// a 3x5 block with plain momentum) and a 3-5-4-2 tanh MLP on fixed batches (two hidden W through
// Newton-Schulz, output W and biases through AdamW, decay on the W only), 100 steps each.
// float64 step: within 1e-10 relative; float32 step: within 5e-5 + 1e-4|w| of the float64 golden.
import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../floatArray';
import golden from './golden/muon.json';
import { defaultHypers } from './hypers';
import { muonStep, newtonSchulz5 } from './muon';
import type { ParamSegment } from './spec';

type Arr = new (n: number) => FloatArray;
const HP = defaultHypers();

function expectTrajectory(got: ArrayLike<number>, want: number[], f64: boolean, what: string) {
  for (let i = 0; i < want.length; i++) {
    const tol = f64 ? 1e-10 * Math.max(Math.abs(want[i]), 1e-300) : 5e-5 + 1e-4 * Math.abs(want[i]);
    if (!(Math.abs(got[i] - want[i]) <= tol)) expect.fail(`${what} [${i}]: ${got[i]} vs golden ${want[i]}`);
  }
}

describe('Newton-Schulz on a 1x2 row (the arena point)', () => {
  it('keeps the direction and gives length p^5(1) ≈ 0.696, not 1', () => {
    const o = new Float64Array(2);
    newtonSchulz5([3, 4], 1, 2, o);
    expect(o[0] / o[1]).toBeCloseTo(3 / 4, 14);
    // p(s) = a s + b s^3 + c s^5 iterated 5 times from s = 5/(5 + 1e-7)
    let s = 5 / (5 + 1e-7);
    for (let i = 0; i < 5; i++) s = 3.4445 * s - 4.775 * s ** 3 + 2.0315 * s ** 5;
    expect(Math.hypot(o[0], o[1])).toBeCloseTo(s, 14);
    expect(s).toBeGreaterThan(0.69);
    expect(s).toBeLessThan(0.7);
  });
});

describe.each([
  ['float64', Float64Array as Arr],
  ['float32', Float32Array as Arr],
])('muonStep (%s) against the golden trajectories', (kind, A) => {
  const f64 = kind === 'float64';

  it.each(golden.quadratic.map((c) => [c.name, c] as const))('quadratic %s, 100 steps', (_, c) => {
    const P = c.rows * c.cols;
    const w = new A(P);
    w.set(c.w0);
    const [g, m, v] = [new A(P), new A(P), new A(P)];
    const seg: ParamSegment[] = [{ offset: 0, rows: c.rows, cols: c.cols, role: 'hiddenWeight' }];
    const hp = { ...HP, momentum: c.momentum, weightDecay: c.weightDecay };
    c.theta.forEach((want, t) => {
      for (let i = 0; i < P; i++) g[i] = c.h[i] * w[i];
      muonStep({ theta: w, grad: g, state: { t: t + 1, m, v }, lr: c.lr, hp, mask: null, segments: seg }, c.nesterov);
      expectTrajectory(w, want, f64, `${c.name} step ${t + 1}`);
    });
  });

  it('3-5-4-2 MLP on fixed batches, 100 steps (hidden W by Newton-Schulz, the rest by AdamW)', () => {
    const mlp = golden.mlp;
    const { theta, segments, mask } = mlpLayout(mlp.sizes, A);
    theta.set(mlp.theta0);
    const P = theta.length;
    const [g, m, v] = [new A(P), new A(P), new A(P)];
    const hp = { ...HP, ...mlp };
    mlp.theta.forEach((want, t) => {
      const b = mlp.batches[t % mlp.batches.length];
      const loss = mlpGrad(mlp.sizes, segments, theta, b.x, b.t, g);
      if (f64) expect(Math.abs(loss - mlp.loss[t])).toBeLessThan(1e-10 * mlp.loss[t]);
      muonStep({ theta, grad: g, state: { t: t + 1, m, v }, lr: mlp.lr, hp, mask, segments });
      expectTrajectory(theta, want, f64, `mlp step ${t + 1}`);
    });
    expect(mlp.loss[99]).toBeLessThan(0.5 * mlp.loss[0]); // the golden run learns
  });
});

/** Descent's layout of a dense tanh net: per layer W[out, in] then b[out]; the last W is the output's. */
function mlpLayout(sizes: number[], A: Arr) {
  const segments: ParamSegment[] = [];
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [cols, rows] = [sizes[l], sizes[l + 1]];
    const hidden = l + 2 < sizes.length;
    segments.push({ offset: off, rows, cols, role: hidden ? 'hiddenWeight' : 'outputWeight' });
    segments.push({ offset: off + rows * cols, rows: 1, cols: rows, role: 'vector' });
    off += rows * cols + rows;
  }
  const mask = new Uint8Array(off);
  for (const s of segments) if (s.role !== 'vector') mask.fill(1, s.offset, s.offset + s.rows * s.cols);
  return { theta: new A(off), segments, mask };
}

/** Loss = mean_n 0.5 ||y - t||^2 of the tanh MLP (linear output) and its gradient into g, in float64. */
function mlpGrad(
  sizes: number[],
  segs: ParamSegment[],
  theta: FloatArray,
  x: number[][],
  target: number[][],
  g: FloatArray,
): number {
  const L = sizes.length - 1;
  const W = (l: number, o: number, i: number) => theta[segs[2 * l].offset + o * sizes[l] + i];
  const B = (l: number, o: number) => theta[segs[2 * l + 1].offset + o];
  g.fill(0);
  let loss = 0;
  for (let n = 0; n < x.length; n++) {
    const acts = [x[n]];
    for (let l = 0; l < L; l++) {
      const z = Array.from({ length: sizes[l + 1] }, (_, o) =>
        acts[l].reduce((s, a, i) => s + W(l, o, i) * a, B(l, o)),
      );
      acts.push(l + 1 < L ? z.map(Math.tanh) : z);
    }
    let delta = acts[L].map((y, k) => (y - target[n][k]) / x.length);
    loss += acts[L].reduce((s, y, k) => s + 0.5 * (y - target[n][k]) ** 2, 0) / x.length;
    for (let l = L - 1; l >= 0; l--) {
      const w0 = segs[2 * l].offset;
      for (let o = 0; o < sizes[l + 1]; o++) {
        for (let i = 0; i < sizes[l]; i++) g[w0 + o * sizes[l] + i] += delta[o] * acts[l][i];
        g[segs[2 * l + 1].offset + o] += delta[o];
      }
      if (l > 0) {
        delta = acts[l].map((a, i) => delta.reduce((s, d, o) => s + d * W(l, o, i), 0) * (1 - a * a));
      }
    }
  }
  return loss;
}
