// A built model on the GPU: the resources of R runs at batch size B (resources.ts), the cached
// op lists of the general path per kernel variant, and the evaluation buffers. Allocated once per
// build from the pool; a batch-size change reallocates only what depends on B.
import type { Dataset } from '../../src/engine/data/dataset';
import { initBnStats, type ParamLayout } from '../../src/engine/layout';
import type { TrainConfig } from '../../src/engine/types';
import type { BufferPool } from './buffers';
import {
  ACT_EACH_LAYER,
  bindFused,
  type FusedBinding,
  fixedWords,
  fusedLayout,
  fusedPipeline,
  uploadDataset,
} from './fused';
import { type EvalTarget, evalOps, type TrainVariant, trainOps, variantKey } from './general';
import { hyperWords } from './hyper';
import type { OptimizerStart } from './optimizers';
import type { PipelineCache } from './pipelines';
import { STEP_SLOT_BYTES } from './pipelines';
import { type GpuPlan, makePlan, segmentTable } from './plan';
import { type DataBuffers, type Op, type OpBuilder, type Resources, uploadData } from './resources';

/** Training slots per submission (steps encoded into one command buffer): general and fused path. */
export const GENERAL_SLOTS = 32;
export const FUSED_SLOTS = 128;
/** Step-uniform entries after the training slots, for evaluation chunks. */
export const EVAL_ENTRIES = 224;
/** Rows per evaluation chunk (as the engine's evaluate.ts CHUNK). */
export const EVAL_ROWS = 512;

const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

export class GpuModel {
  res!: Resources;
  /** Evaluation: plan with EVAL_ROWS rows, its activations, an outputs buffer for predict. */
  evalPlan!: GpuPlan;
  evalActs!: GPUBuffer;
  private trainCache = new Map<string, OpBuilder>();
  private evalCache = new Map<string, OpBuilder>();
  private fusedCache = new Map<string, FusedBinding | string>();
  private datasetBuf: GPUBuffer | null = null;
  readonly E: number;
  bestTheta: GPUBuffer | null = null;

  constructor(
    readonly device: GPUDevice,
    readonly pool: BufferPool,
    readonly pipes: PipelineCache,
    readonly layout: ParamLayout,
    readonly ds: Dataset,
    readonly R: number,
    B: number,
    readonly lossKind: number,
    readonly activations: string[],
    /** Steps per submission at most. */
    readonly slots: number,
  ) {
    this.E = Math.min(EVAL_ROWS, Math.max(ds.nTrain, ds.nVal, 1));
    const plan = makePlan(layout, R, B, this.slots);
    const data: DataBuffers = uploadData(pool, ds);
    const step = pool.uniform((this.slots + EVAL_ENTRIES) * STEP_SLOT_BYTES, 'step');
    this.res = {
      device,
      pool,
      pipes,
      plan,
      lw: layout.layers,
      data,
      state: pool.storage(fixedWords(plan.stateSize), 'state'), // as long as the fused kernel declares it
      hyper: pool.storage(hyperWords(R, this.slots), 'hyper'),
      step,
      stepGroup: pipes.bindStep(step),
      stepSlots: this.slots + EVAL_ENTRIES,
      ns: pool.storage(1, 'ns'),
      ...this.batchBuffers(plan, B),
    };
    this.evalPlan = makePlan(layout, R, this.E, this.slots);
    this.evalActs = pool.storage(R * this.evalPlan.aRun, 'evalActs');
  }

  private batchBuffers(plan: GpuPlan, B: number) {
    const pool = this.pool;
    return {
      acts: pool.storage(this.R * plan.aRun, 'acts'),
      dacts: pool.storage(this.R * plan.dRun, 'dacts'),
      segs: pool.upload(segmentTable(plan), 'segs'),
      partials: pool.storage(this.R * plan.segments.length * 4, 'partials'),
      rec: pool.acquire(plan.recSize * 4, STORAGE, 'records'),
      rows: pool.storage(this.R * this.slots * B, 'rows'),
      aug: pool.storage(1, 'aug'),
    };
  }

  get plan(): GpuPlan {
    return this.res.plan;
  }

