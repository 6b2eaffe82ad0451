// Schedule-Free AdamW (Defazio et al. 2024, "The Road Less Scheduled"; reference:
// facebookresearch/schedule_free, schedulefree/adamw_schedulefree_reference.py @ 70785b5, v1.4.1,
// defaults r = 0, weight_lr_power = 2, inner_momentum = 0). t counts from 1; three sequences:
//   lr_t = lr min(1, t/W)                       (linear warm-up over W = warmupSteps; W = 0: none)
//   v <- b2 v + (1-b2) g^2                      (g is taken at y)
//   d = g/(sqrt(v/(1-b2^t)) + eps) + lambda y   (Adam's scaled gradient; decay at y, where mask = 1)
//   z <- z - lr_t d                             (the plain, un-averaged steps)
//   x <- (1-c_t) x + c_t z                      (their weighted average: where the model is evaluated)
//   y  = b1 x + (1-b1) z                        (between the two: where the next gradient is taken)
//   c_t = lr_t^2 / sum_{i<=t} lr_i^2            (the reference's weight lr_max^2; lr itself cancels)
// The learning-rate schedule is ignored (the warm-up and the averaging replace it): the loop passes
// the base lr (loop.ts nextLr) and this rule applies its own warm-up by its step count t.
// Storage, two buffers as every backend (the GPU too): theta = y, m = z, v = v. x is recovered as
// x = (y - (1-b1) z)/b1, the reference's eval() (p.lerp_(z, 1 - 1/b1)), by `evalPoint`. Measured
// in float32 against the float64 goldens over 100 steps (golden/schedulefree.py): recovered x is
// off by <= 1.9e-7 (quadratic) / 9.5e-7 (MLP), stored x by 2.5e-7 / 4.9e-7: both < 0.5% of the
// tolerance 5e-5 + 1e-4|x|; the recovery amplifies rounding by 1/b1, so b1 must be > 0 (b1 = 0
// would make y = z and lose x). The step in the stored variables (adamw_schedulefree.py's form):
//   y <- (1-c) y + c z + lr_t (b1 (1-c) - 1) d;   z <- z - lr_t d
// which is the reference's x and y update with x eliminated (y_t = b1 x_t + (1-b1) z_t).
// c_t from t and W alone: with a constant lr, lr_max_i = lr_i and lr^2 cancels. The reference
// keeps lr_max and the weight sum from the lr it saw; if lr is changed mid-run, it re-weights the
// average by the new lr^2, this rule does not (the only place the two differ).
// L1 prox (l1Prox.ts) on z's step, carried out on y (the weights Run holds): a shift dz of z moves
// y by k dz, k = 1 - b1 (1-c) (y = b1 x + (1-b1) z, x <- (1-c) x + c z), so y is shrunk at
// s = warm k / (sqrt(vhat) + eps) and z follows with dz = -delta/k (x then moves by c dz, as its
// average says). y = z = 0 is a fixed point while |g| < zeta1, as for the classics.
// Arena terms of the move of y: momentum = c (z - y) (the pull of the average toward z),
// gradient = lr_t (b1 (1-c) - 1) s g, decay = lr_t (b1 (1-c) - 1) lambda y; they add up to it.
import type { FloatArray } from '../floatArray';
import { EPS_CONSTANT, type OptimizerSpec, type TermInput, type TermSplit } from './spec';

/** The warm-up factor min(1, t/W) at step t >= 1 (1 without warm-up). */
export const sfWarmup = (t: number, W: number): number => (W > 0 ? Math.min(1, t / W) : 1);

/** sum_{i=1..n} i^2. */
const sumSquares = (n: number) => (n * (n + 1) * (2 * n + 1)) / 6;

/** The averaging weight c_t = warm_t^2 / sum_{i<=t} warm_i^2 (c_1 = 1: x starts at z). */
export function sfWeight(t: number, W: number): number {
  if (!(t >= 1)) throw new Error(`sfWeight: t counts from 1, got ${t}`);
  if (!(W > 0)) return 1 / t;
  const Wr = Math.round(W);
  const sum = t <= Wr ? sumSquares(t) / (Wr * Wr) : sumSquares(Wr) / (Wr * Wr) + (t - Wr);
  const w = sfWarmup(t, Wr);
  return (w * w) / sum;
}

