// Run: one steppable training run over the engine (not a blocking loop). The worker's CPU
// backend wraps it; the GPU backend reproduces it step for step with the same TrainLoop.
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
// Schedule-Free's average x with batch-norm statistics recomputed there (evalPoint.ts).

import { type SharedBatch, trainingBatch } from './augment';
import { type Dataset, makeDataset } from './data/dataset';
import type { DenseOps } from './dense';
import { preciseBnStats } from './evalPoint';
import { evaluateSplit, predictOutputs } from './evaluate';
import { l2Norm } from './floatArray';
import { l1Prox } from './l1Prox';
import { buildLayout, decayMask, initBnStats, initParams, type ParamLayout, paramSegments } from './layout';
import { type RunStatus, TrainLoop } from './loop';
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
import {
  createOptimizerState,
  initOptimizerState,
  type OptimizerState,
  optimizerStep,
  type ParamSegment,
} from './optim';
import { appliedLr, optimizerSpec } from './optimizers/registry';
import { applyPreprocess } from './preprocess';
import { needsRebuild } from './rebuild';
import { l1Penalty, l2Penalty, l2PenaltyGrad } from './regularizers';
import { Rng } from './rng';
import { type EpochRecord, type RunOptions, runSeeds, type StepRecord } from './runOptions';
import { type RunSnapshot, SNAPSHOT_VERSION, validateSnapshot } from './snapshot';
import type { StreamName, TrainConfig } from './types';
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

export class Run {
  readonly layout: ParamLayout;
  readonly dataset: Dataset;
  cfg: TrainConfig;
  /** Resolved stream seeds (derived from cfg.seed unless overridden). */
  readonly seeds: Record<StreamName, number>;
  private readonly loop: TrainLoop;
  private theta: Float32Array;
  private readonly init: Float32Array;
  private readonly bnStats: Float32Array;
  private mask: Uint8Array;
  private readonly opt: OptimizerState;
  /** theta's blocks (weight matrices, vectors) for per-layer optimizer rules. */
  private readonly segments: ParamSegment[];
  private readonly prev: Float32Array;
  /** Per-layer update ratios of the step being taken (updateRatios). */
  private readonly ratios: Float64Array;
  private bestWeights: { theta: Float32Array; bnStats: Float32Array } | null = null;
  /** The evaluation point (evalWeights) and the `changes` count it was computed at. */
  private evalCache: { at: number; theta: Float32Array; bnStats: Float32Array } | null = null;
  /** Bumped whenever theta, the statistics, the optimizer state or the config change. */
  private changes = 0;
  private readonly ops: DenseOps | undefined;
  private readonly batches: SharedBatch | undefined;
  /** The step between beginStep and finishStep. */
  private pending: PendingStep | null = null;
  /** The training step's buffers (batch, activations, gradient), reused from step to step (RunOptions.scratch). */
  readonly scratch: StepScratch;
  /** Rows of the current train() call, written in place by trainStep / endEpoch. */
  private readonly steps: MetricColumns<StepMetrics>;
  private readonly epochs: MetricColumns<EpochMetrics>;

  constructor(cfg: TrainConfig, dataset?: Dataset, opts: RunOptions = {}) {
    this.cfg = cfg;
    this.ops = opts.ops;
    this.batches = opts.batches;
    this.scratch = opts.scratch ?? new StepScratch();
    this.dataset = dataset ?? makeDataset(cfg.data, cfg.seed);
    const ds = this.dataset;
    if (cfg.model.loss === 'softmaxCE' && ds.kind !== 'classification')
      throw new Error(`model.loss: softmaxCE needs a classification dataset, '${ds.name}' is regression (use mse)`);
    this.seeds = runSeeds(cfg, opts.seeds);
    this.layout = buildLayout(cfg.model, ds.inputDim, ds.outputDim);
    if (opts.init && opts.init.length !== this.layout.size)
      throw new Error(`Run: init has ${opts.init.length} parameters, the network needs ${this.layout.size}`);
    this.init = opts.init ? opts.init.slice() : initParams(this.layout, cfg.model, new Rng(this.seeds.init));
    // where the ops read it in place when they offer that (the WebAssembly kernels' memory)
    this.theta = opts.ops?.alloc?.(this.layout.size) ?? new Float32Array(this.layout.size);
    this.theta.set(this.init);
    this.prev = new Float32Array(this.layout.size);
    this.ratios = new Float64Array(this.layout.layers.length);
    this.bnStats = initBnStats(this.layout);
    this.mask = decayMask(this.layout, cfg.reg.decayBiases);
    this.opt = createOptimizerState(this.layout.size);
    initOptimizerState(this.opt, cfg.optimizer, this.theta);
    this.segments = paramSegments(this.layout);
    this.loop = new TrainLoop(cfg, ds.nTrain, this.seeds.shuffle);
    this.steps = new MetricColumns(STEP_METRICS, this.layout.layers.length);
    this.epochs = new MetricColumns(EPOCH_METRICS, this.layout.layers.length, 8);
  }