  /** Reallocate the batch-sized buffers for a new batch size (state, data and eval buffers stay). */
  resize(B: number): boolean {
    if (B === this.plan.rows) return false;
    this.dropOps();
    const r = this.res;
    for (const b of [r.acts, r.dacts, r.segs, r.partials, r.rec, r.rows, r.aug]) this.pool.release(b);
    const plan = makePlan(this.layout, this.R, B, this.slots);
    this.res = { ...r, plan, ...this.batchBuffers(plan, B) };
    return true;
  }

  /** A buffer for pre-augmented batches of `floats` floats (grown on demand). */
  augBuffer(floats: number): GPUBuffer {
    if (this.res.aug.size < floats * 4) {
      this.dropOps();
      this.pool.release(this.res.aug);
      this.res = { ...this.res, aug: this.pool.storage(floats, 'aug') };
    }
    return this.res.aug;
  }

  /**
   * Muon's Newton-Schulz scratch [R, nsRun] for a variant where some run uses Muon (a 1-float
   * stand-in otherwise: a set without Muon allocates nothing); grown once, before ops bind it.
   */
  nsBuffer(v: TrainVariant): void {
    const floats = v.muon ? this.R * this.plan.nsRun : 1;
    if (this.res.ns.size >= floats * 4) return;
    const max = this.device.limits.maxStorageBufferBindingSize;
    if (floats * 4 > max)
      throw new Error(
        `optimizer.name: Muon's Newton-Schulz scratch for ${this.R} runs of this network needs ${Math.ceil((floats * 4) / 2 ** 20)} MiB, more than this GPU binds (${Math.floor(max / 2 ** 20)} MiB): fewer runs or smaller hidden layers`,
      );
    this.dropOps();
    this.pool.release(this.res.ns);
    this.res = { ...this.res, ns: this.pool.storage(floats, 'ns') };
  }

  private trainBuilder(v: TrainVariant): OpBuilder {
    const key = variantKey(v);
    let b = this.trainCache.get(key);
    if (!b) {
      b = trainOps(this.res, v, this.activations);
      this.trainCache.set(key, b);
    }
    return b;
  }

  trainOps(v: TrainVariant): Op[] {
    return this.trainBuilder(v).ops;
  }

  /**
   * Compile, in parallel and off the queue, every pipeline the general path needs for this variant
   * (training step and epoch-end evaluation), so the first step does not compile them one by one.
   */
  async warmGeneral(v: TrainVariant): Promise<void> {
    const list = [...this.trainBuilder(v).pipelines, ...this.evalBuilder('train').pipelines];
    await this.pipes.warm(list);
  }

  /**
   * Compile the evaluation pipelines (epoch-end sums and predict's outputs) ahead of use: a run
   * evaluated away from theta (Schedule-Free's x, evalPoint.ts) runs them after its chunks even on
   * the fused path, which otherwise never does; compiled inside the first train() call.
   */
  async warmEval(): Promise<void> {
    const list = this.evalBuilder('train').pipelines;
    await this.pipes.warm([
      ...list,
      ...list.map(([n, c]): (typeof list)[number] => [n, n === 'loss' ? { ...c, MODE: 2 } : c]),
    ]);
  }

  /** Evaluation ops for a split of the training data, accumulating into the records at word 4 or 6. */
  evalSplitOps(split: 'train' | 'val'): Op[] {
    return this.evalBuilder(split).ops;
  }

  private evalBuilder(split: 'train' | 'val'): OpBuilder {
    let b = this.evalCache.get(split);
    if (!b) {
      const d = this.res.data;
      const t: EvalTarget = {
        plan: this.evalPlan,
        state: this.res.state,
        stats: this.plan.stats,
        acts: this.evalActs,
        x: split === 'train' ? d.xTrain : d.xVal,
        y: split === 'train' ? d.yTrain : d.yVal,
        out: this.res.rec,
        recWord: split === 'train' ? 4 : 6,
        recM: this.plan.M,
        recR: this.R,
        mode: 1,
        outRun: 0,
      };
      b = evalOps(this.res, t, this.lossKind, this.activations);
      this.evalCache.set(split, b);
    }
    return b;
  }

