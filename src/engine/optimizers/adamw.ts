// AdamW (Loshchilov & Hutter 2019): a decoupled decay of the pre-step weights, then Adam's move
// on the loss gradient (PyTorch's order):
//   w <- w - lr*lambda*w              for parameters with decayMask[i] != 0
//   w <- w - lr*mhat/(sqrt(vhat) + eps)   (adam.ts)
// The decay shrinks weights directly instead of passing through the adaptive scale, which is
// what makes it differ from L2-in-the-gradient. The order matters: decaying after the Adam move
// would multiply the moved weights, w' (1 - lr*lambda), a different path (2.2e-2 apart after 25
// steps on the check). L1 prox scale: Adam's. Arena: Adam's terms + decay = -lr*lambda*w.
import { ADAM_CONSTANTS, ADAM_PROX_PY, ADAM_RULE, adam, adamScale, adamStep, adamTerms } from './adam';
import type { OptimizerSpec } from './spec';

/** The decoupled decay of the pre-step weights, then Adam's step (same arguments as adamStep), in place. */
export function adamwStep(
  weightDecay: number,
  decayMask: ArrayLike<number> | null,
  ...adam: Parameters<typeof adamStep>
): void {
  const [theta, , , , , lr] = adam;
  if (weightDecay !== 0) {
    for (let i = 0; i < theta.length; i++)
      if (decayMask === null || decayMask[i]) theta[i] -= lr * weightDecay * theta[i];
  }
  adamStep(...adam);
}

export const adamw: OptimizerSpec<'adamw'> = {
  name: 'adamw',
  label: 'AdamW',
  help: 'Adam with decoupled weight decay: the weights shrink directly, not through the adaptive gradient.',
  hypers: ['beta1', 'beta2', 'eps', 'weightDecay'],
  adaptive: true,
  step: ({ theta, grad, state, lr, hp, mask }) =>
    adamwStep(hp.weightDecay, mask, theta, grad, state.m, state.v, state.t, lr, hp.beta1, hp.beta2, hp.eps),
  proxScale: (state, hp) => adamScale(state.v, state.t, hp.beta2, hp.eps),
  terms: (x) => ({ ...adamTerms(x), decay: Array.from(x.w, (wi) => -x.lr * x.hp.weightDecay * wi) }),
  parity: { lr: 0.01, l1: [0.01, 0.002] },
  arena: { lr: adam.arena.lr, defaultRacer: false }, // Adam's rates
  rule: ['w \\leftarrow w - \\varepsilon \\lambda\\, w', ...ADAM_RULE],
  convention:
    'Decays the weights before the step, then takes Adam’s move on the loss gradient (no L2 in g): PyTorch’s order. Decaying after the Adam move gives a different path. δ outside the root, as PyTorch.',
  pytorch: {
    constants: [...ADAM_CONSTANTS, { name: 'WEIGHT_DECAY', hyper: 'weightDecay', comment: "AdamW's decoupled lambda" }],
    build: [
      '# Descent "adamw": w <- w - lr*lambda*w on the decayed parameters, then the Adam move on the loss',
      '# gradient: the order and formula of torch.optim.AdamW. Only the decayed group gets lambda.',
      'optimizer = torch.optim.AdamW(',
      '    [{"params": DECAYED, "weight_decay": WEIGHT_DECAY}, {"params": NOT_DECAYED, "weight_decay": 0.0}],',
      '    lr=LR0,',
      '    betas=(BETA1, BETA2),',
      '    eps=EPS,',
      ')',
    ],
    prox: ADAM_PROX_PY,
  },
};
