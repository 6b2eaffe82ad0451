// RunCore: what one training run holds (weights theta, batch-norm statistics, optimizer memory, the
// loop's counters and schedule, the best weights) and everything that reads or replaces that state
// without taking a step: the status, live config changes, reset, evaluation at the rule's
// evaluation point, parameters in and out, the whole-state snapshot. Run (trainer.ts) adds the
// step on top of it; the split is state and its readers here, the step's arithmetic there.
//
// Evaluation (evaluate, predict, the best weights) is at the rule's evaluation point:
//   theta, or Schedule-Free's average x = (y - (1 - b1) z) / b1 with the batch-norm statistics
//   recomputed there (evalPoint.ts), cached until the run changes (`changes` counts every change).
// Snapshot (snapshot.ts): theta, bnStats, optimizer {t, m, v, extra}, loop state, best weights;
// importState of an exportState continues as the same run, here or on another backend.

import { type Dataset, makeDataset } from './data/dataset';
import type { DenseOps } from './dense';
import { preciseBnStats } from './evalPoint';
import { evaluateSplit, predictOutputs } from './evaluate';
import { buildLayout, decayMask, initBnStats, initParams, type ParamLayout, paramSegments } from './layout';
import { type RunStatus, TrainLoop } from './loop';
import { createOptimizerState, initOptimizerState, type OptimizerState, type ParamSegment } from './optim';
import { optimizerSpec } from './optimizers/registry';
import { applyPreprocess } from './preprocess';
import { needsRebuild } from './rebuild';
import { Rng } from './rng';
import { type RunOptions, runSeeds } from './runOptions';
import { type RunSnapshot, SNAPSHOT_VERSION, validateSnapshot } from './snapshot';
import type { StreamName, TrainConfig } from './types';

export class RunCore {
  readonly layout: ParamLayout;
  readonly dataset: Dataset;
  cfg: TrainConfig;
  /** Resolved stream seeds (derived from cfg.seed unless overridden). */
  readonly seeds: Record<StreamName, number>;
  protected readonly loop: TrainLoop;
  protected theta: Float32Array;
  protected readonly init: Float32Array;
  protected readonly bnStats: Float32Array;
  protected mask: Uint8Array;
  protected readonly opt: OptimizerState;
  /** theta's blocks (weight matrices, vectors) for per-layer optimizer rules. */
  protected readonly segments: ParamSegment[];
  protected bestWeights: { theta: Float32Array; bnStats: Float32Array } | null = null;
  /** The evaluation point (evalWeights) and the `changes` count it was computed at. */
  private evalCache: { at: number; theta: Float32Array; bnStats: Float32Array } | null = null;
  /** Bumped whenever theta, the statistics, the optimizer state or the config change. */
  protected changes = 0;
  protected readonly ops: DenseOps | undefined;

  constructor(cfg: TrainConfig, dataset?: Dataset, opts: RunOptions = {}) {
    this.cfg = cfg;
    this.ops = opts.ops;
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
    this.bnStats = initBnStats(this.layout);
    this.mask = decayMask(this.layout, cfg.reg.decayBiases);
    this.opt = createOptimizerState(this.layout.size, opts.ops?.alloc?.bind(opts.ops));
    initOptimizerState(this.opt, cfg.optimizer, this.theta);
    this.segments = paramSegments(this.layout);
    this.loop = new TrainLoop(cfg, ds.nTrain, this.seeds.shuffle);
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

  /** The live weights (in the ops' memory when they lent it): read them, do not write (a fused race step reads them in place). */
  get weights(): Float32Array {
    return this.theta;
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
    const { m, v } = this.opt;
    this.opt.m = m.slice();
    this.opt.v = v.slice();
    // arrays the ops did not lend are not theirs: release ignores them
    this.ops?.release?.(m as Float32Array);
    this.ops?.release?.(v as Float32Array);
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
