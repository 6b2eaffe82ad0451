// Momentum exactly as the lecture writes it (heavy ball, Polyak 1964):
//   v <- mu*v - lr*g      (velocity: decayed old velocity plus the new downhill push)
//   w <- w + v            (the ball moves by its velocity)
// PyTorch's SGD(momentum) keeps b <- mu*b + g and steps w <- w - lr*b: the same path while lr is
// constant (v = -lr*b), not under a schedule (PyTorch applies a new lr to the whole velocity at
// once, the lecture's form only to the new gradients).
// L1 prox: s = 1, then v <- v - delta, so the velocity stays the displacement that happened (the
// proximal heavy ball, iPiano; see l1Prox.ts). Arena: momentum = mu*v_prev, gradient = -lr*g.
// Closed form on the quadratic (Polyak): mu = ((sqrt(kappa)-1)/(sqrt(kappa)+1))^2 and
// lr = 4/(sqrt(lmax) + sqrt(lmin))^2 converge at the rate sqrt(mu) = (sqrt(kappa)-1)/(sqrt(kappa)+1).
import type { FloatArray } from '../floatArray';
import { type ClosedForm, type OptimizerSpec, unitScale } from './spec';

/** v <- mu*v - lr*g; w <- w + v, in place (vel[P] is the velocity). */
export function momentumStep(theta: FloatArray, grad: FloatArray, vel: FloatArray, lr: number, mu: number): void {
  for (let i = 0; i < theta.length; i++) {
    const v = mu * vel[i] - lr * grad[i];
    vel[i] = v;
    theta[i] += v;
  }
}

/** The lecture's momentum against PyTorch's, in the words the UI shows (nesterov.ts reuses it). */
export const LECTURE_MOMENTUM_CONVENTION =
  'The lecture’s form v ← μv − εg, w ← w + v. PyTorch keeps b ← μb + g and steps w ← w − εb: the same path only while ε is constant; under a schedule PyTorch applies a new ε to the whole velocity at once, this form only to new gradients.';

/** The PyTorch script's momentum constant (nesterov.ts reuses it). */
export const MU_CONSTANT = { name: 'MOMENTUM', hyper: 'momentum', comment: 'mu' } as const;

/**
 * The lecture's momentum as a torch optimizer, carried by the generated script (nesterov.ts
 * reuses it): torch.optim.SGD(momentum) is a different rule under a schedule (the docstring says how).
 */
export const LECTURE_MOMENTUM_PY = [
  'class LectureMomentum(torch.optim.Optimizer):',
  '    """Descent\'s momentum, in the lecture\'s form (engine/optim.ts):',
  '        momentum:  v <- mu*v - lr*g;  w <- w + v',
  '        nesterov:  v_prev = v;  v <- mu*v - lr*g;  w <- w - mu*v_prev + (1+mu)*v   (cs231n form)',
  '    torch.optim.SGD(momentum=mu) keeps b <- mu*b + g and steps w <- w - lr*b, i.e. v = -lr_t*b_t: the',
  '    same weights only while lr is constant. When a schedule lowers lr, torch shrinks the whole remembered',
  '    velocity at once, while here each past push keeps the lr it was taken with; the two runs then differ."""',
  '',
  '    def __init__(self, params, lr, momentum, nesterov):',
  '        super().__init__(params, dict(lr=lr, momentum=momentum, nesterov=nesterov))',
  '',
  '    @torch.no_grad()',
  '    def step(self):',
  '        for group in self.param_groups:',
  '            lr, mu = group["lr"], group["momentum"]',
  '            for w in group["params"]:',
  '                if w.grad is None:',
  '                    continue',
  '                v = self.state[w].setdefault("velocity", torch.zeros_like(w))',
  '                v_prev = v.clone()',
  '                v.mul_(mu).sub_(lr * w.grad)',
  '                w.add_(-mu * v_prev + (1 + mu) * v if group["nesterov"] else v)',
];

/** The Python line that creates `optimizer` from LECTURE_MOMENTUM_PY. */
export const lectureMomentumOptimizer = (nesterov: boolean): string =>
  `optimizer = LectureMomentum(net.parameters(), lr=LR0, momentum=MOMENTUM, nesterov=${nesterov ? 'True' : 'False'})`;

export const momentum: OptimizerSpec<'momentum'> & { closedForm: ClosedForm } = {
  name: 'momentum',
  label: 'Momentum',
  help: 'A heavy ball: a velocity that accumulates past gradients speeds along valleys and damps zig-zags.',
  hypers: ['momentum'],
  adaptive: false,
  step: ({ theta, grad, state, lr, hp }) => momentumStep(theta, grad, state.m, lr, hp.momentum),
  proxScale: unitScale,
  afterProx: (state, k, delta) => {
    state.m[k] -= delta;
  },
  terms: ({ g, m, lr, hp }) => {
    const gradient = Array.from(g, (gi) => -lr * gi);
    return {
      gradient,
      momentum: Array.from(m, (mi) => hp.momentum * mi),
      decay: gradient.map(() => 0),
      scale: null,
    };
  },
  closedForm: {
    label: 'Optimal heavy ball',
    help: 'ε = 4/(√λmax+√λmin)², μ = ((√κ−1)/(√κ+1))²: rate (√κ−1)/(√κ+1)',
    solve: (lmin, lmax) => {
      const sk = Math.sqrt(lmax / lmin);
      const rate = (sk - 1) / (sk + 1);
      return { hypers: { lr: 4 / (Math.sqrt(lmax) + Math.sqrt(lmin)) ** 2, momentum: rate * rate }, rate };
    },
  },
  // L1 at zeta1 0.001: at 0.002..0.005 momentum's trajectory is ill conditioned (in the engine
  // alone, lr * (1 + 1e-7) moves its final weights by 3e-4, more than the parity tolerance)
  parity: { lr: 0.05, l1: [0.05, 0.001] },
  arena: {
    lr: { quadratic: 0.1, rosenbrock: 1e-3, beale: 1e-3, saddle: 0.01, himmelblau: 2e-3, rastrigin: 1e-2 },
    defaultRacer: true,
  },
  rule: ['v \\leftarrow \\mu v - \\varepsilon\\, g', 'w \\leftarrow w + v'],
  convention: LECTURE_MOMENTUM_CONVENTION,
  pytorch: {
    constants: [MU_CONSTANT],
    build: [...LECTURE_MOMENTUM_PY, '', lectureMomentumOptimizer(false)],
    prox: {
      why: 's = 1, and v -= w_step - w_new: the velocity stays the displacement actually taken',
      scale: ['s = 1.0'],
      after: ['optimizer.state[w]["velocity"].sub_(w_step - w)'],
    },
  },
};
