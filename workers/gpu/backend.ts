// GpuBackend: the TrainingBackend (workers/backend.ts) on WebGPU. R runs share one architecture,
// one dataset and one initial weight vector and go through the same dispatches (run dimension).
// The host keeps one engine TrainLoop per run (src/engine/loop.ts), so batches, learning rates,
// epoch ends and stopping decisions are the CPU Run's; the GPU does forward, backward, update and
// the metric reductions for whole chunks of steps, and the host replays the records it reads back.
import type { Dataset } from '../../src/engine/data/dataset';
import { buildLayout, type ParamLayout } from '../../src/engine/layout';
import { effectiveBatchSize, TrainLoop } from '../../src/engine/loop';
import { gpuRefusal } from '../../src/engine/optimizers/registry';
import { streamSeed } from '../../src/engine/rng';
import type { RunSnapshot } from '../../src/engine/snapshot';
import { needsRebuild } from '../../src/engine/trainer';
import type { TrainConfig } from '../../src/engine/types';
import {
  type BackendCounters,
  type BackendInfo,
  type Inits,
  initOf,
  type RunProgress,
  type TrainingBackend,
} from '../backend';
import { BufferPool } from './buffers';
import { adapterName, createGpuDevice, type GpuDevice } from './device';
import {
  type EvalPoint,
  evaluatePoint,
  evaluateRuns,
  lossAtThetas,
  predictAt,
  predictRun,
  readTheta,
} from './evalPass';
import { evalPointOf, evaluatedElsewhere } from './evalPoint';
import type { TrainVariant } from './general';
import { MAX_HIDDEN } from './hyper';
import { ReadbackRing, trackWords } from './metrics';
import { GpuModel, lossKindOf } from './model';
import { initialState, optimizerVariant } from './optimizers';
import { type GpuBackendOptions, PathChooser, type PathInfo } from './paths';
import { PipelineCache } from './pipelines';
import { TRACK_WORDS } from './plan';
import { type Planning, planningFrom, pump } from './pump';
import type { HostRun } from './replay';
import { exportRun, importRun } from './state';

export type { GpuBackendOptions, PathInfo } from './paths';

export class GpuBackend implements TrainingBackend {
  readonly info: BackendInfo;
  private readonly pool: BufferPool;
  private readonly pipes: PipelineCache;
  private model: GpuModel | null = null;
  private ring: ReadbackRing | null = null;
  private runs: HostRun[] = [];
  private planning: Planning = { loops: [], t: [] };
  private readonly paths: PathChooser;
  private ds: Dataset | null = null;
  private layout: ParamLayout | null = null;
  /** Each run's initial weights (one vector per run; a seed band's differ). */
  private init: Float32Array[] = [];
  private lostReason: string | null = null;
  private lostListeners: ((reason: string) => void)[] = [];
  private last = { steps: 1, dispatches: 0, submits: 0 };
  /** Bumped whenever a run's weights, state or config may change (keys the evaluation points). */
  private changes = 0;
  private pointCache = new Map<number, { at: number; point: EvalPoint | null }>();

  private path: PathInfo = { path: 'general', reason: 'not trained yet' };

  private constructor(
    readonly gpu: GpuDevice,
    opts: GpuBackendOptions = {},
  ) {
    this.info = { kind: 'webgpu', name: adapterName(gpu.adapter), fallbackAdapter: gpu.adapter.isFallbackAdapter };
    this.pool = new BufferPool(gpu.device);
    this.pipes = new PipelineCache(gpu.device);
    this.paths = new PathChooser(this.info, gpu.limits, opts);
    gpu.lost.then((info) => {
      if (this.lostReason === 'disposed') return;
      this.lostReason = `GPU device lost (${info.reason}${info.message ? `: ${info.message}` : ''})`;
      for (const f of this.lostListeners) f(this.lostReason);
    });
  }

  /** Request an adapter and a device; throws GpuUnavailableError (with `reason`) when there is none. */
  static async create(opts: GpuBackendOptions = {}): Promise<GpuBackend> {
    return new GpuBackend(await createGpuDevice(), opts);
  }

  /** The path of the last train() call (fused small-net kernel or the general multi-kernel path). */
  get pathInfo(): PathInfo {
    return this.path;
  }

  /** Called once when the device is lost (not after dispose); every later call rejects. */
  onDeviceLost(f: (reason: string) => void): void {
    this.lostListeners.push(f);
  }

  /** Test hook: lose the device as a driver reset would (device.destroy()). */
  simulateDeviceLoss(): void {
    this.gpu.simulateLoss();
  }

  private alive(): GpuModel {
    if (this.lostReason) throw new Error(this.lostReason);
    if (!this.model) throw new Error('GpuBackend: build() first');
    return this.model;
  }