  /** One-off evaluation ops for another target (predict, lossAt); the caller releases them. */
  customEval(t: EvalTarget, hyper?: GPUBuffer): OpBuilder {
    return evalOps(this.res, t, this.lossKind, this.activations, hyper);
  }

  /** Compile the fused pipeline for this variant without blocking (no-op when the network does not fit). */
  async warmFused(
    v: TrainVariant,
    wg: number,
    groups: number,
    maxMemBytes: number,
    storageScratch: boolean,
    packMemBytes = maxMemBytes,
    actTable = false,
  ): Promise<void> {
    const lay = fusedLayout(this.layout, this.plan, this.ds, v.dropout, this.R, groups, maxMemBytes, packMemBytes);
    if (typeof lay === 'string') return;
    if (actTable) lay.act = ACT_EACH_LAYER;
    await this.pipes.warm([fusedPipeline(lay, wg, v.augmented ? 2 : 1, v.lossKind, v.opt, storageScratch)]);
  }

  /**
   * The fused small-net dispatch for this variant, or why the network does not fit it.
   * wg: invocations per workgroup; groups: workgroups wanted (runs are spread over them);
   * actTable: read the hidden activations from the layer table even when they share one.
   */
  fusedFor(
    v: TrainVariant,
    wg: number,
    groups: number,
    maxMemBytes: number,
    storageScratch: boolean,
    packMemBytes = maxMemBytes,
    actTable = false,
  ): FusedBinding | string {
    const key = `${variantKey({ ...v, augRun: 0 })}|${wg}|${groups}|${storageScratch}|${actTable}`;
    let f = this.fusedCache.get(key);
    if (f === undefined) {
      const lay = fusedLayout(this.layout, this.plan, this.ds, v.dropout, this.R, groups, maxMemBytes, packMemBytes);
      if (typeof lay === 'string') f = lay;
      else {
        if (actTable) lay.act = ACT_EACH_LAYER;
        this.datasetBuf ??= uploadDataset(this.pool, this.ds);
        const r = this.res;
        f = bindFused(
          this.device,
          this.pool,
          this.pipes,
          lay,
          wg,
          v.augmented ? 2 : 1,
          v.lossKind,
          v.opt,
          {
            dataset: this.datasetBuf,
            aug: r.aug,
            rows: r.rows,
            hyper: r.hyper,
            state: r.state,
            rec: r.rec,
            ns: r.ns,
          },
          storageScratch,
        );
      }
      this.fusedCache.set(key, f);
    }
    return f;
  }

  /** Release cached op lists (their uniforms) before buffers they bind change. */
  dropOps(): void {
    for (const b of [...this.trainCache.values(), ...this.evalCache.values()]) b.release();
    for (const f of this.fusedCache.values()) {
      if (typeof f === 'string') continue;
      this.pool.release(f.dims);
      this.pool.release(f.scratch);
    }
    this.trainCache.clear();
    this.evalCache.clear();
    this.fusedCache.clear();
  }

  /**
   * Fresh weights (run r from init[r]), fresh optimizer state (zero, or starts[r]: the rule's
   * start, optimizers.ts initialState), initial running stats, clean records.
   */
  writeInitial(init: readonly Float32Array[], starts: (OptimizerStart | null)[]): void {
    const { plan, state, rec } = this.res;
    const q = this.device.queue;
    const enc = this.device.createCommandEncoder();
    enc.clearBuffer(state);
    enc.clearBuffer(rec);
    q.submit([enc.finish()]);
    const stats = initBnStats(this.layout);
    for (let r = 0; r < this.R; r++) {
      q.writeBuffer(state, (plan.theta + r * plan.P) * 4, init[r].slice());
      if (plan.SS > 0) q.writeBuffer(state, (plan.stats + r * plan.SS) * 4, stats);
      this.writeOptimizerStart(r, starts[r]);
    }
  }

  private writeOptimizerStart(r: number, s: OptimizerStart | null): void {
    if (!s) return;
    const { plan, state } = this.res;
    this.device.queue.writeBuffer(state, (plan.m + r * plan.P) * 4, s.m);
    this.device.queue.writeBuffer(state, (plan.v + r * plan.P) * 4, s.v);
  }

