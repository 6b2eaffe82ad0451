// One shard of a CPU race: engine Runs (src/engine/trainer.ts) of some of the race's runs, in
// whichever thread hosts it (a sub-worker, workers/cpu/shard.worker.ts, or the training worker
// itself for shard 0). The coordinator (sharded.ts) decides which runs live here and merges what
// every shard reports by run index.
//
// Why the results equal the single-worker race bit for bit: a Run depends only on its config, the
// dataset (same arrays: the coordinator sends the one Dataset object, structured-cloned, i.e. the
// same float32 values), its initial weights (sent per run) and its own counters (batch order,
// dropout masks and augmentation are counter-based in (seed, step)); no run reads another's state,
// and every shard runs the same WebAssembly build (the first one WebAssembly.validate accepts in
// this browser) or, forced, the same TypeScript. A run moved between shards carries its whole state
// (Run.exportState: weights, optimizer memory and t, batch-norm statistics, the loop's counters,
// schedule, plateau and early-stopping state, the best weights) and continues as the same run.
//
// Several coordinators may share one host at once (the session's backend and an 'auto' side
// measurement, or the old and the new backend during a move): each keys its runs by a set id.
import {
  type Dataset,
  type DenseOps,
  EPOCH_METRICS,
  type EpochMetrics,
  emptySeries,
  fieldsOf,
  type MetricSchema,
  Run,
  type RunSnapshot,
  type RunStatus,
  type Series,
  SharedBatch,
  STEP_METRICS,
  type StepMetrics,
  widthOf,
} from '../../src/engine';
import type { TrainConfig } from '../../src/engine/types';
import type { RunProgress } from '../backend';
import { FusedRace } from './raceFused';
import { warmUp } from './warm';
import { wasmOps } from './wasmLoad';
import type { RaceLossAndGrad } from './wasmOps';

export type ShardKernels = 'auto' | 'typescript';

/** What one run of a shard did in a train() call, and the wall time its steps took here (ms). */
export interface ShardRunProgress {
  run: number;
  progress: RunProgress;
  ms: number;
}

/**
 * A sub-worker's train() report in one message: each run's numbers, and every metric column of
 * every run back to back in one buffer (run by run: its step fields, then its epoch fields, each
 * field n * width values in schema order), which the worker transfers instead of copying ~10
 * small arrays per run. unpackReports reads it back as views.
 */
export interface PackedReports {
  runs: {
    run: number;
    ms: number;
    layers: number;
    status: RunStatus;
    statusStep: number;
    stepCount: number;
    steps: number;
    epochs: number;
  }[];
  data: Float64Array<ArrayBuffer>;
}

const STEP_FIELDS = fieldsOf(STEP_METRICS);
const EPOCH_FIELDS = fieldsOf(EPOCH_METRICS);

/** Values per row of a schema's fields together, with `layers` layers. */
const rowWidth = (schema: MetricSchema, layers: number) =>
  fieldsOf(schema).reduce((w, k) => w + widthOf(schema[k], layers), 0);

/** The reports of train() as one buffer (see PackedReports); layers[i]: report i's run's layers. */
export function packReports(reports: ShardRunProgress[], layers: number[]): PackedReports {
  let total = 0;
  reports.forEach(({ progress: p }, i) => {
    total += p.steps.n * rowWidth(STEP_METRICS, layers[i]) + p.epochs.n * rowWidth(EPOCH_METRICS, layers[i]);
  });
  const data = new Float64Array(total);
  let off = 0;
  const put = (a: Float64Array) => {
    data.set(a, off);
    off += a.length;
  };
  const runs = reports.map(({ run, ms, progress: p }, i) => {
    for (const k of STEP_FIELDS) put(p.steps[k]);
    for (const k of EPOCH_FIELDS) put(p.epochs[k]);
    const { status, statusStep, stepCount } = p;
    return { run, ms, layers: layers[i], status, statusStep, stepCount, steps: p.steps.n, epochs: p.epochs.n };
  });
  return { runs, data };
}

