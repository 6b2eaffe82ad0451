// A CPU race spread over the cores: the TrainingBackend the worker builds for the CPU engine. With
// R runs and W = min(R, workers allowed) shards, shard 0 lives in the training worker itself and
// shards 1..W-1 in sub-workers (shard.worker.ts), so W threads train at once; with W = 1 it is the
// plain CPU engine in the training worker. Every shard holds whole runs (shard.ts); a train(n)
// asks all shards for n steps at once and merges their reports by run index, so the session,
// the stream, snapshots, export/import, the 'auto' move to the GPU and recovery see one backend
// of R runs, as before. Results are those of the single-worker race bit for bit (shard.ts says why).
//
// Placement (placement.ts): runs start split evenly and move by measured cost; a race that does not
// gain from spreading (UNSPREAD_AFTER decisions in a row) goes back to one worker. The hosts come
// from a ShardPool (shardPool.ts).
// A spread race checkpoints every run's whole state and logs the calls since, so a crashed sub-worker
// is rebuilt with its runs (rebuild).
import type { Dataset, RunSnapshot, RunStatus } from '../../src/engine';
import type { TrainConfig } from '../../src/engine/types';
import {
  type BackendCounters,
  type BackendInfo,
  type Inits,
  initOf,
  type RunProgress,
  type TrainingBackend,
} from '../backend';
import { CPU_NAME_TS, CPU_NAME_WASM, cpuNameLive, cpuNameThreads } from './backend';
import { assertCpuCapacity } from './capacity';
import { CostMeter, evenPlacement, PlacementJudge, REBALANCE_EVERY_MS } from './placement';
import { type ShardKernels, type ShardRunProgress, unpackReports } from './shard';
import {
  CHECKPOINT_EVERY_MS,
  callOn,
  eachRun,
  everyShard,
  type LogOp,
  type RaceShards,
  replayOnto,
  type Saved,
} from './shardLog';
import type { ShardEndpoint, ShardPool } from './shardPool';
import { autoThreads } from './wasmLoad';

/** The status line's name of a race brought back to one worker from W because spreading did not pay. */
export const unspreadName = (name: string, W: number) =>
  name.replace(/\)$/, `, 1 worker: spreading over ${W} did not pay)`);

export interface ShardedCpuOptions {
  /** 'typescript' keeps the engine's own dense ops in every shard (default 'auto': WebAssembly SIMD where it runs). */
  kernels?: ShardKernels;
  /** GEMM threads for a race of one shard (default autoThreads(); a race over several shards uses 1 per shard). */
  threads?: number;
  /** How often the placement is reconsidered from measured costs, ms (default REBALANCE_EVERY_MS; Infinity: never). */
  rebalanceEveryMs?: number;
  /** Train a throwaway step of each kind of run at build (warm.ts; default true). A side measurement warms up itself. */
  warm?: boolean;
  /** How often every run's whole state is checkpointed for rebuilding a crashed sub-worker, ms (default CHECKPOINT_EVERY_MS). */
  checkpointEveryMs?: number;
  /** Go back to one worker when spreading does not pay (spreadPays; default true). */
  unspread?: boolean;
  /** ... that many decisions in a row (default UNSPREAD_AFTER). */
  unspreadAfter?: number;
}

export class ShardedCpuBackend implements TrainingBackend {
  readonly info: BackendInfo = { kind: 'cpu', name: CPU_NAME_TS, fallbackAdapter: false };
  private shards: ShardEndpoint[] = [];
  /** owner[r]: the shard run r lives in. */
  private owner: number[] = [];
  private cfgs: TrainConfig[] = [];
  private init: Inits = new Float32Array(0);
  private set = 0;
  private dataset = -1;
  /** Each run's measured cost since the last placement decision. */
  private meters: CostMeter[] = [];
  /** The race's wall time per step over its shards (train() calls), since the last decision. */
  private wall = new CostMeter();
  /** The name before spreading was given up (unspreadName). */
  private baseName = '';
  private ds: Dataset | null = null;
  private kernels = '';
  /**
   * A crashed sub-worker's runs are rebuilt from these: each run's config and whole state at the
   * last checkpoint (null: its initial weights), and every call since that changes a run, in order
   * (replayed on the new sub-worker: the runs are deterministic, so they reach the very state lost).
   */
  private checkpoint: Saved[] = [];
  private log: LogOp[] = [];
  /** A rebuild under way or done, by the crashed endpoint (calls failing together rebuild it once). */
  private rebuilding = new Map<ShardEndpoint, Promise<ShardRunProgress[]>>();
  private lastCheckpoint = 0;
  /** Sub-workers rebuilt after a crash (tests, status). */
  rebuilds = 0;
  /** Whether to go back to one worker and where runs move, from the decisions so far. */
  private judge = new PlacementJudge();
  private statuses: RunStatus[] = [];
  private lastPlaced = 0;
  /** GEMM threads of each shard's kernels (> 1 only with one shard). */
  private threads = 1;
  /** A live change a shard refused (setHyper is synchronous; the next call reports it). */
  private pending: unknown = null;

