// LAMB (You et al. 2020, "Large Batch Optimization for Deep Learning", Algorithm 2; optax `lamb`):
// Adam's direction plus decoupled decay, rescaled per block by the trust ratio. With t from 1:
//   m <- b1*m + (1-b1)*g;  v <- b2*v + (1-b2)*g^2
//   u = (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps) + lambda*w     (lambda where decayMask[i] != 0)
//   r = ||w|| / ||u|| over the block, r = 1 when ||w|| = 0 or ||u|| = 0   (the zero-norm cases)
//   w <- w - lr*r*u
// A block is one of `segments` (a layer's W, its b, its batch-norm gamma, its beta), as
// optax's trust ratio is per parameter array. optax's choices: no clamp of r (the paper's phi is
// the identity; cybertronai/pytorch-lamb clamps ||w|| at 10 instead), eps outside the root. So a
// block moves by lr*||w|| per step in norm: its update-to-weight ratio is lr, whatever the layer.
// m and v are stored first and u recomputed from the stored values in the second pass, so the
// norms and the move use the same numbers in float32 too (the GPU kernel does the same).
// L1 prox scale: Adam's 1/(sqrt(vhat) + eps), without r (a stated convention: r depends on the
// pre-step weights, which the prox step no longer has). Arena (the 2D point is one block):
// Adam's gradient and momentum terms and the decay, each times r (they add up to the move).
import type { FloatArray } from '../floatArray';
import { ADAM_CONSTANTS, adamCorrections, adamMoments, adamScale, adamTerms } from './adam';
import { pyDecayedGroups, pyOptimizerClass } from './pyClass';
import type { OptimizerSpec, ParamSegment, TermInput, TermSplit } from './spec';

/** LAMB's direction u at i from the stored (already updated) moments (see the header). */
function direction(w: number, m: number, v: number, c1: number, c2: number, eps: number, decay: number): number {
  return m / c1 / (Math.sqrt(v / c2) + eps) + decay * w;
}

/** ||w|| / ||u||, or 1 when either is 0 (optax scale_by_trust_ratio with min_norm 0). */
export function trustRatio(wNorm2: number, uNorm2: number): number {
  return wNorm2 === 0 || uNorm2 === 0 ? 1 : Math.sqrt(wNorm2) / Math.sqrt(uNorm2);
}

/** One LAMB step in place at step t >= 1 over the blocks `segments` (each [offset, offset + rows*cols)). */
export function lambStep(
  theta: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  t: number,
  lr: number,
  hp: { beta1: number; beta2: number; eps: number; weightDecay: number },
  decayMask: ArrayLike<number> | null,
  segments: readonly ParamSegment[],
): void {
  const { beta1: b1, beta2: b2, eps, weightDecay } = hp;
  const [c1, c2] = adamCorrections(t, b1, b2, 'lambStep');
  const lambda = (i: number) => (decayMask === null || decayMask[i] ? weightDecay : 0);
  for (const s of segments) {
    const end = s.offset + s.rows * s.cols;
    let w2 = 0;
    let u2 = 0;
    // u from the stored moments (see the header), so the norms and the move use the same numbers
    adamMoments(m, v, grad, s.offset, end, b1, b2, (i) => {
      const u = direction(theta[i], m[i], v[i], c1, c2, eps, lambda(i));
      w2 += theta[i] * theta[i];
      u2 += u * u;
    });
    const r = trustRatio(w2, u2);
    for (let i = s.offset; i < end; i++) theta[i] -= lr * r * direction(theta[i], m[i], v[i], c1, c2, eps, lambda(i));
  }
}

/** The arena's terms of a LAMB move: Adam's terms and the decay, times the trust ratio of the point. */
export function lambTerms(x: TermInput): TermSplit {
  const { w, lr, hp } = x;
  const { g, m, t } = x;
  const adam = adamTerms(x); // -lr * (Adam direction parts), scale 1/(sqrt(vhat) + eps)
  const decay = Array.from(w, (wi) => -lr * hp.weightDecay * wi);
  const c1 = 1 - hp.beta1 ** t;
  let w2 = 0;
  let u2 = 0;
  for (let i = 0; i < w.length; i++) {
    const mNew = hp.beta1 * m[i] + (1 - hp.beta1) * g[i];
    const u = (mNew / c1) * (adam.scale?.[i] ?? 0) + hp.weightDecay * w[i];
    w2 += w[i] * w[i];
    u2 += u * u;
  }
  const r = trustRatio(w2, u2);
  return {
    gradient: adam.gradient.map((a) => a * r),
    momentum: adam.momentum.map((a) => a * r),
    decay: decay.map((a) => a * r),
    scale: (adam.scale ?? []).map((s) => s * r),
  };
}