  get status(): RunStatus {
    return this.loop.state.status;
  }
  /** 0-based step at which status left 'ok', else -1. */
  get statusStep(): number {
    return this.loop.state.statusStep;
  }
  get stepCount(): number {
    return this.loop.state.step;
  }
  /** Fractional epochs so far. */
  get epoch(): number {
    return this.loop.epochProgress;
  }
  get stepsPerEpoch(): number {
    return this.loop.stepsPerEpoch;
  }
  /** Best monitored loss so far and its epoch (0 before the first epoch ends). */
  get best(): { loss: number; epoch: number } {
    return { loss: this.loop.state.early.bestLoss, epoch: this.loop.state.early.bestEpoch };
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
    return (
      model.loss === 'softmaxCE' &&
      this.dataset.kind === 'classification' &&
      reg.l1Act === 0 &&
      this.layout.layers.every((l) => !l.batchNorm) &&
      model.hidden.every((h) => !(h.dropout > 0))
    );
  }

  /** The live weights (in the ops' memory when they lent it): read them, do not write (a fused race step reads them in place). */
  get weights(): Float32Array {
    return this.theta;
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

  finishStep(done?: { dataLoss: number; correct: number; grad: Float32Array }): void {
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
      epochEnded = this.applyStep(s, dataLoss + regLoss, dataLoss, correct, grad, null);
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

  /** The step's batch, learning rate and index (the loop advances its batch and schedule). */
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
    return { x, y, B, step, lr };
  }

  /** The rest of a step after its loss and gradient g (fwd: the forward pass, for batch norm); true when it ended an epoch. */
  private applyStep(
    s: PendingStep,
    loss: number,
    dataLoss: number,
    correct: number,
    g: Float32Array,
    fwd: ForwardResult | null,
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
    for (const l of layout.layers) rec.gradNorm[i * L + l.index] = Math.fround(l2Norm(g, l.w, l.outDim * l.inDim));
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

  /** Live change of non-architectural settings (throws when needsRebuild). Switching optimizer clears its state. */
  setHyper(cfg: TrainConfig): void {
    if (needsRebuild(this.cfg, cfg)) throw new Error('setHyper: this change needs a new Run (see needsRebuild)');
    this.changes++;
    if (cfg.optimizer.name !== this.cfg.optimizer.name) initOptimizerState(this.opt, cfg.optimizer, this.theta);
    if (cfg.reg.decayBiases !== this.cfg.reg.decayBiases) this.mask = decayMask(this.layout, cfg.reg.decayBiases);
    this.loop.setConfig(cfg);
    this.cfg = cfg;
  }

  /**
   * Gives the weights' memory back to the ops that lent it (DenseOps.alloc). The Run keeps working
   * (on a copy of its own), it only stops reading its weights in place.
   */
  dispose(): void {
    const lent = this.theta;
    this.theta = lent.slice();
    this.ops?.release?.(lent);
  }

  /** Back to the initial weights and step 0: same data, fresh optimizer state and running statistics. */
  reset(): void {
    this.changes++;
    this.theta.set(this.init);
    this.bnStats.set(initBnStats(this.layout));
    initOptimizerState(this.opt, this.cfg.optimizer, this.theta);
    this.loop.reset();
    this.bestWeights = null;
  }

  /**
   * The weights and batch-norm statistics the model is evaluated with: theta and the running
   * statistics, or the rule's evaluation point (Schedule-Free's x, once it has stepped) with the
   * statistics recomputed there (evalPoint.ts). Cached until the run changes; do not modify.
   */
  evalWeights(): { theta: Float32Array; bnStats: Float32Array } {
    const spec = optimizerSpec(this.cfg.optimizer.name);
    if (!spec.evalPoint || this.opt.t === 0) return { theta: this.theta, bnStats: this.bnStats };
    if (this.evalCache?.at === this.changes) return this.evalCache;
    const theta = this.evalCache?.theta ?? new Float32Array(this.layout.size);
    spec.evalPoint(this.opt, this.theta, this.cfg.optimizer, theta);
    const bnStats = this.bnStats.slice();
    const ds = this.dataset;
    const B = this.cfg.batchSize;
    preciseBnStats(this.layout, theta, this.cfg.model, ds.xTrain, ds.nTrain, B, bnStats, this.ops);
    this.evalCache = { at: this.changes, theta, bnStats };
    return this.evalCache;
  }

  /** Data loss and accuracy of a whole split in evaluation mode (NaN for an empty split), at evalWeights or at `theta`. */
  evaluate(split: 'train' | 'val', theta?: Float32Array): { loss: number; acc: number } {
    const ds = this.dataset;
    const [x, y, n] = split === 'train' ? [ds.xTrain, ds.yTrain, ds.nTrain] : [ds.xVal, ds.yVal, ds.nVal];
    const at = theta ? { theta, bnStats: this.bnStats } : this.evalWeights();
    return evaluateSplit(this.layout, at.theta, at.bnStats, this.cfg.model, x, y, n, this.ops);
  }

  /** Outputs at n raw input points x[n, inputDim] (through the dataset's preprocessing), at evalWeights. */
  predict(x: Float32Array, n: number): Float32Array<ArrayBuffer> {
    const p = this.dataset.preprocessor;
    const xin = p ? applyPreprocess(p, x, n) : x;
    const at = this.evalWeights();
    return predictOutputs(this.layout, at.theta, at.bnStats, this.cfg.model, xin, n, this.ops);
  }

  getParams(): Float32Array<ArrayBuffer> {
    return this.theta.slice();
  }

  setParams(theta: Float32Array): void {
    if (theta.length !== this.layout.size)
      throw new Error(`setParams: got ${theta.length} parameters, the network has ${this.layout.size}`);
    this.changes++;
    this.theta.set(theta);
  }

  /**
   * The data loss of the run's first step, when this Run continues a run begun elsewhere (another
   * backend): the blow-up rule keeps measuring against it, not against the trained loss it resumes at.
   */
  setLossBaseline(firstLoss: number): void {
    if (Number.isFinite(firstLoss) && firstLoss > 0) this.loop.state.firstLoss = firstLoss;
  }

  /** The whole state (snapshot.ts), copied: continue it with importState here or on another backend. */
  exportState(): RunSnapshot {
    const { opt, bestWeights: best } = this;
    const extra = Object.fromEntries(Object.entries(opt.extra ?? {}).map(([k, b]) => [k, Float32Array.from(b)]));
    return {
      version: SNAPSHOT_VERSION,
      optimizer: this.cfg.optimizer.name,
      theta: this.theta.slice(),
      bnStats: this.bnStats.slice(),
      opt: { t: opt.t, m: Float32Array.from(opt.m), v: Float32Array.from(opt.v), extra },
      loop: structuredClone(this.loop.state),
      best: best && { theta: best.theta.slice(), bnStats: best.bnStats.slice() },
    };
  }

  /**
   * Continue as the run `s` was exported from (same config): every step after it is the one that run
   * would have taken. Throws naming the field when s does not fit (nothing is changed then).
   */
  importState(s: RunSnapshot): void {
    const extraNames = Object.keys(this.opt.extra ?? {});
    const P = this.layout.size;
    validateSnapshot(s, { P, SS: this.layout.statsSize, optimizer: this.cfg.optimizer.name, extra: extraNames });
    this.changes++;
    this.theta.set(s.theta);
    this.bnStats.set(s.bnStats);
    this.opt.t = s.opt.t;
    this.opt.m.set(s.opt.m);
    this.opt.v.set(s.opt.v);
    for (const k of extraNames) this.opt.extra![k].set(s.opt.extra[k]);
    this.loop.state = structuredClone(s.loop);
    this.bestWeights = s.best && { theta: s.best.theta.slice(), bnStats: s.best.bnStats.slice() };
  }

  /** Batch-norm running statistics (copy) and their replacement, for saving a whole model. */
  getBnStats(): Float32Array<ArrayBuffer> {
    return this.bnStats.slice();
  }

  setBnStats(s: Float32Array): void {
    if (s.length !== this.layout.statsSize)
      throw new Error(`setBnStats: got ${s.length} values, the network has ${this.layout.statsSize}`);
    this.changes++;
    this.bnStats.set(s);
  }
}
