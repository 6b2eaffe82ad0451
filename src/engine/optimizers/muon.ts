// Muon (Jordan et al. 2024, "Muon: an optimizer for hidden layers"; KellerJordan/Muon muon.py at
// 00ba60d, SingleDeviceMuonWithAuxAdam; torch.optim.Muon in PyTorch 2.9 is the same rule). Per
// hidden layer's weight matrix W[r, c] (role 'hiddenWeight'), with momentum buffer M[r, c]:
//   M <- M + (1-mu) (G - M)                  (an average of gradients: torch's M.lerp_(G, 1-mu))
//   U = G + mu (M - G)                       (Nesterov, the references' default: (1-mu^2) G + mu^2 M_prev)
//   X = U / (||U||_F + 1e-7)                 (transposed first when r > c, so X is [min, max])
//   5 times: A = X X^T;  X <- a X + (b A + c A A) X,   (a, b, c) = (3.4445, -4.7750, 2.0315)
//   O = X (transposed back)                  (Newton-Schulz: U's singular values pushed toward ~1)
//   W <- W - lr*lambda*W   (decoupled, decayed entries; lr not shape-adjusted, as both references)
//   W <- W - lr * sqrt(max(1, r/c)) * O      (the "original" shape factor: torch's default adjust_lr_fn)
// Every other block (output layer's W, biases, batch-norm gamma/beta) steps as AdamW (adamw.ts)
// with the same scheduled lr, beta1, beta2, eps and decay (MuonWithAuxAdam gives each group its own
// lr; Descent's rule: one lr for both parts, Muon's default 0.02 being a sound Adam rate on these
// small nets). Momentum lives in m; Adam's moments in m and v of the AdamW blocks (v unused in W).
// Arena: a point is a 1x2 matrix U = u^T, rank 1, so A = |X|^2 is a scalar and Newton-Schulz only
// rescales: O = phi * u/|u| with phi = p^5(|u|/(|u|+1e-7)), p(s) = a s + b s^3 + c s^5, p^5(1) = 0.6964.
// Muon there is normalised momentum descent: a step of fixed length ~0.70 lr along the Nesterov
// average, whatever the gradient's size (not sign-like: the direction is u's, not per coordinate).
// Its terms: k = O.u/(u.u);  gradient = -lr k (1-mu^2) g,  momentum = -lr k mu^2 m_prev,  decay = -lr lambda w.
// L1 prox scale: s = sqrt(max(1, r/c)) on hidden weights (the rate Muon steps them at, like Lion's
// s = 1), AdamW's 1/(sqrt(vhat) + eps) elsewhere.
import type { FloatArray } from '../floatArray';
import { ADAM_CONSTANTS, adamScale, adamStep } from './adam';
import type { HyperKey } from './hypers';
import { MU_CONSTANT } from './momentum';
import { MUON_PY } from './muonPytorch';
import type { OptimizerSpec, ParamSegment, StepContext, TermInput, TermSplit } from './spec';

/** The hyperparameters Muon reads (its step also runs on plain objects in the golden test). */
type MuonHypers = Record<Extract<HyperKey, 'momentum' | 'beta1' | 'beta2' | 'eps' | 'weightDecay'>, number>;

/** Newton-Schulz quintic coefficients (a, b, c), iterations and the normalisation's epsilon (muon.py). */
export const NS_COEFFS = [3.4445, -4.775, 2.0315] as const;
export const NS_STEPS = 5;
export const NS_EPS = 1e-7;

/** float64 scratch, grown to the largest block and reused: no allocation per step. */
let scratch = new Float64Array(0);
function work(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
}

/**
 * O = NS5(U) for U[rows, cols] row-major (read from u, written to out[rows*cols]; u and out may be
 * the same array). Works on X[n, k] = U or U^T with n = min, k = max, so A = X X^T is n x n.
 */
