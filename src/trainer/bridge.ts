// The only page module that talks to the training worker. It registers ONE long-lived
// Comlink.proxy listener, writes streamed metrics into ring buffers (MetricsBuffer) and visuals
// into a VisualStore, both outside React, and publishes only the coarse state (worker health,
// run status, backend) to subscribers, e.g. the zustand run slice: at most ~20 times per second.
//
// Worker failure (an uncaught error in the worker, a message that cannot be read, or no answer
// to a heartbeat) turns into `worker: 'failed'` with the error; `restart()` starts a new worker
// and restores the last configs, backend choice, speed and visual options.
import * as Comlink from 'comlink';
import type {
  BackendChoice,
  BackendStatus,
  CreateOptions,
  PlannedChange,
  RegroupRun,
  Result,
  RunSetup,
  SetConfigResult,
  Speed,
  TrainerStatus,
  TrainerUpdate,
  VisualOptions,
  WeightSnapshots,
} from '../../workers/protocol';
import { DIGITS_PATH } from '../engine/data/digits';
import type { ImportedPoints } from '../engine/data/points';
import type { ActivationStats } from '../engine/diagnostics';
import type { RangeTestOptions, RangeTestResult } from '../engine/lrRange';
import type { RunSnapshot } from '../engine/snapshot';
import type { TrainConfig } from '../engine/types';
import type { BridgeOptions, BridgeState } from './bridgeState';
import { createTrainerClient, type TrainerClient } from './client';
import { MetricsBuffer } from './metricsBuffer';
import { VisualStore } from './visualStore';

type Listener = (state: BridgeState) => void;

export class TrainerBridge {
  readonly metrics = new MetricsBuffer();
  readonly visuals = new VisualStore();
  private client: TrainerClient;
  private state: BridgeState;
  private readonly listeners = new Set<Listener>();
  private readonly options: BridgeOptions;
  private speed: Speed = 'max';
  private points: ImportedPoints | null = null;
  private visualOptions: Partial<VisualOptions> = {};
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  /** Planned changes sent per run (setPlan), and how many the worker has applied (status.runs[r].planApplied). */
  private plans: PlannedChange[][] = [];
  private planSeen: number[] = [];
  /** regroup(): the history map to apply with the first update of the regrouped runs, and the count seen. */
  private remap: (number | null)[] | null = null;
  private regroupsSeen = 0;
  private pingOutstanding = 0;

  constructor(options: BridgeOptions = {}) {
    this.options = options;
    this.state = {
      worker: 'starting',
      error: null,
      status: null,
      setup: null,
      configs: [],
      backendChoice: options.backend ?? 'auto',
    };
    this.client = this.connect();
  }

  /** Current coarse state. */
  getState(): BridgeState {
    return this.state;
  }

  /** Call `fn` on every coarse change; returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  // ---------------------------------------------------------------- queries
  // Questions about the current runs. The raw remote never leaves the bridge: every call goes
  // through `query`, which refuses while the worker has failed (instead of waiting on a dead one).
  // A query that fails rejects to its caller (views show the error) without failing the worker.

  /** The kept weight snapshots of a run, plus its current weights (trajectories). */
  getSnapshots = (run: number): Promise<WeightSnapshots | null> => this.query(() => this.client.api.getSnapshots(run));
  /** The current weights of a run (export, keeping a run). */
  getParams = (run: number): Promise<Float32Array | null> => this.query(() => this.client.api.getParams(run));
  /** Model outputs over a whole split ([n, C] or [n, O]): confusion matrices, digit grids. */
  predictSplit = (run: number, split: 'train' | 'val'): Promise<Float32Array | null> =>
    this.query(() => this.client.api.predictSplit(run, split));
  /** The data loss at k weight vectors `thetas[k, P]` (loss surfaces). */
  lossAt = (thetas: Float32Array, k: number, split: 'train' | 'val'): Promise<Float32Array | null> =>
    this.query(() => this.client.api.lossAt(thetas, k, split));
  /** Learning-rate range test from a copy of run `run`'s state (the run is untouched). */
  lrRangeTest = (run: number, options?: Partial<RangeTestOptions>): Promise<Result<RangeTestResult> | null> =>
    this.query<Result<RangeTestResult> | null>(() => this.client.api.lrRangeTest(run, options));
  /** Dead / saturated unit fractions per hidden layer of run `run` (diagnostics panel). */
  activationStats = (run: number): Promise<ActivationStats[] | null> =>
    this.query(() => this.client.api.activationStats(run));
  /** Run `run`'s whole state (weights, batch-norm statistics, optimizer memory, loop): keeping a run. */
  exportState = (run: number): Promise<RunSnapshot | null> => this.query(() => this.client.api.exportState(run));
  /** Test hooks of the browser tests: lose the GPU device, crash the worker. */
  testLoseDevice = (): Promise<boolean> => this.query(() => this.client.api.testLoseDevice());
  testCrash = (): Promise<void> => this.query(() => this.client.api.testCrash());