  async build(cfgs: TrainConfig[], dataset: Dataset, init: Inits): Promise<void> {
    if (this.lostReason) throw new Error(this.lostReason);
    if (cfgs.length === 0) throw new Error('GpuBackend.build: no configs');
    const c0 = cfgs[0];
    cfgs.forEach((c, r) => {
      // The initial weights may differ (a seed band: one vector per run); nothing else that builds.
      if (r > 0 && needsRebuild(c0, { ...c, model: { ...c.model, initSeed: c0.model.initSeed } }))
        throw new Error(`GpuBackend.build: run ${r} differs from run 0 in architecture, data or seed`);
      if (c.model.hidden.length > MAX_HIDDEN)
        throw new Error(`model.hidden: at most ${MAX_HIDDEN} hidden layers on WebGPU`);
      const refused = gpuRefusal(c.optimizer.name); // before any allocation (initialState checks again)
      if (refused) throw new Error(refused);
    });
    if (c0.model.loss === 'softmaxCE' && dataset.kind !== 'classification')
      throw new Error(
        `model.loss: softmaxCE needs a classification dataset, '${dataset.name}' is regression (use mse)`,
      );
    this.disposeModel();
    const layout = buildLayout(c0.model, dataset.inputDim, dataset.outputDim);
    const inits = cfgs.map((_, r) => initOf(init, r));
    for (const v of inits)
      if (v.length !== layout.size)
        throw new Error(`GpuBackend.build: init has ${v.length} parameters, the network needs ${layout.size}`);
    this.ds = dataset;
    this.layout = layout;
    this.init = inits.map((v) => v.slice());
    const B = this.batchSize(cfgs);
    const acts = layout.layers.map((l) => l.activation);
    const R = cfgs.length;
    const slots = this.paths.slotsFor(layout, dataset, R, B);
    this.model = new GpuModel(
      this.gpu.device,
      this.pool,
      this.pipes,
      layout,
      dataset,
      R,
      B,
      lossKindOf(c0, dataset),
      acts,
      slots,
    );
    this.ring = new ReadbackRing(this.pool, (this.model.plan.recSize + 1) * 4); // + 1: metrics.ts stagingLayout
    const shuffleSeed = streamSeed(c0.seed, 'shuffle');
    this.runs = cfgs.map((cfg) => ({
      cfg,
      loop: new TrainLoop(cfg, dataset.nTrain, shuffleSeed),
      optT: 0,
      hasBest: false,
    }));
    await this.reset();
    // Muon's Newton-Schulz scratch now, so a set too large for this GPU is refused at build (the
    // worker then trains it on the CPU engine, saying why) rather than at its first step
    this.model.nsBuffer(this.variant());
  }

  private batchSize(cfgs: TrainConfig[]): number {
    const n = this.ds!.nTrain;
    const B = effectiveBatchSize(cfgs[0].batchSize, n);
    cfgs.forEach((c, r) => {
      if (effectiveBatchSize(c.batchSize, n) !== B)
        throw new Error(
          `batchSize: the runs of a WebGPU compare set share one batch size (run ${r} has ${c.batchSize}, run 0 ${cfgs[0].batchSize})`,
        );
    });
    return B;
  }

  async reset(): Promise<void> {
    const m = this.alive();
    this.changes++;
    m.writeInitial(
      this.init,
      this.runs.map((run, r) => initialState(run.cfg, this.init[r])),
    );
    for (const run of this.runs) {
      run.loop.reset();
      run.optT = 0;
      run.hasBest = false;
    }
    this.writeTrack();
    this.syncPlanning();
  }

  private writeTrack(): void {
    const m = this.model!;
    this.runs.forEach((run, r) => {
      const s = run.loop.state;
      m.device.queue.writeBuffer(
        m.res.rec,
        (m.plan.trackOff + r * TRACK_WORDS) * 4,
        trackWords(s.firstLoss, s.recentLosses),
      );
    });
  }

  private syncPlanning(): void {
    this.planning = planningFrom(this.runs);
  }

  setHyper(run: number, cfg: TrainConfig): void {
    const h = this.runs[run];
    if (!h) throw new Error(`GpuBackend: no run ${run} (have ${this.runs.length})`);
    if (needsRebuild(h.cfg, cfg)) throw new Error('setHyper: this change needs a rebuild (see needsRebuild)');
    if (cfg.model.hidden.length !== h.cfg.model.hidden.length) throw new Error('setHyper: layer count changed');
    if (cfg.optimizer.name !== h.cfg.optimizer.name) {
      this.alive().clearOptimizerState(run, initialState(cfg, this.init[run]));
      // a rule evaluated away from theta keeps z in m, starting at the current weights (Run.setHyper)
      if (evaluatedElsewhere(cfg)) this.alive().copyRun(run, 'theta->m');
      h.optT = 0;
    }
    this.changes++;
    h.loop.setConfig(cfg);
    h.cfg = cfg;
    this.syncPlanning();
  }

