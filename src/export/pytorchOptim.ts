// The optimizer and learning-rate schedule sections of the generated PyTorch script.
// Each of Descent's update rules (src/engine/optim.ts) maps to a torch.optim class; the comment
// written into the script states the equivalence, so a student can check it by hand.

import type { OptimizerConfig, ScheduleConfig, TrainConfig } from '../engine/types';
import { pyFloat, pyInt } from './pyLiteral';

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
      return [
        '# Descent "momentum" is the lecture\'s rule:  v <- mu*v - lr*g;  w <- w + v.',
        '# torch.optim.SGD(momentum=mu) keeps a buffer without the learning rate:  b <- mu*b + g;  w <- w - lr*b.',
        '# With a constant lr the two are the same sequence of weights: by induction v_t = -lr*b_t',
        '# (v_1 = -lr*g_1 = -lr*b_1, and v_{t+1} = mu*v_t - lr*g = -lr*(mu*b_t + g) = -lr*b_{t+1}).',
        '# Under a schedule they differ slightly: torch rescales the whole remembered velocity by the current',
        "# lr (v = -lr_t*b_t), while the lecture's v keeps each past push at the lr it was taken with.",
        `optimizer = torch.optim.SGD(net.parameters(), lr=${lr}, momentum=MOMENTUM, dampening=0.0, nesterov=False)`,
      ];
    case 'nesterov':
      return [
        '# Descent "nesterov": v_prev = v;  v <- mu*v - lr*g;  w <- w - mu*v_prev + (1+mu)*v  (cs231n form).',
        '# torch: b <- mu*b + g;  w <- w - lr*(g + mu*b). With v = -lr*b (constant lr, as for momentum)',
        '# -mu*v_prev + (1+mu)*v = -lr*((1+mu)*b - mu*b_prev) = -lr*(g + mu*b): the same step.',
        `optimizer = torch.optim.SGD(net.parameters(), lr=${lr}, momentum=MOMENTUM, dampening=0.0, nesterov=True)`,
      ];
    case 'adagrad':
      return [
        '# Descent "adagrad": c <- c + g^2;  w <- w - lr*g/(sqrt(c) + eps), exactly torch.optim.Adagrad',
        '# with lr_decay=0 and initial_accumulator_value=0 (torch also adds eps outside the sqrt).',
        `optimizer = torch.optim.Adagrad(net.parameters(), lr=${lr}, lr_decay=0.0, initial_accumulator_value=0.0, eps=EPS)`,
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
  const head = ['def lr_factor(step):', '    """eps_t / eps_0 at the 0-based training step (Descent schedules.ts)."""'];
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