/** packReports read back: the columns are views into `data` (the same values, not copied again). */
export function unpackReports({ runs, data }: PackedReports): ShardRunProgress[] {
  let off = 0;
  const take = <S extends MetricSchema>(schema: S, fields: (keyof S & string)[], n: number, L: number): Series<S> => {
    const out = { n } as Record<string, unknown>;
    for (const k of fields) {
      const len = n * widthOf(schema[k], L);
      out[k] = data.subarray(off, off + len);
      off += len;
    }
    return out as Series<S>;
  };
  return runs.map(({ run, ms, layers, status, statusStep, stepCount, steps, epochs }) => {
    const s: Series<StepMetrics> = take(STEP_METRICS, STEP_FIELDS, steps, layers);
    const e: Series<EpochMetrics> = take(EPOCH_METRICS, EPOCH_FIELDS, epochs, layers);
    return { run, ms, progress: { steps: s, epochs: e, status, statusStep, stepCount } };
  });
}

interface ShardSet {
  dataset: number;
  kernels: ShardKernels;
  threads: number;
  runs: Map<number, Run>;
  /** Each step's batch, shared by the set's runs here (trained in lockstep). */
  batches: SharedBatch;
  /** The set's fused step (raceFused.ts) on single-threaded WebAssembly kernels, else null. */
  race: FusedRace | null;
}

export class ShardHost {
  /** Kernels by GEMM thread count (threads > 1 only for a race of one shard: no other worker uses the cores). */
  private readonly loaded = new Map<
    number,
    Promise<{ kind: string; threads: number; ops: (DenseOps & { raceLossAndGrad?: RaceLossAndGrad }) | undefined }>
  >();
  /** The same kernels once loaded (open() reads them synchronously). */
  private readonly opsReady = new Map<number, (DenseOps & { raceLossAndGrad?: RaceLossAndGrad }) | undefined>();
  private readonly datasets = new Map<number, Dataset>();
  private readonly sets = new Map<number, ShardSet>();

  /**
   * Loads the WebAssembly kernels for `threads` GEMM threads once (1 where other shards use the
   * cores); returns their kind ('relaxed-simd' | 'simd', or 'typescript') and the threads they got.
   */
  async init(threads = 1): Promise<{ kind: string; threads: number }> {
    let p = this.loaded.get(threads);
    if (!p) {
      p = wasmOps(undefined, threads).then((w) => ({
        kind: w?.kind ?? 'typescript',
        threads: w?.threads ?? 1,
        ops: w?.ops,
      }));
      this.loaded.set(threads, p);
    }
    const { kind, threads: got, ops } = await p;
    this.opsReady.set(threads, ops);
    return { kind, threads: got };
  }

  /** The liveness ping (ShardPool): answered as soon as the worker is free, so it says the worker still lives. */
  ping(): true {
    return true;
  }

  putDataset(id: number, ds: Dataset): void {
    this.datasets.set(id, ds);
  }

  dropDataset(id: number): void {
    this.datasets.delete(id);
  }

  /** A run set on `dataset`, its runs on the kernels init(threads) loaded (call init first). */
  open(set: number, dataset: number, kernels: ShardKernels, threads = 1): void {
    if (!this.datasets.has(dataset)) throw new Error(`shard: dataset ${dataset} was not sent here`);
    if (!this.loaded.has(threads)) throw new Error(`shard: kernels for ${threads} threads not loaded`);
    this.sets.set(set, { dataset, kernels, threads, runs: new Map(), batches: new SharedBatch(), race: null });
    const ops = kernels === 'typescript' ? undefined : this.opsReady.get(threads);
    if (ops?.raceLossAndGrad && ops.alloc && ops.release)
      this.sets.get(set)!.race = new FusedRace(ops.raceLossAndGrad, ops.alloc, ops.release);
  }

  close(set: number): void {
    const s = this.sets.get(set);
    s?.race?.dispose();
    for (const r of s?.runs.values() ?? []) r.dispose();
    this.sets.delete(set);
  }

  /** Build run `run` here from its config and initial weights; with a state it continues that run. */
  async add(set: number, run: number, cfg: TrainConfig, init: Float32Array, state: RunSnapshot | null): Promise<void> {
    const s = this.set(set);
    const ds = this.datasets.get(s.dataset);
    if (!ds) throw new Error(`shard: dataset ${s.dataset} is gone`);
    const ops = s.kernels === 'typescript' ? undefined : (await this.loaded.get(s.threads)!).ops;
    const r = new Run(cfg, ds, { init, ops, batches: s.batches });
    if (state) r.importState(state);
    s.runs.set(run, r);
  }

  /**
   * One step of a throwaway copy of each kind of run in the set (warm.ts), so that the first real
   * step pays no one-time compile or memory costs; the runs themselves are untouched.
   */
  async warm(set: number): Promise<number> {
    const s = this.set(set);
    const ops = s.kernels === 'typescript' ? undefined : (await this.loaded.get(s.threads)!).ops;
    return warmUp(s.runs.values(), ops);
  }

