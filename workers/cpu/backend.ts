// The CPU backend: R engine Runs (src/engine/trainer.ts) behind the TrainingBackend interface.
// It is the fallback when WebGPU is missing or slower, and the reference in practice: every
// number it reports is the engine's own. Compare runs share the dataset object, the initial
// weights and the seed, hence the same minibatch order and the same dropout masks.
// The dense products run on the WebAssembly SIMD kernels (wasmOps.ts) when this engine has
// WebAssembly SIMD, else on the engine's TypeScript; on a cross-origin isolated page their GEMMs
// are shared by a pool of threads (gemmPool.ts). info.name says which (the status line shows it).
import {
  type Dataset,
  type DenseOps,
  EPOCH_METRICS,
  emptySeries,
  Run,
  type RunSnapshot,
  SharedBatch,
  STEP_METRICS,
} from '../../src/engine';
import type { TrainConfig } from '../../src/engine/types';
import {
  type BackendCounters,
  type BackendInfo,
  type Inits,
  initOf,
  type RunProgress,
  type TrainingBackend,
} from '../backend';
import { assertCpuCapacity } from './capacity';
import { FusedRace } from './raceFused';
import { warmUp } from './warm';
import { liveThreads, wasmOps } from './wasmLoad';
import type { RaceLossAndGrad } from './wasmOps';

export const CPU_NAME_TS = 'CPU engine (TypeScript)';
export const CPU_NAME_WASM = 'CPU engine (WebAssembly SIMD)';
/** The name with n > 1 threads sharing the GEMMs. */
export const cpuNameThreads = (n: number) => `CPU engine (WebAssembly SIMD, ${n} threads)`;
/** The name while only `live` of the `n` threads serve (a GEMM helper thread ended: gemmPool.ts). */
export const cpuNameThreadsLost = (live: number, n: number) =>
  `CPU engine (WebAssembly SIMD, ${live} of ${n} threads: a helper thread failed)`;
/** The name of kernels loaded for n > 1 threads, as many as serve now. */
export function cpuNameLive(n: number): string {
  const live = liveThreads(n);
  return live < n ? cpuNameThreadsLost(live, n) : cpuNameThreads(n);
}

export interface CpuBackendOptions {
  /** 'typescript' keeps the engine's own dense ops even where WebAssembly SIMD runs (default 'auto'). */
  kernels?: 'auto' | 'typescript';
  /**
   * Threads sharing the GEMMs (default: autoThreads(), i.e. several only on a cross-origin isolated
   * page). 1 where other workers already use the cores (one worker per racer).
   */
  threads?: number;
  /** Train a throwaway step of each kind of run at build (warm.ts; default true). A side measurement warms up itself. */
  warm?: boolean;
  /** Fuse a race's steps (raceFused.ts; default true). false: each run steps through its own ops (tests, bench). */
  fuse?: boolean;
}

export class CpuBackend implements TrainingBackend {
  readonly info: BackendInfo = { kind: 'cpu', name: CPU_NAME_TS, fallbackAdapter: false };
  private runs: Run[] = [];
  private ops: (DenseOps & { raceLossAndGrad?: RaceLossAndGrad }) | undefined;
  private threads = 1;
  /** A race's fused step (raceFused.ts): single-threaded WebAssembly kernels and more than one run. */
  private race: FusedRace | null = null;

  constructor(private readonly opts: CpuBackendOptions = {}) {}