  /** Fresh optimizer state for run r: zero, or `start` (an optimizer switch in setHyper, as the engine's). */
  clearOptimizerState(r: number, start: OptimizerStart | null): void {
    const { plan, state } = this.res;
    const enc = this.device.createCommandEncoder();
    enc.clearBuffer(state, (plan.m + r * plan.P) * 4, plan.P * 4);
    enc.clearBuffer(state, (plan.v + r * plan.P) * 4, plan.P * 4);
    this.device.queue.submit([enc.finish()]);
    this.writeOptimizerStart(r, start);
  }

  /** The best-weights copy [R, P] then [R, SS] (early stopping's restoreBest), allocated on first use. */
  bestBuffer(): GPUBuffer {
    this.bestTheta ??= this.pool.storage(this.R * (this.plan.P + this.plan.SS), 'best');
    return this.bestTheta;
  }

  /** Run r's best-weights copy from the host: weights [P] and statistics [SS] (an evaluation point). */
  writeBest(r: number, at: { theta: Float32Array; bnStats: Float32Array }): void {
    const { plan } = this.res;
    const best = this.bestBuffer();
    this.device.queue.writeBuffer(best, r * plan.P * 4, at.theta.slice());
    if (plan.SS > 0) this.device.queue.writeBuffer(best, (this.R * plan.P + r * plan.SS) * 4, at.bnStats.slice());
  }

  /** Copy theta (and running stats) of run r between sections of state / the best-weights buffer. */
  copyRun(r: number, what: 'prev->theta' | 'theta->best' | 'best->theta' | 'best->m' | 'theta->m'): void {
    const { plan, state } = this.res;
    const P4 = plan.P * 4;
    const S4 = plan.SS * 4;
    const best = this.bestBuffer();
    const bestStats = this.R * plan.P;
    const enc = this.device.createCommandEncoder();
    const cp = (src: GPUBuffer, so: number, dst: GPUBuffer, d: number, n: number) => {
      if (n > 0) enc.copyBufferToBuffer(src, so * 4, dst, d * 4, n);
    };
    if (what === 'prev->theta') {
      // a buffer cannot be both source and destination of one copy: go through a temporary
      const tmp = this.pool.storage(plan.P + plan.SS, 'restore');
      cp(state, plan.prev + r * plan.P, tmp, 0, P4);
      cp(state, plan.prevStats + r * plan.SS, tmp, plan.P, S4);
      cp(tmp, 0, state, plan.theta + r * plan.P, P4);
      cp(tmp, plan.P, state, plan.stats + r * plan.SS, S4);
      this.device.queue.submit([enc.finish()]);
      this.pool.release(tmp);
      return;
    } else if (what === 'theta->m') {
      // through a temporary, as above: z starts at the current weights (a switch to Schedule-Free)
      const tmp = this.pool.storage(plan.P, 'restore');
      cp(state, plan.theta + r * plan.P, tmp, 0, P4);
      cp(tmp, 0, state, plan.m + r * plan.P, P4);
      this.device.queue.submit([enc.finish()]);
      this.pool.release(tmp);
      return;
    } else if (what === 'best->m') {
      cp(best, r * plan.P, state, plan.m + r * plan.P, P4); // the best weights as z (Schedule-Free)
    } else if (what === 'theta->best') {
      cp(state, plan.theta + r * plan.P, best, r * plan.P, P4);
      cp(state, plan.stats + r * plan.SS, best, bestStats + r * plan.SS, S4);
    } else {
      cp(best, r * plan.P, state, plan.theta + r * plan.P, P4);
      cp(best, bestStats + r * plan.SS, state, plan.stats + r * plan.SS, S4);
    }
    this.device.queue.submit([enc.finish()]);
  }
}

/** 0 softmax cross-entropy, 1 MSE on regression targets, 2 MSE on one-hot class labels (loss.wgsl KIND). */
export function lossKindOf(cfg: TrainConfig, ds: Dataset): number {
  if (cfg.model.loss === 'softmaxCE') return 0;
  return ds.kind === 'regression' ? 1 : 2;
}
