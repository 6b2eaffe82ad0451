// One built set of runs inside the worker: the configs, the shared dataset, layout and initial
// weights, the backend training them, and what the page sees of each run (its track: status,
// step, best epoch; its metric collector; its weight snapshots). The service (service.ts)
// decides when to train and talks to the page; the session does the training bookkeeping.
//
// A session survives a backend change (device loss, switch): `migrate` moves each run's whole
// state (src/engine/snapshot.ts: weights, optimizer memory and t, batch-norm statistics, the
// loop's counters, schedule, plateau and early-stopping state) to the new backend, which goes on
// as the same run. A state older than the page's last step (a device loss continues from the
// last checkpoint) is brought forward by re-doing the steps since (catchUp), whose rows the page
// already has and does not get twice: the charts neither rewind nor jump.
// Apart: a run's track and how progress folds into it (runTrack.ts); the setup the page is told (setupInfo.ts).
import {
  type Dataset,
  EPOCH_METRICS,
  emptySeries,
  type ParamLayout,
  type RunSnapshot,
  STEP_METRICS,
} from '../src/engine';
import type { TrainConfig } from '../src/engine/types';
import { type Inits, initOf, type RunProgress, type TrainingBackend } from './backend';
import type { BackendStatus, PlannedChange, RunSetup, RunStatusInfo } from './protocol';
import { freshTrack, type RunTrack, recordProgress, runStatusInfo } from './runTrack';
import { datasetInfo, layerInfos } from './setupInfo';
import { RunCollector } from './stream';
import { SnapshotStore } from './visuals';

/** GPU run states are read back this often (ms) so a lost device can be replaced without starting over. */
export const CHECKPOINT_MS = 500;
/** A GPU training call that has not settled after this long counts as a lost device. */
export const GPU_TIMEOUT_MS = 15_000;
export const GPU_FIRST_CALL_TIMEOUT_MS = 120_000;