/** Step t's scalars (the GPU's slot words): lr_t = lr warm_t, c1 = c_t, c2 = 1 - b2^t. */
export const sfScalars = (t: number, lr: number, hp: { beta2: number; warmupSteps: number }) => ({
  lr: lr * sfWarmup(t, hp.warmupSteps),
  c1: sfWeight(t, hp.warmupSteps),
  c2: 1 - hp.beta2 ** t,
});

/** k = 1 - b1 (1 - c_t): the share of a move of z that reaches y at step t (>= 1 - b1 > 0). */
const yShare = (t: number, hp: { beta1: number; warmupSteps: number }) =>
  1 - hp.beta1 * (1 - sfWeight(t, hp.warmupSteps));

/** One Schedule-Free AdamW step in place at step t >= 1: theta = y[P], z[P], v[P] (see the header). */
export function scheduleFreeStep(
  theta: FloatArray,
  grad: FloatArray,
  z: FloatArray,
  v: FloatArray,
  t: number,
  lr: number,
  hp: { beta1: number; beta2: number; eps: number; weightDecay: number; warmupSteps: number },
  mask: ArrayLike<number> | null,
): void {
  const { beta1: b1, beta2: b2, eps, weightDecay: lambda } = hp;
  if (!(b1 > 0)) throw new Error(`optimizer.beta1: Schedule-Free needs β₁ > 0 (x = (y − (1−β₁) z)/β₁), got ${b1}`);
  const { lr: lrt, c1: c, c2 } = sfScalars(t, lr, hp);
  const yCoef = lrt * (b1 * (1 - c) - 1);
  for (let i = 0; i < theta.length; i++) {
    const g = grad[i];
    const y = theta[i];
    const vi = b2 * v[i] + (1 - b2) * g * g;
    v[i] = vi;
    let d = g / (Math.sqrt(vi / c2) + eps);
    if (lambda !== 0 && (mask === null || mask[i])) d += lambda * y;
    const zi = z[i];
    theta[i] = (1 - c) * y + c * zi + yCoef * d;
    z[i] = zi - lrt * d;
  }
}

/** The averaged point x = (y - (1-b1) z)/b1 into out[P] (the reference's eval()); returns out. */
export function scheduleFreeX<A extends FloatArray>(y: FloatArray, z: FloatArray, b1: number, out: A): A {
  for (let i = 0; i < y.length; i++) out[i] = (y[i] - (1 - b1) * z[i]) / b1;
  return out;
}

/** The arena's terms of the coming move of y (they add up to it). */
export function scheduleFreeTerms({ w, g, m: z, v, t, lr, hp }: TermInput): TermSplit {
  const { beta1: b1, beta2: b2 } = hp;
  const c = sfWeight(t, hp.warmupSteps);
  const k = lr * sfWarmup(t, hp.warmupSteps) * (b1 * (1 - c) - 1);
  const scale = Array.from(g, (gi, i) => 1 / (Math.sqrt((b2 * v[i] + (1 - b2) * gi * gi) / (1 - b2 ** t)) + hp.eps));
  return {
    gradient: scale.map((s, i) => k * g[i] * s),
    momentum: Array.from(w, (wi, i) => c * (z[i] - wi)),
    decay: Array.from(w, (wi) => k * hp.weightDecay * wi),
    scale,
  };
}