export function newtonSchulz5(u: ArrayLike<number>, rows: number, cols: number, out: Float64Array): void {
  const tr = rows > cols;
  const n = tr ? cols : rows;
  const k = tr ? rows : cols;
  const buf = work(2 * n * k + 3 * n * n);
  const X = buf.subarray(0, n * k);
  const Y = buf.subarray(n * k, 2 * n * k);
  const A = buf.subarray(2 * n * k, 2 * n * k + n * n);
  const B = buf.subarray(2 * n * k + n * n, 2 * n * k + 2 * n * n);
  const AA = buf.subarray(2 * n * k + 2 * n * n, 2 * n * k + 3 * n * n);
  let sq = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) {
      const x = tr ? u[j * cols + i] : u[i * cols + j];
      X[i * k + j] = x;
      sq += x * x;
    }
  const d = Math.sqrt(sq) + NS_EPS;
  for (let i = 0; i < n * k; i++) X[i] /= d;
  const [a, b, c] = NS_COEFFS;
  for (let it = 0; it < NS_STEPS; it++) {
    // A = X X^T [n, n]; AA = A A; B = b A + c AA; X <- a X + B X
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += X[i * k + l] * X[j * k + l];
        A[i * n + j] = s;
      }
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < n; l++) s += A[i * n + l] * A[l * n + j];
        AA[i * n + j] = s;
      }
    for (let i = 0; i < n * n; i++) B[i] = b * A[i] + c * AA[i];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let l = 0; l < n; l++) s += B[i * n + l] * X[l * k + j];
        Y[i * k + j] = a * X[i * k + j] + s;
      }
    X.set(Y);
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[tr ? j * cols + i : i * cols + j] = X[i * k + j];
}

/** sqrt(max(1, rows/cols)): the "original" shape factor of a hidden block's step. */
export const shapeFactor = (s: ParamSegment): number => Math.sqrt(Math.max(1, s.rows / s.cols));

/** The momentum update and Nesterov mix of one coordinate: returns [m_new, u]. */
function mix(m: number, g: number, mu: number, nesterov: boolean): [number, number] {
  const mNew = m + (1 - mu) * (g - m);
  return [mNew, nesterov ? g + mu * (mNew - g) : mNew];
}

let ubuf = new Float64Array(0);

/** Muon's step on one hidden block in place: momentum in m, NS5, the shape-scaled move (decay done before). */
function muonBlock(
  s: ParamSegment,
  theta: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  lr: number,
  mu: number,
  nesterov: boolean,
) {
  const len = s.rows * s.cols;
  if (ubuf.length < len) ubuf = new Float64Array(len);
  const u = ubuf.subarray(0, len);
  for (let i = 0; i < len; i++) {
    const [mNew, ui] = mix(m[s.offset + i], grad[s.offset + i], mu, nesterov);
    m[s.offset + i] = mNew;
    u[i] = ui;
  }
  newtonSchulz5(u, s.rows, s.cols, u);
  const step = lr * shapeFactor(s);
  for (let i = 0; i < len; i++) theta[s.offset + i] -= step * u[i];
}

/**
 * One Muon step in place (t >= 1 counts this step): decoupled decay on the masked entries, then
 * Newton-Schulz momentum on 'hiddenWeight' blocks and AdamW's Adam move on every other block.
 */
export function muonStep(
  { theta, grad, state, lr, hp, mask, segments }: Omit<StepContext, 'hp'> & { hp: MuonHypers },
  nesterov = true,
): void {
  const { m, v, t } = state;
  if (hp.weightDecay !== 0)
    for (let i = 0; i < theta.length; i++) if (mask === null || mask[i]) theta[i] -= lr * hp.weightDecay * theta[i];
  for (const s of segments) {
    if (s.role === 'hiddenWeight') muonBlock(s, theta, grad, m, lr, hp.momentum, nesterov);
    else {
      const r = (a: FloatArray) => a.subarray(s.offset, s.offset + s.rows * s.cols);
      adamStep(r(theta), r(grad), r(m), r(v), t, lr, hp.beta1, hp.beta2, hp.eps);
    }
  }
}

/** The arena's terms: w is a 1xn row (rank 1), so O = k u and the move splits along g and m_prev. */
export function muonTerms({ w, g, m, lr, hp }: TermInput): TermSplit {
  const mu = hp.momentum;
  const u = Float64Array.from(g, (gi, i) => mix(m[i], gi, mu, true)[1]);
  const o = new Float64Array(u.length);
  newtonSchulz5(u, 1, u.length, o);
  const uu = u.reduce((a, x) => a + x * x, 0);
  const k = uu > 0 ? o.reduce((a, x, i) => a + x * u[i], 0) / uu : 0;
  return {
    gradient: Array.from(g, (gi) => -lr * k * (1 - mu * mu) * gi),
    momentum: Array.from(m, (mi) => -lr * k * mu * mu * mi),
    decay: Array.from(w, (wi) => -lr * hp.weightDecay * wi),
    scale: Array.from(g, () => k), // O = k u: NS's factor on the momentum-averaged gradient
  };
}