  /** Take run `run` out of this shard: its whole state, for the shard it moves to. */
  remove(set: number, run: number): RunSnapshot {
    const r = this.run(set, run);
    const state = r.exportState();
    this.set(set).runs.delete(run);
    this.set(set).race?.forget(r);
    r.dispose();
    return state;
  }

  train(set: number, n: number): ShardRunProgress[] {
    const runs = [...this.set(set).runs];
    if (runs.length === 1) {
      const [run, r] = runs[0];
      const t0 = performance.now();
      const { steps, epochs } =
        r.status === 'ok' ? r.train(n) : { steps: emptySeries(STEP_METRICS), epochs: emptySeries(EPOCH_METRICS) };
      const ms = performance.now() - t0;
      return [
        { run, ms, progress: { steps, epochs, status: r.status, statusStep: r.statusStep, stepCount: r.stepCount } },
      ];
    }
    // In lockstep, sharing each step's batch (SharedBatch); each run's time is the sum of its steps'.
    const ms = new Float64Array(runs.length);
    for (const [, r] of runs) r.beginChunk();
    const race = this.set(set).race;
    if (race) {
      // fused (raceFused.ts): a step's time is shared equally by the runs that took it
      const all = runs.map(([, r]) => r);
      const ok = new Uint8Array(all.length);
      for (let i = 0; i < n; i++) {
        let k = 0;
        for (let j = 0; j < all.length; j++) k += ok[j] = all[j].status === 'ok' ? 1 : 0;
        if (k === 0) break;
        const t0 = performance.now();
        race.step(all);
        const dt = (performance.now() - t0) / k;
        for (let j = 0; j < all.length; j++) if (ok[j]) ms[j] += dt;
      }
    } else
      for (let i = 0; i < n; i++) {
        let any = false;
        for (let j = 0; j < runs.length; j++) {
          const t0 = performance.now();
          const stepped = runs[j][1].stepOnce();
          ms[j] += performance.now() - t0;
          any = stepped || any;
        }
        if (!any) break;
      }
    return runs.map(([run, r], j) => {
      const { steps, epochs } = r.endChunk();
      return {
        run,
        ms: ms[j],
        progress: { steps, epochs, status: r.status, statusStep: r.statusStep, stepCount: r.stepCount },
      };
    });
  }

  /** train() as one PackedReports (a sub-worker's answer: shard.worker.ts transfers its buffer). */
  trainPacked(set: number, n: number): PackedReports {
    const reports = this.train(set, n);
    const runs = this.set(set).runs;
    return packReports(
      reports,
      reports.map((r) => runs.get(r.run)!.layout.layers.length),
    );
  }

  setHyper(set: number, run: number, cfg: TrainConfig): void {
    this.run(set, run).setHyper(cfg);
  }

  reset(set: number): void {
    for (const r of this.set(set).runs.values()) r.reset();
  }

  evaluate(set: number, run: number, split: 'train' | 'val'): { loss: number; acc: number } {
    return this.run(set, run).evaluate(split);
  }

  readParams(set: number, run: number): Float32Array {
    return this.run(set, run).getParams();
  }

  writeParams(set: number, run: number, theta: Float32Array, lossBaseline?: number): void {
    const r = this.run(set, run);
    r.setParams(theta);
    if (lossBaseline !== undefined) r.setLossBaseline(lossBaseline);
  }

  exportState(set: number, run: number): RunSnapshot {
    return this.run(set, run).exportState();
  }

  importState(set: number, run: number, state: RunSnapshot): void {
    this.run(set, run).importState(state);
  }

  predict(set: number, run: number, x: Float32Array, n: number): Float32Array {
    return this.run(set, run).predict(x, n);
  }

  /** Run `run`'s evaluation mode (its batch-norm running statistics) at each parameter vector. */
  lossAt(set: number, run: number, thetas: Float32Array[], split: 'train' | 'val'): Float32Array {
    const r = this.run(set, run);
    return Float32Array.from(thetas, (t) => r.evaluate(split, t).loss);
  }

  private set(set: number): ShardSet {
    const s = this.sets.get(set);
    if (!s) throw new Error(`shard: no run set ${set}`);
    return s;
  }

  private run(set: number, run: number): Run {
    const r = this.set(set).runs.get(run);
    if (!r) throw new Error(`shard: run ${run} does not live in this shard`);
    return r;
  }
}
