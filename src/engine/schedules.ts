// Learning-rate schedules (the lecture's "annealing the learning rate"), as pure functions of
// the step, so the UI can plot a schedule before training and every backend agrees on eps_t.
//
// `step` is the 0-based index of the training step about to be taken (Run.stepCount before it);
// t = step / stepsPerEpoch is the time in (fractional) epochs. Only reduce-on-plateau depends on
// what happened in training; it is a reducer over validation losses whose state (`scale`) the
// Run carries and passes back in.
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

/** Throws a message naming the bad field; called by learningRateAt and by config validation. */
export function validateSchedule(s: ScheduleConfig): void {
  const bad = (field: string, v: number, rule: string) => {
    throw new Error(`schedule.${field} ${rule}, got ${v}`);
  };
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
 * Learning rate eps_t used by training step `step` (0-based).
 *  constant     eps0
 *  step         eps0 * factor^floor(e / every),    e = floor(step / stepsPerEpoch) completed epochs
 *  plateau      eps0 * plateau.scale               (1 until the first reduction; see plateauUpdate)
 *  exponential  eps0 * eta^t                       t = step / stepsPerEpoch (fractional epochs)
 *  inverse      eps0 / (1 + K t)                   the lecture's "smooth decay"
 *  warmup       eps0 * min(1, (step+1) / warmupSteps)   linear ramp whose line starts at 0 one
 *                                                   step before training, so step 0 already moves
 *  cosine       minLr + (eps0 - minLr) * (1 + cos(pi * step / totalSteps)) / 2, then minLr
 */
export function learningRateAt(
  schedule: ScheduleConfig,
  lr0: number,
  step: number,
  stepsPerEpoch: number,
  plateau: PlateauState | null = null,
): number {
  if (!(stepsPerEpoch >= 1)) throw new Error(`learningRateAt: stepsPerEpoch must be >= 1, got ${stepsPerEpoch}`);
  if (!(step >= 0)) throw new Error(`learningRateAt: step must be >= 0, got ${step}`);
  validateSchedule(schedule);
  const t = step / stepsPerEpoch;
  switch (schedule.kind) {
    case 'constant':
      return lr0;
    case 'step':
      return lr0 * schedule.factor ** Math.floor(Math.floor(step / stepsPerEpoch) / schedule.every);
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
 * The schedule sampled at `points` evenly spaced steps over [0, totalSteps) (always including 0
 * and totalSteps-1), for the UI's preview plot. Plateau cannot be known ahead of training: its
 * preview is flat at eps0 * plateau.scale (pass the current state to show the present level).
 */
export function scheduleCurve(
  schedule: ScheduleConfig,
  lr0: number,
  stepsPerEpoch: number,
  totalSteps: number,
  points = 200,
  plateau: PlateauState | null = null,
): { steps: Float64Array; lr: Float64Array } {
  if (!(totalSteps >= 1)) throw new Error(`scheduleCurve: totalSteps must be >= 1, got ${totalSteps}`);
  if (!(points >= 2)) throw new Error(`scheduleCurve: points must be >= 2, got ${points}`);
  const n = Math.min(points, totalSteps);
  const steps = new Float64Array(n);
  const lr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = n === 1 ? 0 : Math.round((i * (totalSteps - 1)) / (n - 1));
    steps[i] = s;
    lr[i] = learningRateAt(schedule, lr0, s, stepsPerEpoch, plateau);
  }
  return { steps, lr };
}
