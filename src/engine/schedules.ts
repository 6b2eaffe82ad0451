// Learning-rate schedules (the lecture's "annealing the learning rate"), as pure functions of
// the training clock, so the UI can plot a schedule before training and every backend agrees on eps_t.
//
// Two clocks. `step` is the 0-based index of the training step about to be taken (Run.stepCount
// before it); `t` is the time in (fractional) epochs, the training loop's accumulated epoch
// progress (loop.ts: step / stepsPerEpoch while the batch size is unchanged, and continuous when
// the batch size changes live, where step / stepsPerEpoch would jump).
//   count epochs (t):  step, exponential, inverse (and plateau, which reacts at epoch ends)
//   count steps:       warmup, cosine (their lengths are given in steps)
//   neither:           constant
// Only reduce-on-plateau depends on what happened in training; it is a reducer over validation
// losses whose state (`scale`) the Run carries and passes back in.
import type { ScheduleConfig } from './types';

/** Reduce-on-plateau memory: the lecture's "step decay" watches the validation error. */
export interface PlateauState {
  /** Best validation loss so far (Infinity before the first epoch). */
  best: number;
  /** Epochs since the last improvement (or since the last reduction). */
  wait: number;
  /** Current multiplier of lr0: factor^reductions. */
  scale: number;
  /** How many times the rate has been reduced. */
  reductions: number;
}

export function initialPlateau(): PlateauState {
  return { best: Number.POSITIVE_INFINITY, wait: 0, scale: 1, reductions: 0 };
}

/**
 * Feed one epoch's validation loss. An epoch improves when valLoss < best - minDelta; after
 * `patience` consecutive epochs without improvement the scale is multiplied by `factor` and the
 * wait restarts (best is kept, as in Keras' ReduceLROnPlateau without cooldown). With patience 3,
 * losses 1.0, 1.0, 1.0, 1.0 reduce after the 4th epoch (the 3rd without improvement), never earlier.
 * A non-finite valLoss counts as no improvement.
 */
export function plateauUpdate(
  state: PlateauState,
  valLoss: number,
  minDelta: number,
  patience: number,
  factor: number,
): { state: PlateauState; reduced: boolean } {
  if (!(patience >= 1)) throw new Error(`schedule.patience must be >= 1, got ${patience}`);
  if (!(factor > 0 && factor <= 1)) throw new Error(`schedule.factor must be in (0, 1], got ${factor}`);
  if (Number.isFinite(valLoss) && valLoss < state.best - minDelta) {
    return { state: { ...state, best: valLoss, wait: 0 }, reduced: false };
  }
  const wait = state.wait + 1;
  if (wait >= patience) {
    return {
      state: { best: state.best, wait: 0, scale: state.scale * factor, reductions: state.reductions + 1 },
      reduced: true,
    };
  }
  return { state: { ...state, wait }, reduced: false };
}

// (module level, not a closure in validateSchedule: that runs on every training step's learning rate)
const bad = (field: string, v: number, rule: string) => {
  throw new Error(`schedule.${field} ${rule}, got ${v}`);
};

/** Throws a message naming the bad field; called by learningRateAt and by config validation. */
export function validateSchedule(s: ScheduleConfig): void {
  switch (s.kind) {
    case 'constant':
      return;
    case 'step':
      if (!(s.every >= 1)) bad('every', s.every, 'must be >= 1 epoch');
      if (!(s.factor > 0 && s.factor <= 1)) bad('factor', s.factor, 'must be in (0, 1]');
      return;
    case 'plateau':
      if (!(s.patience >= 1)) bad('patience', s.patience, 'must be >= 1');
      if (!(s.factor > 0 && s.factor <= 1)) bad('factor', s.factor, 'must be in (0, 1]');
      return;
    case 'exponential':
      if (!(s.eta > 0 && s.eta <= 1)) bad('eta', s.eta, 'must be in (0, 1]');
      return;
    case 'inverse':
      if (!(s.k >= 0)) bad('k', s.k, 'must be >= 0');
      return;
    case 'warmup':
      if (!(s.warmupSteps >= 1)) bad('warmupSteps', s.warmupSteps, 'must be >= 1');
      return;
    case 'cosine':
      if (!(s.totalSteps >= 1)) bad('totalSteps', s.totalSteps, 'must be >= 1');
      if (!(s.minLr >= 0)) bad('minLr', s.minLr, 'must be >= 0');
      return;
    default:
      throw new Error(`schedule.kind: unknown schedule '${(s as { kind: string }).kind}'`);
  }
}

