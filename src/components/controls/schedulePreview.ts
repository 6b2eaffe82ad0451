// The schedule preview's curve (SchedulePanel), pure so it is tested: the engine's scheduleCurve
// from the run's current step and epoch on, at the current batch size. The run's clock counts
// epochs trained (engine/loop.ts), so after a live batch-size change the curve continues from
// where the clock stands; for the rest of an epoch in which the batch size changed, the run's
// clock runs at that epoch's own pace, the preview at the new size's (a fraction of an epoch).
import { valCount } from '../../engine/data/split';
import { stepsPerEpoch } from '../../engine/loop';
import { scheduleCurve } from '../../engine/schedules';
import type { TrainConfig } from '../../engine/types';

/** Steps the preview covers from step 0: the epoch limit if set, else enough to show the schedule's shape. */
export function horizon(cfg: TrainConfig, spe: number): number {
  if (cfg.maxEpochs > 0) return cfg.maxEpochs * spe;
  const s = cfg.schedule;
  if (s.kind === 'cosine') return Math.ceil(s.totalSteps * 1.2);
  if (s.kind === 'warmup') return Math.max(s.warmupSteps * 4, 20 * spe);
  if (s.kind === 'step') return Math.max(s.every * 5, 10) * spe;
  return 60 * spe;
}

export interface PreviewCurve {
  steps: Float64Array;
  lr: Float64Array;
  /** The x axis runs over steps [0, total - 1]. */
  total: number;
  /** Steps per epoch at the current batch size. */
  spe: number;
  /** Epochs at the right end of the curve. */
  endEpoch: number;
}

/** 160 points from (step, epoch) to the horizon, reached at the current batch size. */
export function previewCurve(cfg: TrainConfig, step: number, epoch: number): PreviewCurve {
  const n = cfg.data.samples;
  const nTrain = n - valCount(n, cfg.data.valFraction);
  const spe = stepsPerEpoch(cfg.batchSize, Math.max(1, nTrain));
  // Steps left to the horizon's epoch at the current pace (a quarter of the horizon at least when
  // no epoch limit ends the run, so a long run still shows what comes).
  const h = horizon(cfg, spe);
  const left = Math.max(cfg.maxEpochs > 0 ? 1 : Math.ceil(h / 4), Math.round(h - epoch * spe));
  const total = Math.max(2, step + left);
  const from = { step, epochs: epoch };
  const { steps, lr } = scheduleCurve(cfg.schedule, cfg.optimizer.lr, spe, total, 160, null, from);
  return { steps, lr, total, spe, endEpoch: epoch + (total - step) / spe };
}