/** p, or a rejection after ms (the late result is ignored). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  if (!Number.isFinite(ms)) return p;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the GPU did not finish ${what} within ${ms / 1000} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export class Session {
  configs: TrainConfig[];
  readonly dataset: Dataset;
  readonly layout: ParamLayout;
  readonly init: Inits;
  backend: TrainingBackend;
  backendStatus: BackendStatus;
  readonly collectors: RunCollector[];
  readonly snapshots: SnapshotStore[];
  tracks: RunTrack[];
  /** Last whole state read back from the GPU (per run); null = the state as built (step 0). */
  checkpoint: (RunSnapshot | null)[];
  /** Step (as the page counts) of the checkpoint, and when it was read. */
  checkpointStep = 0;
  checkpointAt = 0;
  /** When GPU devices were lost (recover.ts gives up on the GPU when they come too often). */
  lossTimes: number[] = [];
  /** Built on the CPU for 'auto': workers/handoff.ts is to measure WebGPU on the side and move when faster. */
  probe = false;
  /**
   * Best steps per second of the CPU engine's training calls so far (0: none yet); the 'auto'
   * probe compares the GPU with it instead of measuring a side CPU backend while the run trains.
   */
  cpuRate = 0;
  /** Per run: changes planned at steps (a replayed link), and how many of them were applied. */
  plans: PlannedChange[][];
  planApplied: number[];

  constructor(
    configs: TrainConfig[],
    dataset: Dataset,
    layout: ParamLayout,
    init: Inits,
    backend: TrainingBackend,
    status: BackendStatus,
  ) {
    this.configs = configs;
    this.dataset = dataset;
    this.layout = layout;
    this.init = init;
    this.backend = backend;
    this.backendStatus = status;
    const L = layout.layers.length;
    this.collectors = configs.map((_, r) => new RunCollector(r, L));
    this.snapshots = configs.map(
      () => new SnapshotStore(layout.size, 10, 200, Math.floor((64 << 20) / configs.length)),
    );
    this.tracks = configs.map(freshTrack);
    this.checkpoint = configs.map(() => null);
    this.plans = configs.map(() => []);
    this.planApplied = configs.map(() => 0);
    for (let r = 0; r < this.snapshots.length; r++) this.snapshots[r].add(0, initOf(init, r));
    this.watch(backend);
  }

  /** Called when a backend reports its device lost on its own (GpuBackend.onDeviceLost), even while idle. */
  onLost: ((backend: TrainingBackend, reason: string) => void) | null = null;

  private watch(b: TrainingBackend): void {
    const hook = (b as { onDeviceLost?: (f: (reason: string) => void) => void }).onDeviceLost;
    if (typeof hook === 'function') hook.call(b, (reason: string) => this.onLost?.(b, reason));
  }

  get runs(): number {
    return this.configs.length;
  }

  /** Steps taken by the runs still training (they advance together), else the furthest run. */
  get step(): number {
    return Math.max(0, ...this.tracks.map((t) => t.step));
  }

  isTraining(r: number): boolean {
    return this.tracks[r].status === 'ok' && !this.tracks[r].frozen;
  }

  anyTraining(): boolean {
    return this.tracks.some((_, r) => this.isTraining(r));
  }

  /**
   * A GPU call that takes longer than this is treated as a lost device (never freeze). The first
   * call on a backend compiles its kernels (seconds on a software adapter) and gets more time.
   */
  private timeoutMs(): number {
    if (this.backend.info.kind !== 'webgpu') return Number.POSITIVE_INFINITY;
    if (this.warmed.has(this.backend)) return GPU_TIMEOUT_MS;
    this.warmed.add(this.backend);
    return GPU_FIRST_CALL_TIMEOUT_MS;
  }
  private readonly warmed = new WeakSet<TrainingBackend>();

  /**
   * Train up to n steps, split at snapshot boundaries so trajectories keep their early detail.
   * `early`: called when some runs' progress was recorded before the whole call settled (a race
   * spread over workers: this thread's runs first, TrainingBackend.train), so their rows can go out.
   */
  async train(n: number, early?: () => void): Promise<number> {
    let done = 0;
    while (done < n && this.anyTraining()) {
      await this.applyPlanned();
      const due = this.snapshots.filter((_, r) => this.isTraining(r)).map((s) => s.nextDue());
      // a planned change splits the call, so it applies before exactly its step at any pace
      for (let r = 0; r < this.runs; r++) {
        const next = this.plans[r][this.planApplied[r]];
        if (next && this.isTraining(r)) due.push(next.step);
      }
      const k = Math.max(1, Math.min(n - done, Math.min(...due) - this.step));
      const backend = this.backend;
      const t0 = performance.now();
      let stepped = 0;
      const recorded = new Set<number>();
      const onPart = (part: (RunProgress | undefined)[]) => {
        if (backend !== this.backend) return;
        part.forEach((p, r) => {
          if (!p) return;
          recorded.add(r);
          stepped = Math.max(stepped, this.record(r, p));
        });
        early?.();
      };
      const progress = await within(backend.train(k, early ? onPart : undefined), this.timeoutMs(), 'train');
      if (backend !== this.backend) return done; // replaced while this call was in flight
      const dt = performance.now() - t0;
      if (backend.info.kind === 'cpu' && dt > 0) this.cpuRate = Math.max(this.cpuRate, (k * 1000) / dt);
      progress.forEach((p, r) => {
        if (!recorded.has(r)) stepped = Math.max(stepped, this.record(r, p));
      });
      done += k;
      await this.snapshotIfDue();
      if (stepped === 0) break;
    }
    if (this.backend.info.kind === 'webgpu' && performance.now() - this.checkpointAt > CHECKPOINT_MS) {
      await this.readCheckpoint();
    }
    return done;
  }

  /** Apply the planned changes whose step has come (before that step is taken). */
  private async applyPlanned(): Promise<void> {
    for (let r = 0; r < this.runs; r++) {
      const plan = this.plans[r];
      while (this.planApplied[r] < plan.length && plan[this.planApplied[r]].step <= this.tracks[r].step) {
        const c = plan[this.planApplied[r]++];
        if (JSON.stringify(c.config) !== JSON.stringify(this.configs[r])) await this.setHyper(r, c.config);
      }
    }
  }

  /** A live change of run r takes over from its plan: the changes not yet applied are dropped. */
  dropPlan(r: number): void {
    this.plans[r] = this.plans[r].slice(0, this.planApplied[r]);
  }

  /** Fold one backend progress report into the run's track and collector (runTrack.ts); returns steps taken. */
  private record(r: number, p: RunProgress): number {
    return recordProgress(this.tracks[r], this.collectors[r], p, this.dataset.nVal);
  }

  /** Steps the imported states are behind the page (a device loss resumed from a checkpoint), re-done by catchUp(). */
  behind = 0;

  /**
   * Re-do the steps between the imported states and the page's last step, without drawing them
   * again (RunCollector.resumeStep): afterwards the runs are where the page saw them. A failure is
   * left to the next training call (which recovers again, with the same rows still dropped).
   */
  async catchUp(): Promise<void> {
    const k = this.behind;
    if (k <= 0) return;
    const backend = this.backend;
    const progress = await within(backend.train(k), this.timeoutMs(), 'train');
    if (backend !== this.backend) return;
    this.behind = 0;
    progress.forEach((p, r) => {
      this.record(r, p);
    });
  }

  private async snapshotIfDue(): Promise<void> {
    await this.eachRun(async (r) => {
      const s = this.snapshots[r];
      const step = this.tracks[r].step;
      if (step >= s.nextDue() && !this.tracks[r].frozen) s.add(step, await this.backend.readParams(r));
    });
  }

  /**
   * fn for every run: on the CPU engine all at once (a race spread over workers, cpu/sharded.ts,
   * then waits one round trip per worker, not one per run; the plain engine answers at once
   * anyway), on the GPU one after another (its read-backs are not made to overlap).
   */
  async eachRun(fn: (r: number) => Promise<void>): Promise<void> {
    if (this.backend.info.kind === 'cpu') {
      await Promise.all(Array.from({ length: this.runs }, (_, r) => fn(r)));
      return;
    }
    for (let r = 0; r < this.runs; r++) await fn(r);
  }

  async readCheckpoint(): Promise<void> {
    const step = this.step;
    for (let r = 0; r < this.runs; r++) this.checkpoint[r] = await this.backend.exportState(r);
    this.checkpointStep = step;
    this.checkpointAt = performance.now();
  }

  /** Back to step 0 with the initial weights: history, snapshots and offsets cleared. */
  async reset(): Promise<void> {
    await this.backend.reset();
    this.tracks = this.configs.map(freshTrack);
    for (const c of this.collectors) {
      c.clear();
      c.resumeStep = 0;
      c.resumeEpoch = 0;
    }
    this.snapshots.forEach((s, r) => {
      s.clear();
      s.add(0, initOf(this.init, r));
    });
    this.checkpoint = this.configs.map(() => null);
    this.checkpointStep = 0;
    this.plans = this.configs.map(() => []);
    this.planApplied = this.configs.map(() => 0);
  }

  /** Live hyperparameter change of run r (the caller checked it needs no rebuild). */
  async setHyper(r: number, cfg: TrainConfig): Promise<void> {
    const switched = cfg.optimizer.name !== this.configs[r].optimizer.name;
    this.backend.setHyper(r, cfg);
    this.configs[r] = cfg;
    // the checkpoint holds the old optimizer's memory, which the new one cannot import
    if (switched && this.checkpoint[r]) this.checkpoint[r] = await this.backend.exportState(r);
    // A change can lift a stop (early stopping switched off, more epochs allowed): a 0-step train reports it.
    this.tracks[r].frozen = false;
    const p = await this.backend.train(0);
    p.forEach((q, i) => {
      this.record(i, { ...q, steps: emptySeries(STEP_METRICS), epochs: emptySeries(EPOCH_METRICS) });
    });
  }

  /**
   * Continue on `next` (already built with this session's configs) from the run states `states`
   * (null: the state as built, step 0). The page's step and epoch numbers keep counting from where
   * they were: a state older than the page's last step (a checkpoint) re-does the steps since then.
   */
  async migrate(next: TrainingBackend, status: BackendStatus, states: (RunSnapshot | null)[]): Promise<void> {
    let behind = 0;
    for (let r = 0; r < this.runs; r++) {
      const st = states[r];
      if (st) await next.importState(r, st);
      const t = this.tracks[r];
      const c = this.collectors[r];
      // A state numbers its steps as the page does (the same run); one older than the page's last
      // step (a checkpoint) is re-done by catchUp() without drawing twice.
      c.resumeStep = t.step;
      c.resumeEpoch = t.completedEpochs;
      // a fresh run (no state) would resume a stopped one; a carried state carries its status
      t.frozen = !st && t.status !== 'ok';
      if (!t.frozen && t.status === 'ok') behind = Math.max(behind, t.step - (st?.loop.step ?? 0));
    }
    this.behind = behind;
    const old = this.backend;
    this.backend = next;
    this.watch(next);
    this.backendStatus = status;
    this.checkpoint = states.slice();
    this.checkpointStep = this.step;
    this.checkpointAt = performance.now();
    try {
      old.dispose();
    } catch {
      // A lost device may fail to free its buffers; they are gone with it anyway.
    }
  }

  statusOf(r: number, running: boolean): RunStatusInfo {
    return runStatusInfo(this.tracks[r], running, this.planApplied[r]);
  }

  setup(generation: number): RunSetup {
    return {
      generation,
      runs: this.runs,
      params: this.layout.size,
      layers: layerInfos(this.layout, this.configs[0]),
      dataset: datasetInfo(this.dataset),
      backend: this.backendStatus,
    };
  }
}