/** The class the PyTorch script carries (PyTorch 1.13 has no Schedule-Free), built over the AdamW groups. */
const SCHEDULE_FREE_PY = [
  'class ScheduleFreeAdamW(torch.optim.Optimizer):',
  '    """Descent "schedulefree" (engine/optimizers/schedulefree.ts): Schedule-Free AdamW (Defazio et al. 2024),',
  '    facebookresearch/schedule_free AdamWScheduleFreeReference (r = 0, weight_lr_power = 2) in its two-buffer',
  '    form. p holds y, where gradients are taken; per coordinate, t from 1:',
  '        lr_t = lr*min(1, t/WARMUP_STEPS);  c = lr_t^2 / sum_{i<=t} lr_i^2  (lr itself cancels)',
  '        v <- b2*v + (1-b2)*g^2;  d = g/(sqrt(v/(1-b2^t)) + eps) + wd*y',
  '        y <- (1-c)*y + c*z + lr_t*(b1*(1-c) - 1)*d;  z <- z - lr_t*d',
  '    i.e. z <- z - lr_t*d; x <- (1-c)*x + c*z; y = b1*x + (1-b1)*z with x eliminated. No lr schedule.',
  '    eval(): the weights at x = (y - (1-b1)*z)/b1, batch-norm statistics recomputed there (mean over the',
  "    first <= 50 training batches, dropout off: the reference README's recipe, averaged as PreciseBN);",
  '    train(): back to y and the running statistics, exactly (both are kept)."""',
  '',
  '    def __init__(self, groups, lr, betas, eps, warmup_steps, net, bn_inputs, bn_batch):',
  '        super().__init__(groups, dict(lr=lr, betas=betas, eps=eps))',
  '        self.warmup, self.net, self.bn_inputs, self.bn_batch = warmup_steps, net, bn_inputs, bn_batch',
  '        self.t, self.weight_sum, self.saved = 0, 0.0, None',
  '',
  '    @torch.no_grad()',
  '    def step(self):',
  '        self.t += 1',
  '        warm = min(1.0, self.t / self.warmup) if self.warmup > 0 else 1.0',
  '        self.weight_sum += warm**2',
  '        c = warm**2 / self.weight_sum',
  '        for group in self.param_groups:',
  '            (b1, b2), lr_t = group["betas"], group["lr"] * warm',
  '            for p in group["params"]:',
  '                st = self.state[p]',
  '                if not st:',
  '                    st["z"], st["exp_avg_sq"] = p.clone(), torch.zeros_like(p)',
  '                v = st["exp_avg_sq"].mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)',
  '                d = p.grad / ((v / (1 - b2**self.t)).sqrt() + group["eps"]) + group["weight_decay"] * p',
  '                p.mul_(1 - c).add_(st["z"], alpha=c).add_(d, alpha=lr_t * (b1 * (1 - c) - 1))',
  '                st["z"].sub_(d, alpha=lr_t)',
  '                st["step"], st["share"] = self.t, 1 - b1 * (1 - c)',
  '                st["scale"] = warm * st["share"]  # for l1_prox',
  '',
  '    @torch.no_grad()',
  '    def eval(self):',
  '        bns = [m for m in self.net.modules() if isinstance(m, nn.BatchNorm1d)]',
  '        ps = [p for g in self.param_groups for p in g["params"] if "z" in self.state[p]]',
  '        self.saved = ([p.clone() for p in ps], [(m.running_mean.clone(), m.running_var.clone()) for m in bns])',
  '        for p in ps:',
  '            b1 = next(g["betas"][0] for g in self.param_groups if any(p is q for q in g["params"]))',
  '            p.copy_((p - (1 - b1) * self.state[p]["z"]) / b1)',
  '        if bns:',
  '            self.net.eval()',
  '            for m in bns:',
  '                m.train()',
  '                m.reset_running_stats()',
  '                m.momentum = None  # cumulative average of the batch statistics',
  '            n, B = len(self.bn_inputs), min(self.bn_batch, len(self.bn_inputs))',
  '            for k in range(min(50, n // B)):',
  '                self.net(self.bn_inputs[k * B : (k + 1) * B])',
  '            for m in bns:',
  '                m.momentum = 1.0 - BN_MOMENTUM',
  '            self.net.train()',
  '',
  '    @torch.no_grad()',
  '    def train(self):',
  '        if self.saved is None:',
  '            return',
  '        ps = [p for g in self.param_groups for p in g["params"] if "z" in self.state[p]]',
  '        bns = [m for m in self.net.modules() if isinstance(m, nn.BatchNorm1d)]',
  '        for p, y in zip(ps, self.saved[0]):',
  '            p.copy_(y)',
  '        for m, (mean, var) in zip(bns, self.saved[1]):',
  '            m.running_mean.copy_(mean)',
  '            m.running_var.copy_(var)',
  '        self.saved = None',
  '',
  '    def restored(self):',
  '        """After loading the best weights (taken at x): y = z = x there, as Descent restores them."""',
  '        self.saved = None',
  '        with torch.no_grad():',
  '            for g in self.param_groups:',
  '                for p in g["params"]:',
  '                    if "z" in self.state[p]:',
  '                        self.state[p]["z"].copy_(p)',
  '',
  '',
  '# Decay at y on the decayed group only (DECAYED), as Descent; the run ignores the lr schedule.',
  'optimizer = ScheduleFreeAdamW(',
  '    [{"params": DECAYED, "weight_decay": WEIGHT_DECAY}, {"params": NOT_DECAYED, "weight_decay": 0.0}],',
  '    lr=LR0,',
  '    betas=(BETA1, BETA2),',
  '    eps=EPS,',
  '    warmup_steps=WARMUP_STEPS,',
  '    net=net,',
  '    bn_inputs=x_train,',
  '    bn_batch=BATCH_SIZE,',
  ')',
];