  private variant(): TrainVariant {
    const cfgs = this.runs.map((r) => r.cfg);
    const ds = this.ds!;
    return {
      dropout: cfgs[0].model.hidden.map((_, l) => cfgs.some((c) => c.model.hidden[l].dropout > 0)),
      l1Act: cfgs.some((c) => c.reg.l1Act > 0),
      opt: optimizerVariant(cfgs.map((c) => c.optimizer.name)),
      muon: cfgs.some((c) => c.optimizer.name === 'muon'),
      augmented: cfgs.some((c) => c.data.augmentNoise > 0 || (c.data.augmentAffine && ds.image !== undefined)),
      augRun: 0,
      lossKind: this.model!.lossKind,
    };
  }

  async train(n: number): Promise<RunProgress[]> {
    const m = this.alive();
    if (m.resize(this.batchSize(this.runs.map((r) => r.cfg)))) this.writeTrack();
    const variant = this.variant();
    m.nsBuffer(variant); // before any op binds it
    const { encode, path } = await this.paths.choose(m, variant);
    this.path = path;
    if (!encode) await m.warmGeneral(variant);
    if (this.runs.some((run) => evaluatedElsewhere(run.cfg))) await m.warmEval();
    this.changes++;
    const r = await pump(m, this.runs, this.planning, this.ring!, variant, encode, n, () => this.lostReason);
    this.changes++;
    this.planning = r.planning;
    if (r.steps > 0) this.last = { steps: r.steps, dispatches: r.dispatches, submits: r.submits };
    return this.runs.map((run, k) => ({
      ...r.progress[k],
      status: run.loop.state.status,
      statusStep: run.loop.state.statusStep,
      stepCount: run.loop.state.step,
    }));
  }

  /**
   * Run r's evaluation point when it is not theta (Schedule-Free's x with batch-norm statistics
   * recomputed there: evalPoint.ts), cached until the run changes; null otherwise.
   */
  private async evalPoint(run: number): Promise<EvalPoint | null> {
    const h = this.runs[run];
    if (!evaluatedElsewhere(h.cfg)) return null;
    const c = this.pointCache.get(run);
    if (c && c.at === this.changes) return c.point;
    const at = this.changes;
    const point = await evalPointOf(this.alive(), h.cfg, run, h.optT);
    this.pointCache.set(run, { at, point });
    return point;
  }

  async evaluate(run: number, split: 'train' | 'val'): Promise<{ loss: number; acc: number }> {
    const m = this.alive();
    this.check(run);
    const point = await this.evalPoint(run);
    if (point) return evaluatePoint(m, this.runs[run].cfg, point, split);
    return (await evaluateRuns(m, split))[run];
  }

  async readParams(run: number): Promise<Float32Array> {
    const m = this.alive();
    this.check(run);
    return readTheta(m, run);
  }

  async writeParams(run: number, theta: Float32Array, lossBaseline?: number): Promise<void> {
    const m = this.alive();
    this.check(run);
    if (theta.length !== m.plan.P)
      throw new Error(`writeParams: got ${theta.length} parameters, the network has ${m.plan.P}`);
    m.device.queue.writeBuffer(m.res.state, (m.plan.theta + run * m.plan.P) * 4, theta.slice());
    this.changes++;
    // A run continued from another backend keeps its blow-up reference (see TrainingBackend).
    if (lossBaseline !== undefined && Number.isFinite(lossBaseline) && lossBaseline > 0) {
      this.runs[run].loop.state.firstLoss = lossBaseline;
      this.writeTrack(); // the kernels check divergence too, against their copy of the track
    }
  }

  async exportState(run: number): Promise<RunSnapshot> {
    const m = this.alive();
    this.check(run);
    return exportRun(m, this.runs[run], run);
  }

  async importState(run: number, snapshot: RunSnapshot): Promise<void> {
    const m = this.alive();
    this.check(run);
    importRun(m, this.runs[run], run, snapshot);
    this.changes++;
    this.writeTrack(); // the kernels check divergence against their copy of firstLoss and the loss window
    this.syncPlanning();
  }

  async predict(run: number, x: Float32Array, n: number): Promise<Float32Array> {
    const m = this.alive();
    this.check(run);
    const point = await this.evalPoint(run);
    if (point) return predictAt(m, this.runs[run].cfg, point, x, n);
    return predictRun(m, run, x, n);
  }

  async lossAt(thetas: Float32Array[], split: 'train' | 'val'): Promise<Float32Array> {
    return lossAtThetas(this.alive(), this.runs[0].cfg, thetas, split);
  }

  counters(): BackendCounters {
    return {
      buffers: this.pool.live,
      bytes: this.pool.bytes,
      dispatchesPerStep: this.last.dispatches / this.last.steps,
      submitsPerStep: this.last.submits / this.last.steps,
    };
  }

  private check(run: number): void {
    if (!this.runs[run]) throw new Error(`GpuBackend: no run ${run} (have ${this.runs.length})`);
  }

  private disposeModel(): void {
    this.model?.dropOps();
    this.pool.dispose();
    this.model = null;
    this.ring = null;
  }

  dispose(): void {
    this.disposeModel();
    this.lostReason ??= 'disposed';
    this.gpu.device.destroy();
  }

  /** The engine layout of the built model (tests, bench). */
  get paramLayout(): ParamLayout | null {
    return this.layout;
  }
}
