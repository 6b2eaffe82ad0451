// Replaying a finished chunk on the host: the records the GPU wrote become the engine's
// StepRecords and EpochRecords, and each run's TrainLoop takes the same decisions the CPU Run
// takes (trainer.ts trainStep / endEpoch): divergence by loss or by weights, epoch ends with
// reduce-on-plateau, early stopping (restoring the best weights) and maxEpochs.
import type { Dataset } from '../../src/engine/data/dataset';
import type { TrainLoop } from '../../src/engine/loop';
import type { EpochRecord, StepRecord } from '../../src/engine/trainer';
import type { TrainConfig } from '../../src/engine/types';
import type { Chunk } from './chunk';
import { divergence, slotRecord } from './metrics';
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

export function replayRun(
  run: HostRun,
  r: number,
  words: Float32Array,
  chunk: Chunk,
  model: GpuModel,
): { steps: StepRecord[]; epochs: EpochRecord[] } {
  const { plan, ds } = { plan: model.plan, ds: model.ds };
  const R = plan.R;
  const B = plan.rows;
  const steps: StepRecord[] = [];
  const epochs: EpochRecord[] = [];
  const loop = run.loop;
  const div = divergence(words, plan, r, chunk.step0[r]);
  const classification = ds.kind === 'classification';
  for (let s = 0; s < chunk.activeSlots[r] && loop.state.status === 'ok'; s++) {
    const rec = slotRecord(words, plan, s, r);
    const record: StepRecord = {
      step: loop.state.step,
      epoch: 0,
      loss: rec.loss,
      dataLoss: rec.dataLoss,
      batchAcc: classification ? rec.correct / B : Number.NaN,
      lr: chunk.lrs[s * R + r],
      updateRatio: rec.updateRatio,
      gradNorm: rec.gradNorm,
    };
    steps.push(record);
    const lossDiverged = loop.observeLoss(rec.dataLoss) || div.lossSlot === s || !Number.isFinite(rec.loss);
    if (!lossDiverged) run.optT++;
    if (lossDiverged || div.weightSlot === s) {
      // the step was not applied: the weights stay those before it (restored from prev if it overflowed)
      if (!lossDiverged) model.copyRun(r, 'prev->theta');
      record.updateRatio = new Float32Array(plan.L);
      loop.afterStep();
      loop.diverge();
      record.epoch = loop.epochProgress;
      break;
    }
    const ended = loop.afterStep();
    record.epoch = loop.epochProgress;
    if (ended) epochs.push(endEpoch(run, r, rec, ds, model));
  }
  return { steps, epochs };
}

function endEpoch(
  run: HostRun,
  r: number,
  rec: ReturnType<typeof slotRecord>,
  ds: Dataset,
  model: GpuModel,
): EpochRecord {
  const classification = ds.kind === 'classification';
  const trainLoss = rec.trainLossSum / ds.nTrain;
  const trainAcc = classification ? rec.trainCorrect / ds.nTrain : Number.NaN;
  const valLoss = ds.nVal > 0 ? rec.valLossSum / ds.nVal : Number.NaN;
  const valAcc = ds.nVal > 0 && classification ? rec.valCorrect / ds.nVal : Number.NaN;
  const loop = run.loop;
  const e = loop.endEpoch(ds.nVal > 0 ? valLoss : trainLoss);
  // Early stopping's epoch ends end their chunk (chunk.ts), so the GPU weights are this epoch's.
  if (e.improved && run.cfg.earlyStop.enabled) {
    model.copyRun(r, 'theta->best');
    run.hasBest = true;
  }
  if (e.stopped && run.cfg.earlyStop.restoreBest && run.hasBest) model.copyRun(r, 'best->theta');
  const s = loop.state;
  return {
    epoch: s.epoch,
    step: s.step,
    trainLoss,
    trainAcc,
    valLoss,
    valAcc,
    lr: loop.nextLr(),
    bestEpoch: e.bestEpoch,
    improved: e.improved,
  };
}
