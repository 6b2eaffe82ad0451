// Run: one steppable training run over the engine (not a blocking loop). The worker's CPU
// backend wraps it; the GPU backend reproduces it step for step with the same TrainLoop. This file
// is the step; the state it steps and everything that reads it (evaluation, snapshots, live
// changes) is RunCore (runCore.ts), which Run extends.
//
// One step:
//   idx = loop.nextBatch()                 minibatch of B training samples (loop.ts)
//   x, y = gather(idx), augmented          Gaussian input noise / digit affine (augment.ts)
//   loss, g = lossAndGrad(theta)           loss: data + eta||w||^2 + zeta1||w||_1 + zeta2 mean||h||_1;
//                                          g: all but the zeta1 term (data + 2 eta w + activation L1)
//   g *= min(1, clipNorm / ||g||)          clipping by global norm (when clipNorm > 0)
//   theta = optimizerStep(theta, g, lr)    lr = loop.nextLr() (schedule x plateau scale)
//   theta = l1Prox(theta)                  L1 soft threshold at the optimizer's scale (l1Prox.ts)
//   running batch-norm statistics updated; divergence checked
// After the last step of an epoch: train/val loss and accuracy in evaluation mode, then
// reduce-on-plateau, early stopping (restoring the best weights) and maxEpochs.
// Evaluation (evaluate, predict, the best weights) is at the rule's evaluation point: theta, or
// Schedule-Free's average x with batch-norm statistics recomputed there (runCore.ts, evalPoint.ts).

import { type SharedBatch, trainingBatch } from './augment';
import type { Dataset } from './data/dataset';
import { l2Norm } from './floatArray';
import { l1Prox } from './l1Prox';
import {
  EPOCH_METRICS,
  type EpochMetrics,
  MetricColumns,
  rowsOf,
  type Series,
  STEP_METRICS,
  type StepMetrics,
} from './metricsSchema';
import { type ForwardResult, lossAndGrad, StepScratch, updateBatchNormStats } from './network';
import { optimizerStep } from './optim';
import { appliedLr, optimizerSpec } from './optimizers/registry';
import { needsRebuild } from './rebuild';
import { l1Penalty, l2Penalty, l2PenaltyGrad } from './regularizers';
import { RunCore } from './runCore';
import type { EpochRecord, RunOptions, StepRecord } from './runOptions';
import type { TrainConfig } from './types';
import { updateRatios } from './updateRatio';

// Apart, re-exported: needsRebuild (rebuild.ts, so the page can ask it without loading the Run);
// the options, records and stream seeds (runOptions.ts).
export type { EpochRecord, RunOptions, StepRecord };
export { needsRebuild };

/** A step begun by Run.beginStep: its batch x[B, inputDim] and labels y, global index and learning rate. */
export interface PendingStep {
  x: Float32Array;
  y: Int32Array | Float32Array;
  B: number;
  step: number;
  lr: number;
}

/**
 * A step's loss and gradient computed elsewhere (Run.finishStep): the data loss, the correct count,
 * grad = d dataLoss / d theta, and optionally each layer's weight-gradient norm as applyStep takes it
 * (Math.fround(l2Norm(grad, l.w, l.outDim l.inDim)), same order of sums; by layer index), which a
 * race computes for several runs at once (workers/cpu/raceFused.ts); used only when reg.l2 = 0.
 */
export interface FinishedStep {
  dataLoss: number;
  correct: number;
  grad: Float32Array;
  gradNorms?: Float64Array;
}

export class Run extends RunCore {
  private readonly prev: Float32Array;
  /** Per-layer update ratios of the step being taken (updateRatios). */
  private readonly ratios: Float64Array;
  private readonly batches: SharedBatch | undefined;
  /** The step between beginStep and finishStep. */
  private pending: PendingStep | null = null;
  /** The object prepareStep fills (fields as a step's: float lr, integer B and step). */
  private readonly stepState: PendingStep = { x: new Float32Array(0), y: new Int32Array(0), B: 0, step: 0, lr: 0.5 };
  /** The training step's buffers (batch, activations, gradient), reused from step to step (RunOptions.scratch). */
  readonly scratch: StepScratch;
  /** Rows of the current train() call, written in place by trainStep / endEpoch. */
  private readonly steps: MetricColumns<StepMetrics>;
  private readonly epochs: MetricColumns<EpochMetrics>;

  constructor(cfg: TrainConfig, dataset?: Dataset, opts: RunOptions = {}) {
    super(cfg, dataset, opts);
    this.batches = opts.batches;
    this.scratch = opts.scratch ?? new StepScratch();
    this.prev = new Float32Array(this.layout.size);
    this.ratios = new Float64Array(this.layout.layers.length);
    this.steps = new MetricColumns(STEP_METRICS, this.layout.layers.length);
    this.epochs = new MetricColumns(EPOCH_METRICS, this.layout.layers.length, 8);
  }

  /**
   * Up to n steps as metric columns (metricsSchema.ts; float64, per-layer fields [n, L]); stops
   * early when the status leaves 'ok' (divergence, early stop, maxEpochs).
   */
  train(n: number): { steps: Series<StepMetrics>; epochs: Series<EpochMetrics> } {
    this.beginChunk();
    for (let i = 0; i < n; i++) if (!this.stepOnce()) break;
    return this.endChunk();
  }