/**
 * Learning rate eps_t used by training step `step` (0-based) at a fixed batch size: the clock is
 * t = step / stepsPerEpoch (what TrainLoop's clock is while the batch size never changed, and the
 * PyTorch export's, which trains at one batch size). See learningRateAtTime.
 */
export function learningRateAt(
  schedule: ScheduleConfig,
  lr0: number,
  step: number,
  stepsPerEpoch: number,
  plateau: PlateauState | null = null,
): number {
  if (!(stepsPerEpoch >= 1)) throw new Error(`learningRateAt: stepsPerEpoch must be >= 1, got ${stepsPerEpoch}`);
  return learningRateAtTime(schedule, lr0, step, step / stepsPerEpoch, plateau);
}

/**
 * Learning rate eps_t used by training step `step` (0-based) when the clock reads t epochs.
 *  constant     eps0
 *  step         eps0 * factor^floor(floor(t) / every)   floor(t) = completed epochs
 *  plateau      eps0 * plateau.scale               (1 until the first reduction; see plateauUpdate)
 *  exponential  eps0 * eta^t                       t in fractional epochs
 *  inverse      eps0 / (1 + K t)                   the lecture's "smooth decay"
 *  warmup       eps0 * min(1, (step+1) / warmupSteps)   linear ramp whose line starts at 0 one
 *                                                   step before training, so step 0 already moves
 *  cosine       minLr + (eps0 - minLr) * (1 + cos(pi * step / totalSteps)) / 2, then minLr
 */
export function learningRateAtTime(
  schedule: ScheduleConfig,
  lr0: number,
  step: number,
  t: number,
  plateau: PlateauState | null = null,
): number {
  if (!(step >= 0)) throw new Error(`learningRateAt: step must be >= 0, got ${step}`);
  if (!(t >= 0)) throw new Error(`learningRateAt: the clock t must be >= 0 epochs, got ${t}`);
  validateSchedule(schedule);
  switch (schedule.kind) {
    case 'constant':
      return lr0;
    case 'step':
      return lr0 * schedule.factor ** Math.floor(Math.floor(t) / schedule.every);
    case 'plateau':
      return lr0 * (plateau ? plateau.scale : 1);
    case 'exponential':
      return lr0 * schedule.eta ** t;
    case 'inverse':
      return lr0 / (1 + schedule.k * t);
    case 'warmup':
      return lr0 * Math.min(1, (step + 1) / schedule.warmupSteps);
    case 'cosine':
      if (step >= schedule.totalSteps) return schedule.minLr;
      return schedule.minLr + ((lr0 - schedule.minLr) * (1 + Math.cos((Math.PI * step) / schedule.totalSteps))) / 2;
  }
}

/**
 * The schedule sampled at `points` evenly spaced steps over [from.step, totalSteps) (always
 * including both ends), for the UI's preview plot: the curve from the run's current point on at
 * the current batch size, t = from.epochs + (step - from.step) / stepsPerEpoch. Before training
 * (from = step 0, epoch 0) that is the fixed-batch clock step / stepsPerEpoch of learningRateAt.
 * Plateau cannot be known ahead of training: its preview is flat at eps0 * plateau.scale (pass
 * the current state to show the present level).
 */
export function scheduleCurve(
  schedule: ScheduleConfig,
  lr0: number,
  stepsPerEpoch: number,
  totalSteps: number,
  points = 200,
  plateau: PlateauState | null = null,
  from: { step: number; epochs: number } = { step: 0, epochs: 0 },
): { steps: Float64Array; lr: Float64Array } {
  if (!(stepsPerEpoch >= 1)) throw new Error(`scheduleCurve: stepsPerEpoch must be >= 1, got ${stepsPerEpoch}`);
  if (!(totalSteps > from.step))
    throw new Error(`scheduleCurve: totalSteps must be > from.step = ${from.step}, got ${totalSteps}`);
  if (!(points >= 2)) throw new Error(`scheduleCurve: points must be >= 2, got ${points}`);
  const span = totalSteps - from.step;
  const n = Math.min(points, span);
  const steps = new Float64Array(n);
  const lr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = from.step + (n === 1 ? 0 : Math.round((i * (span - 1)) / (n - 1)));
    steps[i] = s;
    lr[i] = learningRateAtTime(schedule, lr0, s, from.epochs + (s - from.step) / stepsPerEpoch, plateau);
  }
  return { steps, lr };
}