  async create(configs: TrainConfig[], options: CreateOptions = {}): Promise<Result<RunSetup>> {
    const backend = options.backend ?? this.state.backendChoice;
    // The worker has no page base URL: tell it where the digits file is (only fetched for digits).
    const digitsUrl =
      options.digitsUrl ?? (typeof document !== 'undefined' ? new URL(DIGITS_PATH, document.baseURI).href : undefined);
    this.set({ configs: structuredClone(configs), backendChoice: backend });
    this.points = options.points ?? null; // imported data, restored by restart()
    const r = await this.guard<Result<RunSetup>>(() =>
      this.client.api.create(configs, {
        ...options,
        backend,
        digitsUrl,
        ...(this.options.cpuWorkers !== undefined && options.cpuWorkers === undefined
          ? { cpuWorkers: this.options.cpuWorkers }
          : {}),
      }),
    );
    if (r.ok) this.adoptSetup(r.value);
    return r;
  }

  async setConfig(run: number, config: TrainConfig): Promise<Result<SetConfigResult>> {
    const r = await this.guard<Result<SetConfigResult>>(() => this.client.api.setConfig(run, config));
    if (r.ok) {
      const configs = this.state.configs.slice();
      configs[run] = structuredClone(config);
      this.set({ configs });
      if (r.value.setup) this.adoptSetup(r.value.setup);
    }
    return r;
  }

  async setConfigs(configs: TrainConfig[]): Promise<Result<SetConfigResult>> {
    const r = await this.guard<Result<SetConfigResult>>(() => this.client.api.setConfigs(configs));
    if (r.ok) {
      this.set({ configs: structuredClone(configs) });
      if (r.value.setup) this.adoptSetup(r.value.setup);
    }
    return r;
  }

  /**
   * Regroup the runs from their current states (branch from here; drop a branch). The page keeps
   * the history of each run that continues; a second copy of a run (the branch) starts empty.
   */
  async regroup(runs: RegroupRun[]): Promise<Result<RunSetup>> {
    const seen = new Set<number>();
    const map = runs.map((r) => {
      const keep = !seen.has(r.from);
      seen.add(r.from);
      return keep ? r.from : null;
    });
    this.remap = map;
    const plans = map.map((f) => (f === null ? [] : (this.plans[f] ?? [])));
    const planSeen = map.map((f) => (f === null ? 0 : (this.planSeen[f] ?? 0)));
    const r = await this.guard<Result<RunSetup>>(() => this.client.api.regroup(runs));
    if (!r.ok) {
      this.remap = null;
      return r;
    }
    if (this.remap) this.applyRemap(); // no update came first (no listener): map now
    this.plans = plans;
    this.planSeen = planSeen;
    this.set({ configs: structuredClone(runs.map((x) => x.config)), setup: r.value });
    return r;
  }

  /** Plan changes of run `run` at their steps (a shared link's change list). */
  async setPlan(run: number, plan: PlannedChange[]): Promise<Result<number>> {
    const r = await this.guard<Result<number>>(() => this.client.api.setPlan(run, plan));
    if (r.ok) {
      this.plans[run] = structuredClone(plan);
      this.planSeen[run] = 0;
    }
    return r;
  }

  start = (): Promise<TrainerStatus> => this.statusCall(() => this.client.api.start());
  pause = (): Promise<TrainerStatus> => this.statusCall(() => this.client.api.pause());
  step = (n = 1): Promise<TrainerStatus> => this.statusCall(() => this.client.api.step(n));
  reset = (): Promise<TrainerStatus> => this.statusCall(() => this.client.api.reset());

  async setSpeed(speed: Speed): Promise<void> {
    this.speed = speed;
    await this.guard(() => this.client.api.setSpeed(speed));
  }

  async setVisuals(options: Partial<VisualOptions>): Promise<VisualOptions> {
    this.visualOptions = { ...this.visualOptions, ...options };
    return this.guard(() => this.client.api.setVisuals(options));
  }

  async setBackend(choice: BackendChoice): Promise<BackendStatus | null> {
    this.set({ backendChoice: choice });
    return this.guard(() => this.client.api.setBackend(choice));
  }

  /**
   * Start a new worker and restore the last configs, backend choice, speed and visual options.
   * History restarts (the new worker counts generations from 0 again).
   */
  async restart(): Promise<Result<RunSetup> | null> {
    this.client.terminate();
    this.metrics.reset(-1, 0);
    this.visuals.reset(-1, 0);
    this.set({ worker: 'starting', error: null, status: null, setup: null });
    this.client = this.connect();
    await this.guard(() => this.client.api.setSpeed(this.speed));
    await this.guard(() => this.client.api.setVisuals(this.visualOptions));
    if (this.state.configs.length === 0) return null;
    return this.create(this.state.configs, { points: this.points });
  }

  /** Stop the worker for good (page unload, tests). */
  dispose(): void {
    this.stopHeartbeat();
    this.client.terminate();
    this.listeners.clear();
  }

  // ------------------------------------------------------------------ internals

