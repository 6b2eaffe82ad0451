// Replaying a finished chunk on the host: the records the GPU wrote become rows of the run's
// metric columns (metricsSchema.ts: the fields the GPU writes are copied, the host fills step,
// epoch, lr and batchAcc), and each run's TrainLoop takes the same decisions the CPU Run
// takes (trainer.ts trainStep / endEpoch): divergence by loss or by weights, epoch ends with
// reduce-on-plateau, early stopping (restoring the best weights) and maxEpochs.
import type { Dataset } from '../../src/engine/data/dataset';
import type { TrainLoop } from '../../src/engine/loop';
import type { EpochMetrics, MetricColumns, StepMetrics } from '../../src/engine/metricsSchema';
import { appliedLr, optimizerSpec } from '../../src/engine/optimizers/registry';
import type { TrainConfig } from '../../src/engine/types';
import type { Chunk } from './chunk';
import type { EvalPoint } from './evalPass';
import { copyGpuFields, divergence, type SlotRecord, slotRecord } from './metrics';
import type { GpuModel } from './model';

/** The host side of one run: its config, its real loop, its optimizer step count, its best weights. */
export interface HostRun {
  cfg: TrainConfig;
  loop: TrainLoop;
  /** Optimizer steps since the last reset or optimizer switch (Adam's t). */
  optT: number;
  /** A copy of the best weights exists on the GPU (saved at an improving epoch end). */
  hasBest: boolean;
}

/** Replay run r's slots of a chunk, appending its steps and epoch ends to `out`. */
export function replayRun(
  run: HostRun,
  r: number,
  words: Float32Array,
  chunk: Chunk,
  model: GpuModel,
  out: { steps: MetricColumns<StepMetrics>; epochs: MetricColumns<EpochMetrics> },
  /** The run's evaluation point at the chunk's last slot (Schedule-Free's x, evalPoint.ts), if elsewhere than theta. */
  point: EvalPoint | null = null,
): void {
  const { plan, ds } = { plan: model.plan, ds: model.ds };
  const R = plan.R;
  const B = plan.rows;
  const L = plan.L;
  const loop = run.loop;
  const div = divergence(words, plan, r, chunk.step0[r]);
  const classification = ds.kind === 'classification';
  for (let s = 0; s < chunk.activeSlots[r] && loop.state.status === 'ok'; s++) {
    const rec = slotRecord(words, plan, s, r);
    const i = out.steps.addRow();
    const c = out.steps.cols;
    copyGpuFields(words, plan, rec.at, out.steps, i);
    c.step[i] = loop.state.step;
    c.batchAcc[i] = classification ? rec.correct / B : Number.NaN;
    c.lr[i] = appliedLr(run.cfg.optimizer, run.optT + 1, chunk.lrs[s * R + r]); // as applied (Schedule-Free's warm-up)
    const dataLoss = c.dataLoss[i];
    const lossDiverged = loop.observeLoss(dataLoss) || div.lossSlot === s || !Number.isFinite(c.loss[i]);
    if (!lossDiverged) run.optT++;
    if (lossDiverged || div.weightSlot === s) {
      // the step was not applied: the weights stay those before it (restored from prev if it overflowed)
      if (!lossDiverged) model.copyRun(r, 'prev->theta');
      c.updateRatio.fill(0, i * L, (i + 1) * L);
      loop.afterStep();
      loop.diverge();
      c.epoch[i] = loop.epochProgress;
      break;
    }
    const ended = loop.afterStep();
    c.epoch[i] = loop.epochProgress;
    if (ended) endEpoch(run, r, rec, ds, model, out.epochs, point);
  }
}

function endEpoch(
  run: HostRun,
  r: number,
  rec: SlotRecord,
  ds: Dataset,
  model: GpuModel,
  out: MetricColumns<EpochMetrics>,
  point: EvalPoint | null,
): void {
  const classification = ds.kind === 'classification';
  const trainLoss = rec.trainLossSum / ds.nTrain;
  const trainAcc = classification ? rec.trainCorrect / ds.nTrain : Number.NaN;
  const valLoss = ds.nVal > 0 ? rec.valLossSum / ds.nVal : Number.NaN;
  const valAcc = ds.nVal > 0 && classification ? rec.valCorrect / ds.nVal : Number.NaN;
  const loop = run.loop;
  const e = loop.endEpoch(ds.nVal > 0 ? valLoss : trainLoss);
  // Early stopping's epoch ends end their chunk (chunk.ts), so the GPU weights are this epoch's.
  // The best weights are the evaluation point (Schedule-Free's x and its statistics), as Run's
  if (e.improved && run.cfg.earlyStop.enabled) {
    if (point) model.writeBest(r, point);
    else model.copyRun(r, 'theta->best');
    run.hasBest = true;
  }
  if (e.stopped && run.cfg.earlyStop.restoreBest && run.hasBest) {
    model.copyRun(r, 'best->theta');
    // restored at an evaluation point x: y = z = x there (Run.endEpoch)
    if (optimizerSpec(run.cfg.optimizer.name).evalPoint) model.copyRun(r, 'best->m');
  }
  const j = out.addRow();
  const c = out.cols;
  c.epoch[j] = loop.state.epoch;
  c.step[j] = loop.state.step;
  c.trainLoss[j] = trainLoss;
  c.trainAcc[j] = trainAcc;
  c.valLoss[j] = valLoss;
  c.valAcc[j] = valAcc;
  c.lr[j] = appliedLr(run.cfg.optimizer, run.optT + 1, loop.nextLr());
  c.bestEpoch[j] = e.bestEpoch;
  c.improved[j] = e.improved ? 1 : 0;
}
