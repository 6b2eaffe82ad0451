// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"; optax `lion`):
//   c = b1*m + (1-b1)*g               (interpolate the momentum and the current gradient)
//   w <- w - lr*(sign(c) + lambda*w)  (every coordinate moves by exactly lr, plus the decay of the
//                                      pre-step weight, for parameters with decayMask[i] != 0)
//   m <- b2*m + (1-b2)*g              (the momentum, updated AFTER the step with the other beta)
// The sign makes the step's size independent of the gradient's scale: the update-to-weight ratio
// is about lr/|w| however large or small g is. sign(0) = 0 (as jnp.sign and torch.sign).
// v (unused by the rule) keeps this step's c for the L1 prox: s = 1/|c|, the factor the sign step
// applied to c (lr*sign(c) = lr*c/|c|). Then w = 0 stays at 0 exactly while |c| <= zeta1, i.e. while
// the gradients stay below zeta1 (c averages them), as for the other rules: the move lr is at
// most tau = lr*zeta1/|c|. (With s = 1 a zeroed weight would move by lr again at every step.)
// |c| is floored at 1e-30 so that s stays finite. Arena: the sign step split in proportion to c's
// two parts, with that scale 1/|c| per coordinate:
//   gradient = -lr*(1-b1)*g/|c|,  momentum = -lr*b1*m/|c|   (they add up to -lr*sign(c); 0 if c = 0)
//   decay = -lr*lambda*w.
import type { FloatArray } from '../floatArray';
import { pyDecayedGroups, pyOptimizerClass } from './pyClass';
import type { OptimizerSpec, TermInput, TermSplit } from './spec';

/** The floor of |c| in the L1 prox scale 1/|c| (keeps it finite where c = 0). */
const C_FLOOR = 1e-30;

/** One Lion step in place (m[P] the momentum, c[P] <- this step's c; decayMask[P] = 1 where lambda applies, null = all). */
export function lionStep(
  theta: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  cOut: FloatArray,
  lr: number,
  b1: number,
  b2: number,
  weightDecay: number,
  decayMask: ArrayLike<number> | null,
): void {
  for (let i = 0; i < theta.length; i++) {
    const g = grad[i];
    const c = b1 * m[i] + (1 - b1) * g;
    cOut[i] = c;
    const decay = decayMask === null || decayMask[i] ? weightDecay * theta[i] : 0;
    theta[i] -= lr * (Math.sign(c) + decay);
    m[i] = b2 * m[i] + (1 - b2) * g;
  }
}

/** The arena's terms of a Lion move (see the header). */
export function lionTerms({ w, g, m, lr, hp }: TermInput): TermSplit {
  const b1 = hp.beta1;
  const scale = Array.from(g, (gi, i) => {
    const c = Math.abs(b1 * m[i] + (1 - b1) * gi);
    return c > 0 ? 1 / c : 0;
  });
  return {
    gradient: scale.map((s, i) => -lr * (1 - b1) * g[i] * s),
    momentum: scale.map((s, i) => -lr * b1 * m[i] * s),
    decay: Array.from(w, (wi) => -lr * hp.weightDecay * wi),
    scale,
  };
}

export const lion: OptimizerSpec<'lion'> = {
  name: 'lion',
  label: 'Lion',
  help: 'The sign of an interpolated momentum: every coordinate moves by lr. Its lr is typically 3-10x smaller and its decay 3-10x larger than AdamW’s.',
  hypers: ['beta1', 'beta2', 'weightDecay'],
  adaptive: true,
  step: ({ theta, grad, state, lr, hp, mask }) =>
    lionStep(theta, grad, state.m, state.v, lr, hp.beta1, hp.beta2, hp.weightDecay, mask),
  proxScale: (state) => (k) => 1 / Math.max(Math.abs(state.v[k]), C_FLOOR),
  terms: lionTerms,
  // optax's beta2 0.99; lr and lambda 10x below and above AdamW's defaults (lr*lambda kept)
  defaults: { lr: 0.01, beta2: 0.99, weightDecay: 0.1 },
  // L1 at [0.01, 0.005]: well conditioned (in the engine alone lr*(1+1e-7) moves the losses by 1.5e-8;
  // at [0.002, 0.002] by 1e-2, as the 1/|c| prox scale zeroes weights whose c is near 0), 96 of 114
  // weights at 0 after 200 steps while the loss falls
  parity: { lr: 0.002, l1: [0.01, 0.005] },
  arena: {
    lr: { quadratic: 0.1, rosenbrock: 0.03, beale: 0.03, saddle: 0.01, himmelblau: 0.03, rastrigin: 0.01 },
    defaultRacer: false,
  },
  rule: [
    'c = \\beta_1 m + (1-\\beta_1)\\, g',
    'w \\leftarrow w - \\varepsilon\\, (\\operatorname{sign}(c) + \\lambda w)',
    'm \\leftarrow \\beta_2 m + (1-\\beta_2)\\, g',
  ],
  convention:
    'optax’s lion: the sign of c = β₁m + (1−β₁)g, decoupled decay λ on the pre-step weights (scaled by lr, as PyTorch and optax), and the momentum updated after the step with β₂. sign(0) = 0. No ε: Lion has none. L1’s prox scale is 1/|c|, so a weight at 0 stays there while |c| ≤ ζ₁.',
  pytorch: {
    constants: [
      { name: 'BETA1', hyper: 'beta1', comment: "Lion's interpolation beta" },
      { name: 'BETA2', hyper: 'beta2', comment: "Lion's momentum decay" },
      { name: 'WEIGHT_DECAY', hyper: 'weightDecay', comment: "Lion's decoupled lambda" },
    ],
    build: [
      ...pyOptimizerClass(
        'Lion',
        [
          'Lion (Chen et al. 2023; optax.lion, google/automl lion_pytorch.py), as Descent "lion":',
          'c = b1*m + (1-b1)*g;  w <- w - lr*(sign(c) + wd*w);  m <- b2*m + (1-b2)*g.',
          'torch 1.13 has no Lion: this is the whole rule.',
        ],
        ['betas', 'weight_decay'],
        [
          'm = self.state[w].setdefault("exp_avg", torch.zeros_like(w))',
          'c = b1 * m + (1.0 - b1) * w.grad',
          'self.state[w]["c"] = c  # for the L1 prox scale 1/|c|',
          'w.sub_(group["lr"] * (torch.sign(c) + group["weight_decay"] * w))',
          'm.mul_(b2).add_((1.0 - b2) * w.grad)',
        ],
      ),
      ...pyDecayedGroups('Lion', ['lr=LR0', 'betas=(BETA1, BETA2)', 'weight_decay=0.0']),
    ],
    prox: {
      why: 's = 1/|c| (floored at 1e-30), the factor the sign step lr*c/|c| applied to c',
      scale: ['s = 1.0 / optimizer.state[w]["c"].abs().clamp(min=1e-30)'],
    },
  },
};