  async build(cfgs: TrainConfig[], dataset: Dataset, init: Inits): Promise<void> {
    if (cfgs.length === 0) throw new Error('CpuBackend.build: no configs');
    // A net too large to train at a usable speed is refused (CapacityError names the field).
    assertCpuCapacity(cfgs, dataset);
    if (this.opts.kernels !== 'typescript' && !this.ops) {
      const w = await wasmOps(undefined, this.opts.threads);
      this.ops = w?.ops;
      this.threads = w?.threads ?? 1;
    }
    this.named(!this.ops ? CPU_NAME_TS : this.threads > 1 ? cpuNameThreads(this.threads) : CPU_NAME_WASM);
    this.disposeRuns();
    // A race's runs share each step's batch (SharedBatch; train() steps them in lockstep).
    const batches = new SharedBatch();
    this.runs = cfgs.map((cfg, r) => new Run(cfg, dataset, { init: initOf(init, r), ops: this.ops, batches }));
    // A throwaway step of each kind of run (warm.ts): the first real step pays no one-time costs.
    if (this.opts.warm !== false) warmUp(this.runs, this.ops);
    const { ops } = this;
    if (this.runs.length > 1 && this.opts.fuse !== false && ops?.raceLossAndGrad && ops.alloc && ops.release)
      this.race = new FusedRace(ops.raceLossAndGrad, ops.alloc, ops.release);
  }

  /** Says which kernels run (the status line shows info.name); test doubles keep their own names. */
  protected named(name: string): void {
    this.info.name = name;
  }

  async train(n: number): Promise<RunProgress[]> {
    if (this.ops && this.threads > 1) this.named(cpuNameLive(this.threads));
    const runs = this.runs;
    if (runs.length === 1) {
      const r = runs[0];
      const { steps, epochs } =
        r.status === 'ok' ? r.train(n) : { steps: emptySeries(STEP_METRICS), epochs: emptySeries(EPOCH_METRICS) };
      return [{ steps, epochs, status: r.status, statusStep: r.statusStep, stepCount: r.stepCount }];
    }
    // In lockstep (every run's step s before any run's step s + 1): the runs share the step's batch.
    for (const r of runs) r.beginChunk();
    const race = this.race;
    if (race) for (let i = 0; i < n && race.step(runs); i++);
    else
      for (let i = 0; i < n; i++) {
        let any = false;
        for (const r of runs) any = r.stepOnce() || any;
        if (!any) break;
      }
    return runs.map((r) => {
      const { steps, epochs } = r.endChunk();
      return { steps, epochs, status: r.status, statusStep: r.statusStep, stepCount: r.stepCount };
    });
  }

  setHyper(run: number, cfg: TrainConfig): void {
    this.at(run).setHyper(cfg);
  }

  async reset(): Promise<void> {
    for (const r of this.runs) r.reset();
  }

  async evaluate(run: number, split: 'train' | 'val'): Promise<{ loss: number; acc: number }> {
    return this.at(run).evaluate(split);
  }

  async readParams(run: number): Promise<Float32Array> {
    return this.at(run).getParams();
  }

  async writeParams(run: number, theta: Float32Array, lossBaseline?: number): Promise<void> {
    this.at(run).setParams(theta);
    if (lossBaseline !== undefined) this.at(run).setLossBaseline(lossBaseline);
  }

  async exportState(run: number): Promise<RunSnapshot> {
    return this.at(run).exportState();
  }

  async importState(run: number, snapshot: RunSnapshot): Promise<void> {
    this.at(run).importState(snapshot);
  }

  /** x: raw input points [n, inputDim]; the Run applies the dataset's preprocessing. */
  async predict(run: number, x: Float32Array, n: number): Promise<Float32Array> {
    return this.at(run).predict(x, n);
  }

  async lossAt(thetas: Float32Array[], split: 'train' | 'val'): Promise<Float32Array> {
    // Run 0's evaluation mode (its batch-norm running statistics) at each parameter vector.
    const r = this.at(0);
    return Float32Array.from(thetas, (t) => r.evaluate(split, t).loss);
  }

  counters(): BackendCounters {
    // No GPU buffers, dispatches or submits: the engine works on plain typed arrays.
    return { buffers: 0, bytes: 0, dispatchesPerStep: 0, submitsPerStep: 0 };
  }

  dispose(): void {
    this.disposeRuns();
  }

  private disposeRuns(): void {
    this.race?.dispose();
    this.race = null;
    for (const r of this.runs) r.dispose();
    this.runs = [];
  }

  private at(run: number): Run {
    const r = this.runs[run];
    if (!r) throw new Error(`CpuBackend: no run ${run} (have ${this.runs.length})`);
    return r;
  }
}
