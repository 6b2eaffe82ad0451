// Nesterov momentum in the "look-ahead folded into the parameters" form (Sutskever 2013, cs231n):
//   v_prev = v
//   v <- mu*v - lr*g
//   w <- w - mu*v_prev + (1+mu)*v
// Equivalent to evaluating the gradient at the look-ahead point w + mu*v while storing the
// look-ahead point itself as the parameters. Net move = mu^2*v_prev - (1+mu)*lr*g. Same lecture
// velocity as momentum.ts, so the same difference from PyTorch (nesterov=True) under a schedule.
// L1 prox: the gradient enters w with the factor (1+mu), so s = 1+mu, and v <- v - delta/(1+mu).
// Arena: momentum = mu^2*v_prev, gradient = -(1+mu)*lr*g.
import type { FloatArray } from '../floatArray';
import { LECTURE_MOMENTUM_CONVENTION, LECTURE_MOMENTUM_PY, lectureMomentumOptimizer, MU_CONSTANT } from './momentum';
import type { OptimizerSpec } from './spec';

/** v_prev = v; v <- mu*v - lr*g; w <- w - mu*v_prev + (1+mu)*v, in place. */
export function nesterovStep(theta: FloatArray, grad: FloatArray, vel: FloatArray, lr: number, mu: number): void {
  for (let i = 0; i < theta.length; i++) {
    const vPrev = vel[i];
    const v = mu * vPrev - lr * grad[i];
    vel[i] = v;
    theta[i] += -mu * vPrev + (1 + mu) * v;
  }
}

export const nesterov: OptimizerSpec<'nesterov'> = {
  name: 'nesterov',
  label: 'Nesterov',
  help: 'Momentum with a look-ahead: the gradient counts where the velocity is about to carry the weights.',
  hypers: ['momentum'],
  adaptive: false,
  step: ({ theta, grad, state, lr, hp }) => nesterovStep(theta, grad, state.m, lr, hp.momentum),
  proxScale: (_state, hp) => {
    const s = 1 + hp.momentum;
    return () => s;
  },
  afterProx: (state, k, delta, hp) => {
    state.m[k] -= delta / (1 + hp.momentum);
  },
  terms: ({ g, m, lr, hp }) => {
    const mu = hp.momentum;
    return {
      gradient: Array.from(g, (gi) => -(1 + mu) * lr * gi),
      momentum: Array.from(m, (mi) => mu * mu * mi),
      decay: Array.from(g, () => 0),
      scale: null,
    };
  },
  parity: { lr: 0.05, l1: [0.05, 0.002] },
  arena: {
    lr: { quadratic: 0.1, rosenbrock: 1e-3, beale: 1e-3, saddle: 0.01, himmelblau: 2e-3, rastrigin: 3e-3 },
    defaultRacer: true,
  },
  rule: [
    'v_{\\text{prev}} \\leftarrow v;\\; v \\leftarrow \\mu v - \\varepsilon\\, g',
    'w \\leftarrow w - \\mu v_{\\text{prev}} + (1+\\mu)\\, v',
  ],
  convention: `Sutskever’s form, the look-ahead folded into the stored weights. ${LECTURE_MOMENTUM_CONVENTION}`,
  pytorch: {
    constants: [MU_CONSTANT],
    build: [...LECTURE_MOMENTUM_PY, '', lectureMomentumOptimizer(true)],
    prox: {
      why: 's = 1 + mu (w moves by (1+mu) times the new v), and v -= (w_step - w_new)/(1+mu)',
      scale: ['s = 1.0 + MOMENTUM'],
      after: ['optimizer.state[w]["velocity"].sub_((w_step - w) / (1.0 + MOMENTUM))'],
    },
  },
};
