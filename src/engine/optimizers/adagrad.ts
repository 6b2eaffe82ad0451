// Adagrad (Duchi, Hazan & Singer 2011):
//   c <- c0 at the start                (c0 = initialAccumulator: PyTorch 0, TensorFlow 0.1)
//   c <- c + g^2                        (sum of all squared gradients seen, per coordinate)
//   w <- w - lr*g/(sqrt(c) + eps)       (coordinates with a large history take smaller steps)
// eps outside the root, as PyTorch. L1 prox scale s = 1/(sqrt(c_new) + eps).
// Arena: gradient = -lr*g*s (no momentum term), scale = s.
import type { FloatArray } from '../floatArray';
import { cacheProx, EPS_CONSTANT, type OptimizerSpec, type TermSplit } from './spec';

/** c <- c + g^2; w <- w - lr*g/(sqrt(c) + eps), in place (cache[P] = c). */
export function adagradStep(theta: FloatArray, grad: FloatArray, cache: FloatArray, lr: number, eps: number): void {
  for (let i = 0; i < theta.length; i++) {
    const g = grad[i];
    const c = cache[i] + g * g;
    cache[i] = c;
    theta[i] -= (lr * g) / (Math.sqrt(c) + eps);
  }
}

/** 1/(sqrt(c) + eps) per coordinate of a squared-gradient cache (Adagrad, RMSprop). */
export const rootScale =
  (cache: FloatArray, eps: number) =>
  (k: number): number =>
    1 / (Math.sqrt(cache[k]) + eps);

/** The arena terms of a rule whose whole move is the scaled gradient -lr g s (Adagrad, RMSprop). */
export const scaledGradientTerms = (g: Float64Array, lr: number, scale: number[]): TermSplit => ({
  gradient: scale.map((s, i) => -lr * g[i] * s),
  momentum: scale.map(() => 0),
  decay: scale.map(() => 0),
  scale,
});

export const adagrad: OptimizerSpec<'adagrad'> = {
  name: 'adagrad',
  label: 'Adagrad',
  help: 'Divides each coordinate’s step by the root of all its squared gradients so far: busy directions slow down for good.',
  hypers: ['eps', 'initialAccumulator'],
  adaptive: true,
  init: (state, _theta, hp) => {
    state.v.fill(hp.initialAccumulator);
  },
  step: ({ theta, grad, state, lr, hp, kernels }) =>
    (kernels?.adagrad ?? adagradStep)(theta, grad, state.v, lr, hp.eps),
  proxScale: (state, hp) => rootScale(state.v, hp.eps),
  terms: ({ g, v, lr, hp }) =>
    scaledGradientTerms(
      g,
      lr,
      Array.from(g, (gi, i) => 1 / (Math.sqrt(v[i] + gi * gi) + hp.eps)),
    ),
  parity: { lr: 0.05, l1: [0.05, 0.002] },
  arena: {
    lr: { quadratic: 1, rosenbrock: 0.5, beale: 0.5, saddle: 0.1, himmelblau: 0.3, rastrigin: 0.3 },
    defaultRacer: true,
  },
  rule: [
    'c \\leftarrow c_0 \\text{ at the start}',
    'c \\leftarrow c + g^2',
    'w \\leftarrow w - \\varepsilon\\, g / (\\sqrt{c} + \\delta)',
  ],
  convention: 'δ is added outside the root (√c + δ), as PyTorch; c starts at c₀ (PyTorch 0, TensorFlow 0.1).',
  pytorch: {
    constants: [
      EPS_CONSTANT,
      { name: 'INITIAL_ACCUMULATOR', hyper: 'initialAccumulator', comment: 'c before the first step' },
    ],
    build: [
      '# Descent "adagrad": c <- c + g^2 (c starts at INITIAL_ACCUMULATOR);  w <- w - lr*g/(sqrt(c) + eps),',
      '# exactly torch.optim.Adagrad with lr_decay=0 (torch also adds eps outside the sqrt).',
      'optimizer = torch.optim.Adagrad(net.parameters(), lr=LR0, lr_decay=0.0, initial_accumulator_value=INITIAL_ACCUMULATOR, eps=EPS)',
    ],
    prox: cacheProx('sum'),
  },
};