  constructor(
    private readonly pool: ShardPool,
    private readonly opts: ShardedCpuOptions = {},
  ) {}

  async build(cfgs: TrainConfig[], dataset: Dataset, init: Inits): Promise<void> {
    if (cfgs.length === 0) throw new Error('ShardedCpuBackend.build: no configs');
    assertCpuCapacity(cfgs, dataset);
    this.dispose();
    const { endpoints, kernels, threads } = await this.pool.endpoints(cfgs.length, this.opts.threads ?? autoThreads());
    const wasm = kernels !== 'typescript' && this.opts.kernels !== 'typescript';
    const W = endpoints.length;
    this.threads = W === 1 && wasm ? threads : 1;
    const name = !wasm ? CPU_NAME_TS : this.threads > 1 ? cpuNameThreads(this.threads) : CPU_NAME_WASM;
    // "CPU engine (WebAssembly SIMD, 2 workers)": the status line says how many threads train
    this.info.name = W > 1 ? name.replace(/\)$/, `, ${W} workers)`) : name;
    this.baseName = name;
    this.shards = endpoints;
    this.cfgs = cfgs.slice();
    this.init = init;
    this.set = this.pool.newSet();
    this.dataset = await this.pool.share(dataset, endpoints);
    this.ds = dataset;
    this.kernels = kernels;
    this.checkpoint = cfgs.map((cfg) => ({ cfg, state: null }));
    this.log = [];
    this.rebuilding.clear();
    this.lastCheckpoint = performance.now();
    this.owner = evenPlacement(cfgs.length, W);
    this.statuses = cfgs.map(() => 'ok');
    this.forgetCosts();
    this.judge = new PlacementJudge(this.opts.unspreadAfter);
    this.lastPlaced = performance.now();
    await this.all(
      endpoints.map((e) => () => e.open(this.set, this.dataset, this.opts.kernels ?? 'auto', this.threads)),
    );
    await this.all(cfgs.map((c, r) => () => this.at(r).add(this.set, r, c, initOf(init, r), null)));
    // Every shard trains a throwaway step of its kinds of runs now, in parallel: Play's first step is an ordinary one.
    if (this.opts.warm !== false) await this.all(endpoints.map((e) => () => e.warm(this.set)));
  }

  /** Shards in use (1: the plain CPU engine in this thread). */
  get workers(): number {
    return this.shards.length;
  }

  /** Placement decisions in a row in which spreading did not pay (tests). */
  get unpaid(): number {
    return this.judge.unpaid;
  }

  /** Run r's shard, per run (tests). */
  placement(): number[] {
    return this.owner.slice();
  }

  async train(n: number, early?: (part: (RunProgress | undefined)[]) => void): Promise<RunProgress[]> {
    this.rethrow();
    const R = this.cfgs.length;
    const t0 = performance.now();
    // The sub-workers' calls go out first, then shard 0 trains here while they train there. A
    // sub-worker answers with one transferred buffer of all its runs' columns (shard.ts PackedReports).
    const calls: Promise<ShardRunProgress[]>[] = [];
    const op: LogOp = { kind: 'train', n };
    if (this.shards.length > 1) this.log.push(op);
    for (let s = this.shards.length - 1; s >= 1; s--)
      calls[s] = this.pool.guardOne(this.shards[s], this.shards[s].trainPacked(this.set, n).then(unpackReports));
    calls[0] = this.shards[0].train(this.set, n);
    // shard 0's runs are done before any sub-worker's answer can arrive (a message, one round trip
    // away: 11-61 ms on a loaded machine): `early` hears them now (Play's first step is drawn from them)
    if (early && this.shards.length > 1)
      void calls[0].then(
        (reports) => {
          const part = new Array<RunProgress | undefined>(R);
          for (const { run, progress } of reports) part[run] = progress;
          early(part);
        },
        () => undefined, // the failure comes from the allSettled below
      );
    const reports = (await everyShard(this.race, calls, (s) => this.rebuild(s, op))).flat();
    // one shard here with a GEMM pool: the status line says so when a helper thread failed
    if (this.threads > 1) this.info.name = cpuNameLive(this.threads);
    const out = new Array<RunProgress>(R);
    let stepped = 0;
    for (const { run, progress, ms } of reports) {
      out[run] = progress;
      this.statuses[run] = progress.status;
      this.meters[run].add(ms, progress.steps.n);
      stepped = Math.max(stepped, progress.steps.n);
    }
    this.wall.add(performance.now() - t0, stepped);
    if (reports.length !== R) throw new Error(`ShardedCpuBackend: ${reports.length} of ${R} runs reported`);
    if (
      this.shards.length > 1 &&
      performance.now() - this.lastPlaced >= (this.opts.rebalanceEveryMs ?? REBALANCE_EVERY_MS)
    )
      await this.rebalance();
    if (
      this.shards.length > 1 &&
      performance.now() - this.lastCheckpoint >= (this.opts.checkpointEveryMs ?? CHECKPOINT_EVERY_MS)
    )
      await this.takeCheckpoint();
    return out;
  }

  /** Every run's whole state now: a crashed sub-worker's runs are rebuilt from here (the log restarts). */
  private async takeCheckpoint(): Promise<void> {
    const states = await Promise.all(this.cfgs.map((_, r) => this.call(r, (e) => e.exportState(this.set, r))));
    this.checkpoint = states.map((state, r) => ({ cfg: this.cfgs[r], state }));
    this.log = [];
    this.lastCheckpoint = performance.now();
  }

  /**
   * Shard s's sub-worker crashed during the call `failed` (in the log): a new sub-worker gets its
   * runs at the checkpoint and replays the log (train calls, live changes, resets, written weights
   * and states, in their order), which brings every run to where it was; the reports of `failed`
   * are this call's. Nothing is lost: the session sees the same rows as without the crash.
   */
  private rebuild(s: number, failed: LogOp | null): Promise<ShardRunProgress[]> {
    const dead = this.shards[s]; // calls that fail together rebuild it once
    const p = this.rebuilding.get(dead) ?? this.rebuildOn(s, failed);
    this.rebuilding.set(dead, p);
    return p;
  }

  private async rebuildOn(s: number, failed: LogOp | null): Promise<ShardRunProgress[]> {
    const e = await this.pool.replacement(this.ds!, this.kernels);
    this.shards[s] = e;
    await e.open(this.set, this.dataset, this.opts.kernels ?? 'auto', 1);
    const mine = (r: number) => this.owner[r] === s;
    const reports = await replayOnto(e, this.set, this.init, this.checkpoint, this.log, failed, mine, this.pool);
    this.rebuilds++;
    return reports;
  }

  /**
   * Reconsider the placement from the measured costs (CostMeter; or the given ones, ms per step:
   * tests): a stopped run costs 0; while a training run has no complete sample yet, nothing is
   * decided (the measurements go on). Moves runs only when the slowest shard gets REBALANCE_GAIN
   * faster and (confirm: measured costs) MOVE_AFTER decisions in a row suggest the same placement.
   * Returns the runs moved.
   */
  async rebalance(costs?: number[], confirm = costs === undefined): Promise<number> {
    const W = this.shards.length;
    const R = this.cfgs.length;
    if (W < 2) return 0;
    let cost = costs;
    if (!cost) {
      const measured = this.meters.map((m, r) => (this.statuses[r] !== 'ok' ? 0 : m.cost));
      // a training run not measured yet (too few ms so far): decide when every one is
      if (measured.some((c) => Number.isNaN(c))) return 0;
      cost = measured;
      const wall = this.wall.cost;
      const verdict = this.opts.unspread !== false && !Number.isNaN(wall) ? this.judge.spread(wall, cost) : 'pays';
      if (verdict !== 'pays') {
        // costs measured while the shards took turns move nothing; fresh ones decide again
        this.lastPlaced = performance.now();
        this.forgetCosts();
        return verdict === 'unspread' ? this.unspread() : 0;
      }
    }
    this.lastPlaced = performance.now();
    this.forgetCosts();
    if (cost.length !== R) throw new Error(`rebalance: ${cost.length} costs for ${R} runs`);
    const next = this.judge.moveTo(cost, W, this.owner, confirm);
    if (!next) return 0;
    // All moves at once: one round trip per shard to take the runs out, one to put them in.
    const moving = next.flatMap((to, r) => (to === this.owner[r] ? [] : [r]));
    await this.move(moving, next);
    return moving.length;
  }

  /**
   * Every run into shard 0 (this thread) with its whole state, the other shards closed: the race
   * trains in one worker from now on (until the next build), and the status line says why.
   * Returns the runs moved.
   */
  async unspread(): Promise<number> {
    const W = this.shards.length;
    if (W < 2) return 0;
    const moving = this.owner.flatMap((s, r) => (s === 0 ? [] : [r]));
    await this.move(
      moving,
      this.owner.map(() => 0),
    );
    for (const e of this.shards.slice(1)) e.close(this.set).catch(() => undefined);
    this.shards = this.shards.slice(0, 1);
    this.info.name = unspreadName(this.baseName, W);
    return moving.length;
  }

  /**
   * Runs `moving` to shard to[r] with their whole state: all taken out, then all put in. A crashed
   * sub-worker is rebuilt (its runs as before the move) and its part done again (eachRun).
   */
  private async move(moving: number[], to: number[]): Promise<void> {
    const states = await eachRun(
      this.race,
      moving,
      (r) => this.owner[r],
      (e, r) => e.remove(this.set, r),
    );
    const put = (e: ShardEndpoint, r: number, i: number) =>
      e.add(this.set, r, this.cfgs[r], initOf(this.init, r), states[i]);
    // in transit (owned by no shard): a sub-worker rebuilt meanwhile must not get back a run it gave
    for (const r of moving) this.owner[r] = -1;
    await eachRun(this.race, moving, (r) => to[r], put);
    for (const r of moving) this.owner[r] = to[r];
  }

  setHyper(run: number, cfg: TrainConfig): void {
    const e = this.at(run);
    this.cfgs[run] = cfg;
    if (this.shards.length > 1) this.log.push({ kind: 'setHyper', run, cfg });
    // Calls to one endpoint are served in order: the next train() sees the change.
    e.setHyper(this.set, run, cfg).catch((err: unknown) => {
      this.pending ??= err;
    });
    this.meters[run] = new CostMeter(); // a new optimizer may cost something else
  }

  async reset(): Promise<void> {
    this.rethrow();
    const op: LogOp = { kind: 'reset' };
    // logged: a sub-worker that crashes during it is rebuilt, and its replay of the log resets it
    if (this.shards.length > 1) this.log.push(op);
    const calls = this.shards.map((e) => this.pool.guardOne(e, e.reset(this.set)).then(() => []));
    await everyShard(this.race, calls, (s) => this.rebuild(s, op));
    this.statuses = this.cfgs.map(() => 'ok');
  }

  evaluate(run: number, split: 'train' | 'val'): Promise<{ loss: number; acc: number }> {
    return this.call(run, (e) => e.evaluate(this.set, run, split));
  }

  readParams(run: number): Promise<Float32Array> {
    return this.call(run, (e) => e.readParams(this.set, run));
  }

  writeParams(run: number, theta: Float32Array, lossBaseline?: number): Promise<void> {
    if (this.shards.length > 1) this.log.push({ kind: 'writeParams', run, theta: theta.slice(), lossBaseline });
    return this.call(run, (e) => e.writeParams(this.set, run, theta, lossBaseline), this.shards.length > 1);
  }

  exportState(run: number): Promise<RunSnapshot> {
    return this.call(run, (e) => e.exportState(this.set, run));
  }

  async importState(run: number, snapshot: RunSnapshot): Promise<void> {
    if (this.shards.length > 1) this.log.push({ kind: 'importState', run, state: structuredClone(snapshot) });
    await this.call(run, (e) => e.importState(this.set, run, snapshot), this.shards.length > 1);
    this.statuses[run] = snapshot.loop.status;
  }

  predict(run: number, x: Float32Array, n: number): Promise<Float32Array> {
    return this.call(run, (e) => e.predict(this.set, run, x, n));
  }

  /** Run 0's evaluation mode (its batch-norm running statistics) at each vector, as the CPU engine does. */
  lossAt(thetas: Float32Array[], split: 'train' | 'val'): Promise<Float32Array> {
    return this.call(0, (e) => e.lossAt(this.set, 0, thetas, split));
  }

  counters(): BackendCounters {
    return { buffers: 0, bytes: 0, dispatchesPerStep: 0, submitsPerStep: 0 };
  }

  dispose(): void {
    if (this.shards.length === 0) return;
    for (const e of this.shards) e.close(this.set).catch(() => undefined);
    this.pool.release(this.dataset);
    this.shards = [];
    this.owner = [];
  }

  private forgetCosts(): void {
    this.meters = this.cfgs.map(() => new CostMeter());
    this.wall = new CostMeter();
  }

  private rethrow(): void {
    const e = this.pending;
    if (e === null) return;
    this.pending = null;
    throw e;
  }

  private at(run: number): ShardEndpoint {
    const s = this.owner[run];
    if (!(Number.isInteger(run) && s !== undefined))
      throw new Error(`ShardedCpuBackend: no run ${run} (have ${this.cfgs.length})`);
    return this.shards[s];
  }

  /** fn on run's shard, surviving a crashed sub-worker (callOn; a logged write is not made again). */
  private call<T>(run: number, fn: (e: ShardEndpoint) => Promise<T>, logged = false): Promise<T> {
    this.rethrow();
    this.at(run); // names a run that does not exist
    return callOn(this.race, this.owner[run], fn, !logged);
  }

  /** The shards as eachRun and callOn see them. */
  private get race(): RaceShards {
    return { shard: (k) => this.shards[k], pool: this.pool, rebuild: (k) => this.rebuild(k, null) };
  }

  private async all(fns: (() => Promise<unknown>)[]): Promise<void> {
    await this.pool.guard(Promise.all(fns.map((f) => f())));
  }
}
