// Vanilla SGD, the lecture's naive update:
//   w <- w - lr*g
// L1 prox scale s = 1. Arena: the whole move is the gradient term. Closed form on the quadratic
// f = 0.5 (lmin x^2 + lmax y^2): per direction e <- (1 - lr*l) e, fastest for lr = 2/(lmin + lmax)
// where both extreme directions contract by (kappa - 1)/(kappa + 1), kappa = lmax/lmin.
import type { FloatArray } from '../floatArray';
import { type ClosedForm, type OptimizerSpec, unitScale } from './spec';

/** w <- w - lr*g, in place. */
export function sgdStep(theta: FloatArray, grad: FloatArray, lr: number): void {
  for (let i = 0; i < theta.length; i++) theta[i] -= lr * grad[i];
}

export const sgd: OptimizerSpec<'sgd'> & { closedForm: ClosedForm } = {
  name: 'sgd',
  label: 'SGD',
  help: 'Plain gradient descent: a step against the gradient, scaled by the learning rate.',
  hypers: [],
  adaptive: false,
  step: ({ theta, grad, lr }) => sgdStep(theta, grad, lr),
  proxScale: unitScale,
  terms: ({ g, lr }) => {
    const gradient = Array.from(g, (gi) => -lr * gi);
    return { gradient, momentum: gradient.map(() => 0), decay: gradient.map(() => 0), scale: null };
  },
  closedForm: {
    label: 'Optimal GD',
    help: 'ε = 2/(λmin+λmax): rate (κ−1)/(κ+1)',
    solve: (lmin, lmax) => ({ hypers: { lr: 2 / (lmin + lmax) }, rate: (lmax / lmin - 1) / (lmax / lmin + 1) }),
  },
  parity: { lr: 0.1, l1: [0.1, 0.005] },
  arena: {
    lr: { quadratic: 1, rosenbrock: 1e-3, beale: 0.01, saddle: 0.05, himmelblau: 0.01, rastrigin: 1e-3 },
    defaultRacer: true,
  },
  rule: ['w \\leftarrow w - \\varepsilon\\, g'],
  convention: 'The lecture’s update; PyTorch’s SGD without momentum.',
  pytorch: {
    constants: [],
    build: [
      '# Descent "sgd": w <- w - lr*g, exactly torch.optim.SGD without momentum.',
      'optimizer = torch.optim.SGD(net.parameters(), lr=LR0)',
    ],
    prox: { why: 's = 1 for SGD', scale: ['s = 1.0'] },
  },
};
