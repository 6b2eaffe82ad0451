// The optimizer and learning-rate schedule sections of the generated PyTorch script.
// Each of Descent's update rules maps to a torch.optim class (or a short class the script
// carries); the mapping lives in the rule's spec (src/engine/optimizers/<name>.ts, `pytorch`),
// with the comment written into the script that states the equivalence, so a student can check
// it by hand. Nothing here names an optimizer.

import { optimizerSpec } from '../engine/optimizers/registry';
import type { OptimizerConfig, ScheduleConfig, TrainConfig } from '../engine/types';
import { pyFloat, pyInt } from './pyLiteral';

/**
 * `l1_prox(lr)`: the L1 penalty as a proximal step after the optimizer's step (engine
 * regularizers.ts), scaled per coordinate like the optimizer scaled the gradient (the spec's
 * pytorch.prox).
 */
export function l1ProxLines(o: OptimizerConfig): string[] {
  const { why, scale, after = [] } = optimizerSpec(o.name).pytorch.prox;
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
  return [...optimizerSpec(o.name).pytorch.build];
}

/** The constants block for the chosen optimizer only (students edit these). */
export function optimizerConstants(o: OptimizerConfig): string[] {
  return [
    `LR0 = ${pyFloat(o.lr)}  # initial learning rate eps_0`,
    ...optimizerSpec(o.name).pytorch.constants.map(
      (c) => `${c.name} = ${pyFloat(o[c.hyper])}${c.comment ? `  # ${c.comment}` : ''}`,
    ),
  ];
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
  if (optimizerSpec(cfg.optimizer.name).ignoresSchedule) {
    lines.push(`scheduler = None  # ${cfg.optimizer.name} ignores the learning-rate schedule (lr_factor is not used)`);
  } else if (s.kind === 'plateau') {
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