  private connect(): TrainerClient {
    const client = (this.options.createClient ?? createTrainerClient)();
    client.worker.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      if (client === this.client) this.fail(`The training worker crashed: ${e.message || 'unknown error'}`);
    });
    client.worker.addEventListener('messageerror', () => {
      if (client === this.client) this.fail('The training worker sent a message the page could not read.');
    });
    const listener = Comlink.proxy((u: TrainerUpdate) => {
      if (client === this.client) this.onUpdate(u);
    });
    client.api
      .subscribe(listener)
      .then(() => {
        if (client === this.client && this.state.worker === 'starting') this.set({ worker: 'ready' });
        if (client === this.client) this.watchLife(client);
      })
      .catch((e: unknown) => {
        if (client === this.client) this.fail(`The training worker did not start: ${String(e)}`);
      });
    this.startHeartbeat(client);
    return client;
  }

  /**
   * Notice a terminated worker at once: it holds a Web Lock for its whole life, and our request
   * for the same lock is granted only when it is gone (no error event fires for a terminated worker).
   */
  private watchLife(client: TrainerClient): void {
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    if (!locks || typeof crypto?.randomUUID !== 'function') return;
    const name = `descent-trainer-${crypto.randomUUID()}`;
    client.api.holdLifeLock(name).then(
      (held) => {
        if (!held || client !== this.client) return;
        void locks.request(name, () => {
          if (client === this.client) this.fail('The training worker stopped (it was terminated).');
        });
      },
      () => undefined,
    );
  }

  private onUpdate(u: TrainerUpdate): void {
    const runs = u.status.runs.length;
    if (u.generation > this.metrics.generation) {
      this.plans = []; // reset or rebuilt: the worker dropped its plan
      this.planSeen = [];
    }
    if (u.status.regroups > this.regroupsSeen) {
      this.regroupsSeen = u.status.regroups;
      if (this.remap && u.generation === this.metrics.generation) this.applyRemap();
    }
    this.metrics.append(u.generation, runs, u.metrics);
    if (u.visuals) this.visuals.apply(u.generation, runs, u.visuals);
    if (u.generation >= (this.state.status?.generation ?? -1)) {
      const configs = this.plannedConfigs(u.status);
      this.set(configs ? { status: u.status, configs } : { status: u.status });
    }
  }

  private applyRemap(): void {
    if (!this.remap) return;
    this.metrics.remap(this.remap);
    this.visuals.reset(this.visuals.generation, this.remap.length);
    this.remap = null;
  }

  /** The configs after planned changes the worker applied since the last update, else null. */
  private plannedConfigs(st: TrainerStatus): TrainConfig[] | null {
    let configs: TrainConfig[] | null = null;
    st.runs.forEach((r, i) => {
      const plan = this.plans[i];
      if (!plan || r.planApplied === (this.planSeen[i] ?? 0)) return;
      this.planSeen[i] = r.planApplied;
      const c = plan[r.planApplied - 1];
      if (!c) return;
      configs ??= this.state.configs.slice();
      configs[i] = structuredClone(c.config);
    });
    return configs;
  }

  private adoptSetup(setup: RunSetup): void {
    // a new generation has no plan (a rebuild, a reset); setPlan sends the next one
    if (setup.generation > this.metrics.generation) {
      this.plans = [];
      this.planSeen = [];
      this.metrics.reset(setup.generation, setup.runs);
      this.visuals.reset(setup.generation, setup.runs);
    }
    this.set({ setup });
  }

  private async statusCall(call: () => Promise<TrainerStatus>): Promise<TrainerStatus> {
    const status = await this.guard<TrainerStatus>(call);
    if (status.generation >= (this.state.status?.generation ?? -1)) this.set({ status });
    return status;
  }

  /** Run a worker call; a rejection (worker gone, structured-clone failure) marks the worker failed. */
  private query<T>(call: () => Promise<T>): Promise<T> {
    if (this.state.worker === 'failed')
      return Promise.reject(new Error(this.state.error ?? 'the training worker has failed'));
    return call();
  }

  private async guard<T>(call: () => Promise<unknown>): Promise<T> {
    try {
      return (await call()) as T;
    } catch (e) {
      this.fail(`A call to the training worker failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  private startHeartbeat(client: TrainerClient): void {
    this.stopHeartbeat();
    const every = this.options.heartbeatMs ?? 1000;
    const timeout = this.options.heartbeatTimeoutMs ?? 10_000;
    this.pingOutstanding = 0;
    let lastReply = performance.now();
    this.heartbeat = setInterval(() => {
      if (client !== this.client || this.state.worker === 'failed') return;
      if (performance.now() - lastReply > timeout) {
        this.fail(`The training worker stopped answering (no reply for ${Math.round(timeout / 1000)} s).`);
        return;
      }
      if (this.pingOutstanding > 0) return;
      this.pingOutstanding++;
      client.api.getStatus().then(
        () => {
          this.pingOutstanding = 0;
          lastReply = performance.now();
        },
        () => {
          this.pingOutstanding = 0;
        },
      );
    }, every);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private fail(error: string): void {
    if (this.state.worker === 'failed') return;
    this.set({ worker: 'failed', error, status: this.state.status ? { ...this.state.status, running: false } : null });
  }

  private set(patch: Partial<BridgeState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn(this.state);
  }
}