  /**
   * train(n) in parts, so that several runs can take their steps in lockstep (a race: each run's
   * step s before any run's step s + 1, sharing the step's batch, SharedBatch): beginChunk(), then
   * up to n stepOnce() calls, then endChunk() hands out the rows since beginChunk. The same rows
   * as train(n).
   */
  beginChunk(): void {
    this.steps.clear();
    this.epochs.clear();
  }

  /** One step (and the evaluation of the epoch it ends); false, doing nothing, when the status is not 'ok'. */
  stepOnce(): boolean {
    if (this.status !== 'ok') return false;
    const epochEnded = this.trainStep();
    if (this.status === 'ok' && epochEnded) this.endEpoch();
    return true;
  }

  endChunk(): { steps: Series<StepMetrics>; epochs: Series<EpochMetrics> } {
    return { steps: this.steps.takeSeries(), epochs: this.epochs.takeSeries() };
  }

  /** train(n) as one object per step and per epoch end (tests, lessons, scripts). */
  step(n: number): { steps: StepRecord[]; epochs: EpochRecord[] } {
    const L = this.layout.layers.length;
    const { steps, epochs } = this.train(n);
    return { steps: rowsOf(STEP_METRICS, steps, L), epochs: rowsOf(EPOCH_METRICS, epochs, L) };
  }

  /**
   * Whether this run's step is exactly: forward, softmax cross-entropy, backward, weight penalties
   * (no batch norm, no dropout, no activation L1, float32 classification), i.e. what a race's fused
   * step computes for several runs at once (workers/cpu/raceFused.ts, through beginStep/finishStep).
   */
  get plainStep(): boolean {
    const { model, reg } = this.cfg;
    if (model.loss !== 'softmaxCE' || this.dataset.kind !== 'classification' || reg.l1Act !== 0) return false;
    // loops, not every(): a race asks twice per run and step, and a callback is an allocation each time
    const { layers } = this.layout;
    for (let i = 0; i < layers.length; i++) if (layers[i].batchNorm) return false;
    for (let i = 0; i < model.hidden.length; i++) if (model.hidden[i].dropout > 0) return false;
    return true;
  }

  /**
   * stepOnce() in two halves around a loss and gradient computed elsewhere (a race's fused step,
   * workers/cpu/raceFused.ts, for runs whose plainStep holds): beginStep takes the step's batch
   * (null, doing nothing, when the status is not 'ok'); finishStep({ dataLoss, correct, grad }) with
   * grad = d dataLoss / d theta adds the weight penalties as lossAndGrad does and takes the rest of
   * the step (records, divergence, update, the epoch's evaluation); finishStep() without it computes
   * them itself (lossAndGrad, as stepOnce). The same numbers as stepOnce() either way.
   */
  beginStep(): PendingStep | null {
    if (this.status !== 'ok') return null;
    this.pending = this.prepareStep();
    return this.pending;
  }

  finishStep(done?: FinishedStep): void {
    const s = this.pending;
    if (!s) throw new Error('Run.finishStep: no step begun (beginStep)');
    if (done && !this.plainStep)
      throw new Error('Run.finishStep: this run needs its own lossAndGrad (plainStep is false)');
    this.pending = null;
    let epochEnded: boolean;
    if (done) {
      const { theta, mask, cfg } = this;
      const { dataLoss, correct, grad } = done;
      // lossAndGrad's regularization: the activation-L1 terms are 0 (plainStep), adding them changes nothing
      const regLoss = l2Penalty(theta, mask, cfg.reg.l2) + l1Penalty(theta, mask, cfg.reg.l1);
      l2PenaltyGrad(theta, mask, cfg.reg.l2, grad);
      // norms taken before the L2 term was added hold only when there is none
      const norms = cfg.reg.l2 === 0 ? (done.gradNorms ?? null) : null;
      epochEnded = this.applyStep(s, dataLoss + regLoss, dataLoss, correct, grad, null, norms);
    } else epochEnded = this.lossAndGradStep(s);
    if (this.status === 'ok' && epochEnded) this.endEpoch();
  }

  /** One step, recorded as a new row of `steps`; true when it ended an epoch. */
  private trainStep(): boolean {
    return this.lossAndGradStep(this.prepareStep());
  }

  /** The begun step s with the engine's lossAndGrad (the ops' products); true when it ended an epoch. */
  private lossAndGradStep(s: PendingStep): boolean {
    const { cfg, layout, theta } = this;
    const opts = {
      train: true,
      model: cfg.model,
      dropoutSeed: this.seeds.dropout,
      step: s.step,
      ops: this.ops,
      scratch: this.scratch,
    };
    const r = lossAndGrad(layout, theta, this.bnStats, s.x, s.y, s.B, opts, cfg.reg, this.mask);
    return this.applyStep(s, r.loss, r.dataLoss, r.correct, r.grad as Float32Array, r.fwd);
  }

