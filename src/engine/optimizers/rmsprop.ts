// RMSprop (Hinton, lecture 6e):
//   c <- rho*c + (1-rho)*g^2          (moving average of squared gradients: forgets old history)
//   w <- w - lr*g/(sqrt(c) + eps)
// eps outside the root, as PyTorch. L1 prox scale s = 1/(sqrt(c_new) + eps).
// Arena: gradient = -lr*g*s (no momentum term), scale = s.
import type { FloatArray } from '../floatArray';
import { rootScale, scaledGradientTerms } from './adagrad';
import { cacheProx, EPS_CONSTANT, type OptimizerSpec } from './spec';

/** c <- rho*c + (1-rho)*g^2; w <- w - lr*g/(sqrt(c) + eps), in place (cache[P] = c). */
export function rmspropStep(
  theta: FloatArray,
  grad: FloatArray,
  cache: FloatArray,
  lr: number,
  rho: number,
  eps: number,
): void {
  for (let i = 0; i < theta.length; i++) {
    const g = grad[i];
    const c = rho * cache[i] + (1 - rho) * g * g;
    cache[i] = c;
    theta[i] -= (lr * g) / (Math.sqrt(c) + eps);
  }
}

export const rmsprop: OptimizerSpec<'rmsprop'> = {
  name: 'rmsprop',
  label: 'RMSprop',
  help: 'Like Adagrad, but over a moving average of squared gradients, so old history is forgotten.',
  hypers: ['rho', 'eps'],
  adaptive: true,
  step: ({ theta, grad, state, lr, hp, kernels }) =>
    (kernels?.rmsprop ?? rmspropStep)(theta, grad, state.v, lr, hp.rho, hp.eps),
  proxScale: (state, hp) => rootScale(state.v, hp.eps),
  terms: ({ g, v, lr, hp }) =>
    scaledGradientTerms(
      g,
      lr,
      Array.from(g, (gi, i) => 1 / (Math.sqrt(hp.rho * v[i] + (1 - hp.rho) * gi * gi) + hp.eps)),
    ),
  parity: { lr: 0.005, l1: [0.005, 0.002] },
  arena: {
    lr: { quadratic: 0.1, rosenbrock: 0.03, beale: 0.01, saddle: 0.01, himmelblau: 0.01, rastrigin: 3e-3 },
    defaultRacer: true,
  },
  rule: ['c \\leftarrow \\rho c + (1-\\rho)\\, g^2', 'w \\leftarrow w - \\varepsilon\\, g / (\\sqrt{c} + \\delta)'],
  convention: 'δ is added outside the root (√c + δ), as PyTorch.',
  pytorch: {
    constants: [{ name: 'RHO', hyper: 'rho' }, EPS_CONSTANT],
    build: [
      '# Descent "rmsprop": c <- rho*c + (1-rho)*g^2;  w <- w - lr*g/(sqrt(c) + eps), exactly',
      '# torch.optim.RMSprop with alpha=rho, centered=False, momentum=0.',
      'optimizer = torch.optim.RMSprop(net.parameters(), lr=LR0, alpha=RHO, eps=EPS, centered=False, momentum=0.0)',
    ],
    prox: cacheProx('square_avg'),
  },
};