export const schedulefree: OptimizerSpec<'schedulefree'> = {
  name: 'schedulefree',
  label: 'Schedule-Free AdamW',
  help: 'Adam steps z, evaluated at their running average x; gradients at y, between the two. No schedule needed.',
  hypers: ['beta1', 'beta2', 'eps', 'weightDecay', 'warmupSteps'],
  adaptive: true,
  ignoresSchedule: true,
  stepScalars: sfScalars,
  init: (state, theta) => state.m.set(theta), // z starts at the weights (x = y = z)
  step: ({ theta, grad, state, lr, hp, mask }) =>
    scheduleFreeStep(theta, grad, state.m, state.v, state.t, lr, hp, mask),
  evalPoint: (state, theta, hp, out) => (state.t > 0 ? scheduleFreeX(theta, state.m, hp.beta1, out) : out.set(theta)),
  proxScale: (state, hp) => {
    const { t } = state;
    const k = sfWarmup(t, hp.warmupSteps) * yShare(t, hp);
    const c2 = 1 - hp.beta2 ** t;
    return (i) => k / (Math.sqrt(state.v[i] / c2) + hp.eps);
  },
  afterProx: (state, i, delta, hp) => {
    state.m[i] -= delta / yShare(state.t, hp);
  },
  terms: scheduleFreeTerms,
  // Descent's small nets: Adam's 0.01 rather than the reference's 0.0025 (tuned for large models);
  // the reference's weight decay 0 (AdamW's 0.01 here is on y, a different sequence)
  defaults: { lr: 0.01, beta1: 0.9, weightDecay: 0 },
  parity: { lr: 0.01, l1: [0.01, 0.002] },
  // Measured, not Adam's (the average x lags z, so its best rates differ): scripts/arenaRates.ts, per
  // function the rate of 1e-4..1 with the lowest median final gap over the start points after 300
  // steps, with no divergence or jump at that rate or twice it (saddle: longest on screen for 150 steps)
  arena: {
    lr: { quadratic: 1, rosenbrock: 0.2, beale: 0.3, saddle: 0.01, himmelblau: 0.5, rastrigin: 0.005 },
    defaultRacer: false,
  },
  rule: [
    'v \\leftarrow \\beta_2 v + (1-\\beta_2)\\, g^2 \\quad (g \\text{ at } y)',
    'd = g / (\\sqrt{v/(1-\\beta_2^{\\,t})} + \\delta) + \\lambda\\, y',
    'z \\leftarrow z - \\varepsilon_t\\, d, \\quad \\varepsilon_t = \\varepsilon \\min(1, t/T_w)',
    'x \\leftarrow (1-c_t)\\, x + c_t\\, z, \\quad c_t = \\varepsilon_t^2 / \\textstyle\\sum_{i \\le t} \\varepsilon_i^2',
    'w \\leftarrow y = \\beta_1 x + (1-\\beta_1)\\, z \\quad (\\text{gradients at } y,\\ \\text{evaluation at } x)',
  ],
  convention:
    'The reference’s defaults (r = 0, weight power 2, no inner momentum); δ outside the root; decay at y. Ignores the learning-rate schedule: its warm-up T_w and the average replace it. Stores y and z and recovers x = (y − (1−β₁) z)/β₁ (needs β₁ > 0). The average’s weights follow the warm-up ramp; the reference would also re-weight after a mid-run change of ε.',
  pytorch: {
    constants: [
      { name: 'BETA1', hyper: 'beta1' },
      { name: 'BETA2', hyper: 'beta2' },
      EPS_CONSTANT,
      { name: 'WEIGHT_DECAY', hyper: 'weightDecay', comment: 'decay at y' },
      { name: 'WARMUP_STEPS', hyper: 'warmupSteps', comment: 'linear warm-up of the Schedule-Free lr' },
    ],
    build: SCHEDULE_FREE_PY,
    prox: {
      why: 's = warm*share/(sqrt(v/(1-b2^t)) + eps): y moves by share = 1 - b1(1-c) of the step of z, whose prox this is; z follows',
      scale: [
        'st = optimizer.state[w]',
        's = st["scale"] / ((st["exp_avg_sq"] / (1.0 - BETA2 ** st["step"])).sqrt() + EPS)',
      ],
      after: ['st["z"].sub_((w_step - w) / st["share"])  # z moves by the prox step of which y got its share'],
    },
  },
};