  /**
   * The step's batch, learning rate and index (the loop advances its batch and schedule), in the
   * Run's one PendingStep object: rewritten every step (a race begins six per step), so valid until
   * the next prepareStep.
   */
  private prepareStep(): PendingStep {
    const { cfg, dataset: ds } = this;
    const idx = this.loop.nextBatch();
    const B = idx.length;
    const step = this.loop.state.step;
    const lr = this.loop.nextLr();
    const xBuf = this.scratch.take('x', B * ds.inputDim);
    const { x, y } = this.batches
      ? this.batches.take(ds, cfg.data, idx, this.seeds.augment, step, xBuf)
      : trainingBatch(ds, cfg.data, idx, this.seeds.augment, step, xBuf);
    const s = this.stepState;
    s.x = x;
    s.y = y;
    s.B = B;
    s.step = step;
    s.lr = lr;
    return s;
  }

  /** The rest of a step after its loss and gradient g (fwd: the forward pass, for batch norm); true when it ended an epoch. */
  private applyStep(
    s: PendingStep,
    loss: number,
    dataLoss: number,
    correct: number,
    g: Float32Array,
    fwd: ForwardResult | null,
    gradNorms: Float64Array | null = null,
  ): boolean {
    const { cfg, layout, theta, dataset: ds } = this;
    const { B, step, lr } = s;
    const L = layout.layers.length;
    const i = this.steps.addRow(); // every field 0: updateRatio stays 0 when the step is not applied
    const rec = this.steps.cols;
    rec.step[i] = step;
    rec.loss[i] = loss;
    rec.dataLoss[i] = dataLoss;
    rec.batchAcc[i] = ds.kind === 'classification' ? correct / B : Number.NaN;
    rec.lr[i] = appliedLr(cfg.optimizer, this.opt.t + 1, lr); // as applied (Schedule-Free: its warm-up lr)
    // per-layer norms are float32 values, as the GPU computes them
    for (const l of layout.layers)
      rec.gradNorm[i * L + l.index] = gradNorms ? gradNorms[l.index] : Math.fround(l2Norm(g, l.w, l.outDim * l.inDim));
    if (this.loop.observeLoss(dataLoss) || !Number.isFinite(Math.fround(loss))) return this.diverged(i);
    if (cfg.clipNorm > 0) {
      const norm = l2Norm(g);
      if (norm > cfg.clipNorm) for (let k = 0; k < g.length; k++) g[k] *= cfg.clipNorm / norm;
    }
    this.prev.set(theta);
    this.changes++;
    optimizerStep(cfg.optimizer, theta, g, this.opt, lr, this.mask, this.segments, this.ops?.update);
    l1Prox(cfg.optimizer, theta, this.opt, lr, cfg.reg.l1, this.mask, this.segments); // L1 weights stop at exactly 0
    if (!updateRatios(layout, theta, this.prev, this.ratios)) {
      theta.set(this.prev); // keep the last finite weights for plots and inspection
      return this.diverged(i);
    }
    if (fwd) updateBatchNormStats(layout, this.bnStats, fwd, cfg.model.bnMomentum, B);
    else if (layout.statsSize > 0) throw new Error('Run: a step without its forward pass cannot update batch norm');
    for (const l of layout.layers) rec.updateRatio[i * L + l.index] = this.ratios[l.index];
    const epochEnded = this.loop.afterStep();
    rec.epoch[i] = this.loop.epochProgress;
    return epochEnded;
  }

  private diverged(i: number): boolean {
    this.loop.afterStep();
    this.loop.diverge();
    this.steps.cols.epoch[i] = this.loop.epochProgress;
    return false;
  }

  /** Evaluation, plateau, early stopping at the end of an epoch, recorded as a new row of `epochs`. */
  private endEpoch(): void {
    const train = this.evaluate('train');
    const val = this.evaluate('val');
    const monitored = this.dataset.nVal > 0 ? val.loss : train.loss;
    const e = this.loop.endEpoch(monitored);
    if (e.improved) {
      const at = this.evalWeights();
      this.bestWeights = { theta: at.theta.slice(), bnStats: at.bnStats.slice() };
    }
    if (e.stopped && this.cfg.earlyStop.restoreBest && this.bestWeights) {
      this.changes++;
      this.theta.set(this.bestWeights.theta);
      this.bnStats.set(this.bestWeights.bnStats);
      // The best weights are an evaluation point (Schedule-Free's x): y = z = x there.
      if (optimizerSpec(this.cfg.optimizer.name).evalPoint) this.opt.m.set(this.theta);
    }
    const s = this.loop.state;
    const j = this.epochs.addRow();
    const rec = this.epochs.cols;
    rec.epoch[j] = s.epoch;
    rec.step[j] = s.step;
    rec.trainLoss[j] = train.loss;
    rec.trainAcc[j] = train.acc;
    rec.valLoss[j] = val.loss;
    rec.valAcc[j] = val.acc;
    rec.lr[j] = appliedLr(this.cfg.optimizer, this.opt.t + 1, this.loop.nextLr()); // the next step's
    rec.bestEpoch[j] = e.bestEpoch;
    rec.improved[j] = e.improved ? 1 : 0;
  }
}
