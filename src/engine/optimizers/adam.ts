// Adam (Kingma & Ba 2015, Algorithm 1), t counts from 1 (the first step has t = 1):
//   m <- b1*m + (1-b1)*g              (first moment: a moving average of the gradient)
//   v <- b2*v + (1-b2)*g^2            (second moment: a moving average of its square)
//   mhat = m/(1-b1^t)                 (bias correction: m and v start at 0, so early averages
//   vhat = v/(1-b2^t)                  are shrunk toward 0; dividing undoes it exactly)
//   w <- w - lr*mhat/(sqrt(vhat) + eps)
// At t = 1, mhat = g and vhat = g^2, so every coordinate moves by lr*sign(g) (up to eps).
// eps outside the root, as the paper and PyTorch. L1 prox scale s = 1/(sqrt(vhat_new) + eps).
// Arena, with s from the new v:  momentum = -lr*b1*m_prev/(1-b1^t)*s,
//                                gradient = -lr*(1-b1)*g/(1-b1^t)*s   (they add up to the move).
import type { FloatArray } from '../floatArray';
import { EPS_CONSTANT, type OptimizerSpec, type PytorchMapping, type TermInput, type TermSplit } from './spec';

/** The bias corrections [1 - b1^t, 1 - b2^t] of step t (t counts from 1; `who` names the caller in the error). */
export function adamCorrections(t: number, b1: number, b2: number, who: string): [number, number] {
  if (!(t >= 1)) throw new Error(`${who}: t counts from 1, got ${t}`);
  return [1 - b1 ** t, 1 - b2 ** t];
}

/**
 * Adam's moment update over [from, to): m <- b1*m + (1-b1)*g; v <- b2*v + (1-b2)*g^2, stored, then
 * `use(i, m_i, v_i)` with the new moments as computed (float64, before any rounding to the arrays'
 * precision). Adam, AdamW and LAMB share it.
 */
export function adamMoments(
  m: FloatArray,
  v: FloatArray,
  grad: FloatArray,
  from: number,
  to: number,
  b1: number,
  b2: number,
  use: (i: number, mi: number, vi: number) => void,
): void {
  for (let i = from; i < to; i++) {
    const g = grad[i];
    const mi = b1 * m[i] + (1 - b1) * g;
    const vi = b2 * v[i] + (1 - b2) * g * g;
    m[i] = mi;
    v[i] = vi;
    use(i, mi, vi);
  }
}

/** One Adam step in place at step t >= 1 (m[P], v[P] the moments). */
export function adamStep(
  theta: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  t: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
): void {
  const [c1, c2] = adamCorrections(t, b1, b2, 'adamStep');
  adamMoments(m, v, grad, 0, theta.length, b1, b2, (i, mi, vi) => {
    theta[i] -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
  });
}

/** 1/(sqrt(v/(1-b2^t)) + eps) per coordinate, after step t (Adam, AdamW). */
export const adamScale = (v: FloatArray, t: number, b2: number, eps: number) => {
  const c2 = 1 - b2 ** t;
  return (k: number): number => 1 / (Math.sqrt(v[k] / c2) + eps);
};

/** Adam's two arena terms (AdamW adds its decay). */
export function adamTerms({ g, m, v, t, lr, hp }: TermInput): TermSplit {
  const { beta1: b1, beta2: b2 } = hp;
  const c1 = 1 - b1 ** t;
  const scale = Array.from(g, (gi, i) => 1 / (Math.sqrt((b2 * v[i] + (1 - b2) * gi * gi) / (1 - b2 ** t)) + hp.eps));
  return {
    gradient: scale.map((s, i) => (-lr * (1 - b1) * g[i] * s) / c1),
    momentum: scale.map((s, i) => (-lr * b1 * m[i] * s) / c1),
    decay: scale.map(() => 0),
    scale,
  };
}

/** Adam's rule in TeX (AdamW prepends its decay). */
export const ADAM_RULE = [
  'm \\leftarrow \\beta_1 m + (1-\\beta_1)\\, g',
  'v \\leftarrow \\beta_2 v + (1-\\beta_2)\\, g^2',
  '\\hat m = m/(1-\\beta_1^{\\,t});\\; \\hat v = v/(1-\\beta_2^{\\,t})',
  'w \\leftarrow w - \\varepsilon\\, \\hat m / (\\sqrt{\\hat v} + \\delta)',
];

/** The PyTorch script's constants of Adam (adamw.ts adds its lambda). */
export const ADAM_CONSTANTS = [
  { name: 'BETA1', hyper: 'beta1' },
  { name: 'BETA2', hyper: 'beta2' },
  EPS_CONSTANT,
] as const;

/** Adam's L1 prox scale in the PyTorch script (torch's Adam and AdamW state: exp_avg_sq, step). */
export const ADAM_PROX_PY: PytorchMapping['prox'] = {
  why: 's = 1/(sqrt(v/(1-b2^t)) + eps), v and t of this step, as the gradient step was scaled',
  scale: [
    'st = optimizer.state[w]',
    's = 1.0 / ((st["exp_avg_sq"] / (1.0 - BETA2 ** float(st["step"]))).sqrt() + EPS)',
  ],
};

export const adam: OptimizerSpec<'adam'> = {
  name: 'adam',
  label: 'Adam',
  help: 'Momentum on the gradient and RMSprop’s per-coordinate scale, both corrected for their start at 0.',
  hypers: ['beta1', 'beta2', 'eps'],
  adaptive: true,
  step: ({ theta, grad, state, lr, hp, kernels }) =>
    (kernels?.adam ?? adamStep)(theta, grad, state.m, state.v, state.t, lr, hp.beta1, hp.beta2, hp.eps),
  proxScale: (state, hp) => adamScale(state.v, state.t, hp.beta2, hp.eps),
  terms: adamTerms,
  parity: { lr: 0.01, l1: [0.01, 0.002] },
  arena: {
    lr: { quadratic: 0.3, rosenbrock: 0.1, beale: 0.1, saddle: 0.01, himmelblau: 0.05, rastrigin: 0.03 },
    defaultRacer: true,
  },
  rule: ADAM_RULE,
  convention: 'δ is added outside the root (√v̂ + δ), as the paper and PyTorch; t counts steps from 1.',
  pytorch: {
    constants: ADAM_CONSTANTS,
    build: [
      '# Descent "adam" (bias-corrected, t from 1): m <- b1*m + (1-b1)*g;  v <- b2*v + (1-b2)*g^2;',
      '# w <- w - lr*(m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps), exactly torch.optim.Adam (amsgrad=False).',
      '# weight_decay stays 0: L2 and L1 are added to the loss below, as Descent adds them to the gradient.',
      'optimizer = torch.optim.Adam(net.parameters(), lr=LR0, betas=(BETA1, BETA2), eps=EPS, weight_decay=0.0)',
    ],
    prox: ADAM_PROX_PY,
  },
};
