// The optimizer and learning-rate schedule sections of the generated PyTorch script.
// Each of Descent's update rules (src/engine/optim.ts) maps to a torch.optim class; the comment
// written into the script states the equivalence, so a student can check it by hand.

import type { OptimizerConfig, ScheduleConfig, TrainConfig } from '../engine/types';
import { pyFloat, pyInt } from './pyLiteral';

/**
 * The lecture's momentum as a torch optimizer. torch.optim.SGD(momentum) is a different rule under a
 * schedule (see the docstring), so the script carries the lecture's two lines instead.
 */
const LECTURE_MOMENTUM_LINES = [
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

/**
 * `l1_prox(lr)`: the L1 penalty as a proximal step after the optimizer's step (engine
 * regularizers.ts), scaled per coordinate like the optimizer scaled the gradient.
 */
export function l1ProxLines(o: OptimizerConfig): string[] {
  let scale: string[];
  let why: string;
  let after: string[] = [];
  switch (o.name) {
    case 'sgd':
      why = 's = 1 for SGD';
      scale = ['s = 1.0'];
      break;
    case 'momentum':
      why = 's = 1, and v -= w_step - w_new: the velocity stays the displacement actually taken';
      scale = ['s = 1.0'];
      after = ['optimizer.state[w]["velocity"].sub_(w_step - w)'];
      break;
    case 'nesterov':
      why = 's = 1 + mu (w moves by (1+mu) times the new v), and v -= (w_step - w_new)/(1+mu)';
      scale = ['s = 1.0 + MOMENTUM'];
      after = ['optimizer.state[w]["velocity"].sub_((w_step - w) / (1.0 + MOMENTUM))'];
      break;
    case 'adagrad':
    case 'rmsprop': {
      const key = o.name === 'adagrad' ? 'sum' : 'square_avg';
      why = 's = 1/(sqrt(c) + eps) with the cache c just updated, as the gradient step was scaled';
      scale = [`s = 1.0 / (optimizer.state[w][${JSON.stringify(key)}].sqrt() + EPS)`];
      break;
    }
    case 'adam':
    case 'adamw':
      why = 's = 1/(sqrt(v/(1-b2^t)) + eps), v and t of this step, as the gradient step was scaled';
      scale = [
        'st = optimizer.state[w]',
        's = 1.0 / ((st["exp_avg_sq"] / (1.0 - BETA2 ** float(st["step"]))).sqrt() + EPS)',
      ];
      break;
  }
  return [
    'def l1_prox(lr):',
    '    """L1 (L1*||w||_1) as a proximal step, after the optimizer stepped on the data + L2 gradient alone',
    '    (soft-thresholding, FOBOS, Duchi & Singer 2009): each decayed weight moves toward 0 by tau = lr*L1*s',
    '    and stops at exactly 0:  w <- sign(w)*max(0, |w| - tau).  A weight at 0 stays there while the data',
    '    gradient is smaller than L1.',
    `    Here ${why}."""`,
    '    with torch.no_grad():',
    '        for w in DECAYED:',
    ...scale.map((l) => `            ${l}`),
    '            w_step = w.clone()',
    '            w.copy_(torch.sign(w_step) * torch.clamp(w_step.abs() - lr * L1 * s, min=0.0))',
    ...after.map((l) => `            ${l}`),
  ];
}

/** Python lines that create `optimizer` over `params` (all parameters) or the AdamW groups. */
export function optimizerLines(o: OptimizerConfig): string[] {
  const lr = 'LR0';
  switch (o.name) {
    case 'sgd':
      return [
        '# Descent "sgd": w <- w - lr*g, exactly torch.optim.SGD without momentum.',
        `optimizer = torch.optim.SGD(net.parameters(), lr=${lr})`,
      ];
    case 'momentum':
    case 'nesterov':
      return [
        ...LECTURE_MOMENTUM_LINES,
        '',
        `optimizer = LectureMomentum(net.parameters(), lr=${lr}, momentum=MOMENTUM, nesterov=${o.name === 'nesterov' ? 'True' : 'False'})`,
      ];
    case 'adagrad':
      return [
        '# Descent "adagrad": c <- c + g^2 (c starts at INITIAL_ACCUMULATOR);  w <- w - lr*g/(sqrt(c) + eps),',
        '# exactly torch.optim.Adagrad with lr_decay=0 (torch also adds eps outside the sqrt).',
        `optimizer = torch.optim.Adagrad(net.parameters(), lr=${lr}, lr_decay=0.0, initial_accumulator_value=INITIAL_ACCUMULATOR, eps=EPS)`,
      ];
    case 'rmsprop':
      return [
        '# Descent "rmsprop": c <- rho*c + (1-rho)*g^2;  w <- w - lr*g/(sqrt(c) + eps), exactly',
        '# torch.optim.RMSprop with alpha=rho, centered=False, momentum=0.',
        `optimizer = torch.optim.RMSprop(net.parameters(), lr=${lr}, alpha=RHO, eps=EPS, centered=False, momentum=0.0)`,
      ];
    case 'adam':
      return [
        '# Descent "adam" (bias-corrected, t from 1): m <- b1*m + (1-b1)*g;  v <- b2*v + (1-b2)*g^2;',
        '# w <- w - lr*(m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps), exactly torch.optim.Adam (amsgrad=False).',
        '# weight_decay stays 0: L2 and L1 are added to the loss below, as Descent adds them to the gradient.',
        `optimizer = torch.optim.Adam(net.parameters(), lr=${lr}, betas=(BETA1, BETA2), eps=EPS, weight_decay=0.0)`,
      ];
    case 'adamw':
      return [
        '# Descent "adamw": w <- w - lr*lambda*w on the decayed parameters, then the Adam move on the loss',
        '# gradient: the order and formula of torch.optim.AdamW. Only the decayed group gets lambda.',
        'optimizer = torch.optim.AdamW(',
        '    [{"params": DECAYED, "weight_decay": WEIGHT_DECAY}, {"params": NOT_DECAYED, "weight_decay": 0.0}],',
        `    lr=${lr},`,
        '    betas=(BETA1, BETA2),',
        '    eps=EPS,',
        ')',
      ];
  }
}

/** The constants block for the chosen optimizer only (students edit these). */
export function optimizerConstants(o: OptimizerConfig): string[] {
  const out = [`LR0 = ${pyFloat(o.lr)}  # initial learning rate eps_0`];
  if (o.name === 'momentum' || o.name === 'nesterov') out.push(`MOMENTUM = ${pyFloat(o.momentum)}  # mu`);
  if (o.name === 'rmsprop') out.push(`RHO = ${pyFloat(o.rho)}`);
  if (o.name === 'adam' || o.name === 'adamw') out.push(`BETA1 = ${pyFloat(o.beta1)}`, `BETA2 = ${pyFloat(o.beta2)}`);
  if (o.name !== 'sgd' && o.name !== 'momentum' && o.name !== 'nesterov') out.push(`EPS = ${pyFloat(o.eps)}`);
  if (o.name === 'adagrad')
    out.push(`INITIAL_ACCUMULATOR = ${pyFloat(o.initialAccumulator)}  # c before the first step`);
  if (o.name === 'adamw') out.push(`WEIGHT_DECAY = ${pyFloat(o.weightDecay)}  # AdamW's decoupled lambda`);
  return out;
}

/**
 * `lr_factor(step)`: eps_t / eps_0 at the 0-based global step, in plain Python (math only), so
 * it can be checked against the engine's learningRateAt without torch. The plateau schedule
 * depends on validation losses and uses ReduceLROnPlateau instead.
 */
export function scheduleLines(cfg: TrainConfig): string[] {
  const s: ScheduleConfig = cfg.schedule;
  const head = [
    'def lr_factor(step):',
    '    """eps_t / eps_0 at the 0-based training step (Descent schedules.ts).',
    "    Descent's schedule clock is the epochs of data consumed so far, which survives a live batch-size",
    '    change; with the fixed BATCH_SIZE of this script that is exactly step / STEPS_PER_EPOCH."""',
  ];
  const epoch = '    t = step / STEPS_PER_EPOCH  # time in (fractional) epochs';
  let body: string[];
  switch (s.kind) {
    case 'constant':
    case 'plateau':
      body = ['    return 1.0'];
      break;
    case 'step':
      body = [
        `    # step decay: multiply by ${pyFloat(s.factor)} after every ${pyInt(s.every)} completed epochs`,
        `    return ${pyFloat(s.factor)} ** (step // (STEPS_PER_EPOCH * ${pyInt(s.every)}))`,
      ];
      break;
    case 'exponential':
      body = [epoch, `    return ${pyFloat(s.eta)} ** t  # eps_t = eta^t * eps_0`];
      break;
    case 'inverse':
      body = [epoch, `    return 1.0 / (1.0 + ${pyFloat(s.k)} * t)  # eps_t = eps_0 / (1 + K t)`];
      break;
    case 'warmup':
      body = [`    return min(1.0, (step + 1) / ${pyInt(s.warmupSteps)})  # linear warm-up, then constant`];
      break;
    case 'cosine':
      body = [
        `    frac = min(step, ${pyInt(s.totalSteps)}) / ${pyInt(s.totalSteps)}`,
        `    lr = ${pyFloat(s.minLr)} + (LR0 - ${pyFloat(s.minLr)}) * 0.5 * (1.0 + math.cos(math.pi * frac))`,
        '    return lr / LR0',
      ];
      break;
  }
  const lines = [...head, ...body, ''];
  if (s.kind === 'plateau') {
    lines.push(
      '# Reduce-on-plateau (the lecture\'s "step decay": cut the rate when validation stops improving).',
      `# Descent reduces after ${pyInt(s.patience)} epochs without an improvement larger than MIN_DELTA; torch`,
      '# reduces when its count of bad epochs *exceeds* patience, hence patience - 1 here.',
      'scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(',
      `    optimizer, mode="min", factor=${pyFloat(s.factor)}, patience=${pyInt(s.patience - 1)},`,
      '    threshold=MIN_DELTA, threshold_mode="abs", cooldown=0, min_lr=0.0, eps=0.0,',
      ')',
    );
  } else if (s.kind === 'constant') {
    lines.push('scheduler = None  # constant learning rate');
  } else {
    lines.push(
      '# LambdaLR sets lr = LR0 * lr_factor(k) for the k-th optimizer step; it is stepped once per batch.',
      'scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)',
    );
  }
  return lines;
}