export const muon: OptimizerSpec<'muon'> = {
  name: 'muon',
  label: 'Muon',
  help: 'Momentum orthogonalised per hidden layer by Newton-Schulz: every direction of a weight matrix moves by about the same amount. Other parameters use AdamW.',
  hypers: ['momentum', 'beta1', 'beta2', 'eps', 'weightDecay'],
  adaptive: true,
  step: (ctx) => muonStep(ctx),
  proxScale: (state, hp, segments) => {
    const adam = adamScale(state.v, state.t, hp.beta2, hp.eps);
    const hidden = (segments ?? []).filter((s) => s.role === 'hiddenWeight');
    return (k) => {
      const s = hidden.find((h) => k >= h.offset && k < h.offset + h.rows * h.cols);
      return s ? shapeFactor(s) : adam(k);
    };
  },
  terms: muonTerms,
  // the references' defaults (muon.py and torch.optim.Muon): momentum 0.95; Keller Jordan's lr 0.02
  defaults: { lr: 0.02, momentum: 0.95 },
  // the WebGPU backend's own case and its L1 case (workers/gpu/parity/trainingCases.ts): zeta1 0.01
  // stops 10 of the 114 weights at exactly 0 in 200 steps (0.002 stops none: a Muon step's length
  // does not shrink with the gradient, so the pull must be of its order)
  parity: { lr: 0.02, l1: [0.02, 0.01] },
  // the sweep's rate of lowest f after 300 steps (a fixed-length step circles the minimum at ~lr)
  arena: {
    lr: { quadratic: 0.1, rosenbrock: 0.02, beale: 0.03, saddle: 0.01, himmelblau: 0.05, rastrigin: 0.01 },
    defaultRacer: false,
  },
  rule: [
    'm \\leftarrow m + (1-\\mu)(g - m);\\; u = g + \\mu (m - g)',
    'O = \\mathrm{NS}_5\\big(u / (\\lVert u \\rVert_F + 10^{-7})\\big)',
    'w \\leftarrow w - \\varepsilon \\lambda\\, w - \\varepsilon \\sqrt{\\max(1, r/c)}\\; O \\quad\\text{(hidden } w_{r\\times c}\\text{; others: AdamW)}',
  ],
  convention:
    'Hidden layers’ W[r×c]: Nesterov momentum (μ·average, as torch’s lerp), orthogonalised by 5 Newton-Schulz steps (3.4445, −4.7750, 2.0315) after dividing by ‖U‖_F + 1e-7, scaled by the original √max(1, r/c) (torch’s adjust_lr_fn "original"); decoupled decay w ← w − ελw first. Output layer, biases and batch-norm: AdamW with the same ε. In the 2D arena the point is a 1×2 matrix, so Newton-Schulz only rescales: the move is ε·0.70 along the momentum-averaged direction u/|u| — normalised momentum descent with a fixed step length, not a per-coordinate sign; its scale is Newton-Schulz’s factor 0.70/|u| on the Nesterov average u.',
  pytorch: {
    constants: [
      MU_CONSTANT,
      ...ADAM_CONSTANTS,
      { name: 'WEIGHT_DECAY', hyper: 'weightDecay', comment: 'decoupled lambda' },
    ],
    build: MUON_PY,
    prox: {
      why: "s = sqrt(max(1, r/c)) on hidden W (the rate Muon steps them at), Adam's 1/(sqrt(vhat) + eps) elsewhere",
      scale: [
        'st = optimizer.state[w]',
        'hidden = "momentum_buffer" in st  # a Muon (hidden W) parameter',
        's = max(1.0, w.size(0) / w.size(1)) ** 0.5 if hidden else 1.0 / ((st["exp_avg_sq"] / (1.0 - BETA2 ** float(st["step"]))).sqrt() + EPS)',
      ],
    },
  },
};