export const lamb: OptimizerSpec<'lamb'> = {
  name: 'lamb',
  label: 'LAMB',
  help: 'Adam’s direction with decoupled decay, rescaled per layer by the trust ratio ‖w‖/‖u‖: each layer moves by lr·‖w‖.',
  hypers: ['beta1', 'beta2', 'eps', 'weightDecay'],
  adaptive: true,
  step: ({ theta, grad, state, lr, hp, mask, segments }) =>
    lambStep(theta, grad, state.m, state.v, state.t, lr, hp, mask, segments),
  proxScale: (state, hp) => adamScale(state.v, state.t, hp.beta2, hp.eps),
  terms: lambTerms,
  defaults: { lr: 0.01, eps: 1e-6 }, // optax's eps; lr: each block moves by about 1% of its norm per step
  parity: { lr: 0.01, l1: [0.01, 0.001] },
  arena: {
    lr: { quadratic: 0.1, rosenbrock: 0.03, beale: 0.03, saddle: 0.01, himmelblau: 0.03, rastrigin: 0.01 },
    defaultRacer: false,
  },
  rule: [
    'm \\leftarrow \\beta_1 m + (1-\\beta_1)\\, g;\\; v \\leftarrow \\beta_2 v + (1-\\beta_2)\\, g^2',
    'u = \\dfrac{m/(1-\\beta_1^{\\,t})}{\\sqrt{v/(1-\\beta_2^{\\,t})} + \\delta} + \\lambda w',
    'r = \\lVert w \\rVert / \\lVert u \\rVert \\text{ per layer } (r = 1 \\text{ if a norm is } 0)',
    'w \\leftarrow w - \\varepsilon\\, r\\, u',
  ],
  convention:
    'optax’s lamb: Adam with δ outside the root and t from 1, decoupled λ added to the direction, then the trust ratio ‖w‖/‖u‖ per block (a layer’s W, its b, its batch-norm γ, its β), 1 when either norm is 0, not clamped. L1’s prox uses Adam’s scale, without the ratio.',
  pytorch: {
    constants: [...ADAM_CONSTANTS, { name: 'WEIGHT_DECAY', hyper: 'weightDecay', comment: "LAMB's decoupled lambda" }],
    build: [
      ...pyOptimizerClass(
        'Lamb',
        [
          'LAMB (You et al. 2020; optax.lamb), as Descent "lamb", per parameter tensor (t from 1):',
          'm, v as Adam;  u = (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps) + wd*w;',
          'r = ||w||/||u|| (1 if either is 0, no clamp);  w <- w - lr*r*u.',
          'torch 1.13 has no LAMB: this is the whole rule.',
        ],
        ['betas', 'eps', 'weight_decay'],
        [
          'st = self.state[w]',
          'if not st:',
          '    st.update(step=0, exp_avg=torch.zeros_like(w), exp_avg_sq=torch.zeros_like(w))',
          'st["step"] += 1',
          't = st["step"]',
          'st["exp_avg"].mul_(b1).add_((1.0 - b1) * w.grad)',
          'st["exp_avg_sq"].mul_(b2).add_((1.0 - b2) * w.grad * w.grad)',
          'u = (st["exp_avg"] / (1.0 - b1**t)) / ((st["exp_avg_sq"] / (1.0 - b2**t)).sqrt() + group["eps"])',
          'u = u + group["weight_decay"] * w',
          'wn, un = w.norm(), u.norm()',
          'r = 1.0 if wn == 0 or un == 0 else (wn / un).item()',
          'w.sub_(group["lr"] * r * u)',
        ],
      ),
      ...pyDecayedGroups('Lamb', ['lr=LR0', 'betas=(BETA1, BETA2)', 'eps=EPS', 'weight_decay=0.0']),
    ],
    prox: {
      why: 's = 1/(sqrt(v/(1-b2^t)) + eps), Adam’s scale without the trust ratio (Descent’s convention)',
      scale: [
        'st = optimizer.state[w]',
        's = 1.0 / ((st["exp_avg_sq"] / (1.0 - BETA2 ** float(st["step"]))).sqrt() + EPS)',
      ],
    },
  },
};
