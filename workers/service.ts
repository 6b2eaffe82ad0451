// The object the worker exposes (TrainerApi): runs built from validated configs, the controls
// of the paced loop (core.ts), live changes, backend switching and the requests of the charts.
// Every failure is a value: a rejected config naming its field, a run status, a notice. Node
// tests drive it directly over the CPU backend; trainer.worker.ts exposes it with Comlink.
import {
  type ActivationStats,
  activationStats,
  lrRangeTest,
  needsRebuild,
  RANGE_TEST_DEFAULTS,
  type RangeTestOptions,
  type RangeTestResult,
  type RunSnapshot,
  rangeTestProblem,
} from '../src/engine';
import { gpuRefusal } from '../src/engine/optimizers/registry';
import type { TrainConfig } from '../src/engine/types';
import { moveToCpu, switchBackend } from './build';
import { now, TrainerCore } from './core';
import { MAX_SHARDS } from './cpu/shardPool';
import type {
  BackendChoice,
  BackendStatus,
  BoundaryGrid,
  CreateOptions,
  PlannedChange,
  RegroupRun,
  Result,
  RunSetup,
  SetConfigResult,
  Speed,
  TrainerApi,
  TrainerListener,
  TrainerStatus,
  VisualOptions,
  WeightSnapshots,
} from './protocol';
import { boundaryFor, lossAtFor, predictSplitFor, snapshotsFor } from './queries';
import { configProblems, ok, rejected, sharedMismatch } from './validate';
import { mergeVisualOptions } from './visuals';

export type { ServiceEnv } from './core';

const CHOICES: readonly BackendChoice[] = ['auto', 'cpu', 'webgpu'];

/** The field of b that would rebuild a run configured as a (named as the compare-set check names it), else null. */
function rebuildField(a: TrainConfig, b: TrainConfig): string | null {
  return needsRebuild(a, b) ? (sharedMismatch(a, b) ?? 'model') : null;
}

export class TrainerService extends TrainerCore implements TrainerApi {
  async subscribe(listener: TrainerListener): Promise<void> {
    this.listener = listener;
  }

  create(configs: TrainConfig[], options: CreateOptions = {}): Promise<Result<RunSetup>> {
    return this.exclusive(async () => {
      if (options.backend !== undefined && !CHOICES.includes(options.backend))
        return rejected([
          { field: 'backend', message: `${String(options.backend)} is not one of ${CHOICES.join(', ')}` },
        ]);
      const w = options.cpuWorkers;
      if (w !== undefined && !(Number.isInteger(w) && w >= 1 && w <= MAX_SHARDS))
        return rejected([
          { field: 'cpuWorkers', message: `${String(w)} is not a whole number from 1 to ${MAX_SHARDS}` },
        ]);
      const problems = configProblems(configs);
      if (problems.length > 0) return rejected(problems);
      this.env.cpuWorkers?.(w ?? null);
      this.choice = options.backend ?? this.choice;
      if (this.choice !== 'cpu') this.env.factories.connectGpu?.();
      if (options.digitsUrl) this.digitsUrl = options.digitsUrl;
      const keptPoints = this.points;
      this.points = options.points ?? null;
      const built = await this.build(structuredClone(configs));
      if (!built.ok) {
        this.points = keptPoints; // the runs that keep training still use their data
        return built;
      }
      this.adopt(built.value);
      if (options.start) this.startLoop();
      return ok(built.value.setup(this.generation));
    });
  }

  setConfig(run: number, config: TrainConfig): Promise<Result<SetConfigResult>> {
    const s = this.session;
    if (!s || !(Number.isInteger(run) && run >= 0 && run < s.runs))
      return Promise.resolve(rejected([{ field: 'run', message: `no run ${run} (there are ${s?.runs ?? 0})` }]));
    const configs = s.configs.slice();
    configs[run] = config;
    return this.setConfigs(configs);
  }

  setConfigs(configs: TrainConfig[]): Promise<Result<SetConfigResult>> {
    return this.exclusive(async (): Promise<Result<SetConfigResult>> => {
      const problems = configProblems(configs);
      if (problems.length > 0) return rejected(problems);
      const cfgs = structuredClone(configs);
      const s = this.session;
      if (!s || cfgs.length !== s.runs || cfgs.some((c, i) => needsRebuild(s.configs[i], c))) {
        const built = await this.build(cfgs);
        if (!built.ok) return built;
        this.adopt(built.value);
        return ok({ rebuilt: true, setup: built.value.setup(this.generation), atStep: 0 });
      }
      // a switch to a rule the WebGPU backend lacks (spec gpuUnsupported): continue on the CPU engine
      const refused =
        s.backend.info.kind === 'webgpu' ? cfgs.map((c) => gpuRefusal(c.optimizer.name)).find(Boolean) : null;
      if (refused) await this.guarded(() => moveToCpu(s, this.env.factories, refused));
      // the step the change applies at: the loop trains under this lock, so no step slips between
      const atStep = s.step;
      for (let i = 0; i < cfgs.length; i++)
        if (JSON.stringify(cfgs[i]) !== JSON.stringify(s.configs[i])) {
          s.dropPlan(i); // a live change takes over from a replayed plan
          await this.guarded(() => s.setHyper(i, cfgs[i]));
        }
      if (!this.running) this.emit(null);
      return ok({ rebuilt: false, setup: null, atStep });
    });
  }

  regroup(runs: RegroupRun[]): Promise<Result<RunSetup>> {
    this.running = false;
    return this.exclusive(async (): Promise<Result<RunSetup>> => {
      const s = this.session;
      if (!s) return rejected([{ field: 'runs', message: 'there are no runs to branch from' }]);
      if (!Array.isArray(runs) || runs.length === 0)
        return rejected([{ field: 'runs', message: 'expected a list of runs' }]);
      const bad = runs.findIndex((r) => !(Number.isInteger(r?.from) && r.from >= 0 && r.from < s.runs));
      if (bad >= 0)
        return rejected([
          { field: `runs[${bad}].from`, message: `no run ${String(runs[bad]?.from)} (there are ${s.runs})` },
        ]);
      const cfgs = structuredClone(runs.map((r) => r.config));
      const problems = configProblems(cfgs);
      if (problems.length > 0) return rejected(problems);
      for (let i = 0; i < runs.length; i++) {
        const field = sharedMismatch(s.configs[runs[i].from], cfgs[i]);
        if (field)
          return rejected([
            {
              field: `runs[${i}].${field}`,
              message: 'a branch continues the same network on the same data: change hyperparameters only',
            },
          ]);
      }
      this.emit(null); // the rows of the current runs go out first, under their old numbers
      const states = [];
      for (let r = 0; r < s.runs; r++) states.push(await s.backend.exportState(r));
      const built = await this.build(cfgs);
      if (!built.ok) return built;
      const n = built.value;
      const taken = new Set<number>();
      for (let i = 0; i < runs.length; i++) {
        const from = runs[i].from;
        await n.backend.importState(i, states[from]);
        n.tracks[i] = { ...s.tracks[from] };
        n.snapshots[i] = s.snapshots[from].clone();
        n.checkpoint[i] = states[from];
        // the first run continuing `from` keeps its plan; a copy (a branch) starts without one
        if (!taken.has(from)) {
          n.plans[i] = s.plans[from];
          n.planApplied[i] = s.planApplied[from];
        }
        taken.add(from);
        n.collectors[i].resumeStep = n.tracks[i].step;
        n.collectors[i].resumeEpoch = n.tracks[i].completedEpochs;
      }
      n.checkpointStep = s.step;
      n.backendStatus.deviceLosses = s.backendStatus.deviceLosses;
      // the same generation: the page keeps the curves of the runs that continue
      this.regroups++;
      this.session = n;
      n.onLost = (b, reason) => this.deviceLost(n, b, reason);
      s.backend.dispose();
      this.pacer.forget();
      this.pacer.restart(now(), n.step);
      this.emit(await this.visualsNow());
      this.startProbe(n);
      return ok(n.setup(this.generation));
    });
  }

  setPlan(run: number, plan: PlannedChange[]): Promise<Result<number>> {
    return this.exclusive(async (): Promise<Result<number>> => {
      const s = this.session;
      if (!s || !(Number.isInteger(run) && run >= 0 && run < s.runs))
        return rejected([{ field: 'run', message: `no run ${run} (there are ${s?.runs ?? 0})` }]);
      if (!Array.isArray(plan)) return rejected([{ field: 'plan', message: 'expected a list of changes' }]);
      let last = s.tracks[run].step;
      for (let i = 0; i < plan.length; i++) {
        const c = plan[i];
        if (!(Number.isInteger(c?.step) && c.step >= last))
          return rejected([
            { field: `plan[${i}].step`, message: `must be a whole step, in order, at or after step ${last}` },
          ]);
        last = c.step;
        const problems = configProblems([c.config]);
        if (problems.length > 0)
          return rejected(problems.map((p) => ({ field: `plan[${i}].${p.field}`, message: p.message })));
        const field = rebuildField(s.configs[run], c.config);
        if (field)
          return rejected([
            { field: `plan[${i}].${field}`, message: 'cannot change during a run (it rebuilds the network)' },
          ]);
      }
      s.plans[run] = structuredClone(plan);
      s.planApplied[run] = 0;
      return ok(plan.length);
    });
  }

  exportState(run: number): Promise<RunSnapshot | null> {
    return this.withRun(run, (s) => s.backend.exportState(run));
  }

  async start(): Promise<TrainerStatus> {
    this.startLoop();
    return this.status();
  }

  pause(): Promise<TrainerStatus> {
    this.running = false;
    // Behind any chunk in flight, so the last metrics go out with the final status, then silence.
    return this.exclusive(async () => {
      this.emit(null);
      return this.status();
    });
  }

  step(n: number): Promise<TrainerStatus> {
    this.running = false;
    return this.exclusive(async () => {
      const s = this.session;
      const total = Math.max(0, Math.min(1e6, Math.floor(Number(n) || 0)));
      if (s) {
        // Counted by the runs' own step, so a chunk lost with a GPU device is redone on the new one.
        const target = s.step + total;
        for (let tries = 0; s === this.session && s.anyTraining() && s.step < target && tries < total + 8; tries++) {
          const k = Math.min(target - s.step, this.pacer.sliceSteps());
          const t0 = now();
          const done = await this.guarded(() => s.train(k));
          // measured here too, so the slices grow to the pacer's size (it starts at 1 step)
          if (done !== null && done > 0) this.pacer.observe(done, now() - t0);
        }
      }
      this.emit(await this.visualsNow());
      return this.status();
    });
  }

  reset(): Promise<TrainerStatus> {
    return this.exclusive(async () => {
      const s = this.session;
      if (!s) return this.status();
      await this.guarded(() => s.reset());
      this.generation++;
      this.notice = null;
      this.pacer.restart(now(), 0);
      this.meter.begin(now());
      this.emit(await this.visualsNow());
      if (this.running) this.schedule(0, true);
      return this.status();
    });
  }

  async setSpeed(speed: Speed): Promise<void> {
    this.pacer.setSpeed(speed, now(), this.session?.step ?? 0);
    if (this.running) this.schedule(0, true);
  }

  async setVisuals(options: Partial<VisualOptions>): Promise<VisualOptions> {
    this.visualOpts = mergeVisualOptions(this.visualOpts, options ?? {});
    this.lastVisual = 0;
    return { ...this.visualOpts };
  }

  getStatus(): Promise<TrainerStatus> {
    return Promise.resolve(this.status());
  }

  setBackend(choice: BackendChoice): Promise<BackendStatus | null> {
    if (!CHOICES.includes(choice))
      return Promise.reject(new Error(`backend: ${String(choice)} is not one of ${CHOICES.join(', ')}`));
    this.choice = choice;
    if (choice !== 'cpu') this.env.factories.connectGpu?.();
    return this.exclusive(async () => {
      const s = this.session;
      if (!s) return null;
      this.notice = await switchBackend(s, this.context());
      if (!this.running) this.emit(null);
      this.startProbe(s);
      return { ...s.backendStatus };
    });
  }

  getBoundary(run: number, res = this.visualOpts.boundaryRes): Promise<BoundaryGrid | null> {
    return this.withRun(run, (s) => boundaryFor(s, run, res));
  }

  getSnapshots(run: number): Promise<WeightSnapshots | null> {
    return this.withRun(run, (s) => snapshotsFor(s, run));
  }

  getParams(run: number): Promise<Float32Array | null> {
    return this.withRun(run, (s) => s.backend.readParams(run));
  }

  predictSplit(run: number, split: 'train' | 'val'): Promise<Float32Array | null> {
    return this.withRun(run, (s) => predictSplitFor(s, run, split));
  }

  evaluate(run: number, split: 'train' | 'val'): Promise<{ loss: number; acc: number } | null> {
    return this.withRun(run, (s) => s.backend.evaluate(run, split));
  }

  lossAt(thetas: Float32Array, k: number, split: 'train' | 'val'): Promise<Float32Array | null> {
    return this.withRun(0, (s) => lossAtFor(s, thetas, k, split));
  }

  /** The range test on a copy of the run's exported state (the session's runs are only read). */
  lrRangeTest(run: number, options: Partial<RangeTestOptions> = {}): Promise<Result<RangeTestResult> | null> {
    const o = { ...RANGE_TEST_DEFAULTS, ...options };
    const problem = rangeTestProblem(o);
    if (problem) {
      const [field, ...rest] = problem.split(': ');
      return Promise.resolve(rejected([{ field: `rangeTest.${field}`, message: rest.join(': ') }]));
    }
    return this.withRun(run, async (s) => {
      const state = await s.backend.exportState(run);
      return ok(lrRangeTest(s.configs[run], s.dataset, state, o));
    });
  }

  /** Activation statistics of the run's current weights and batch-norm statistics (diagnostics). */
  activationStats(run: number): Promise<ActivationStats[] | null> {
    return this.withRun(run, async (s) => {
      const st = await s.backend.exportState(run);
      return activationStats(s.layout, st.theta, st.bnStats, s.configs[run].model, s.dataset);
    });
  }

  dispose(): Promise<void> {
    this.running = false;
    return this.exclusive(async () => {
      this.session?.backend.dispose();
      this.session = null;
      this.env.dispose?.();
    });
  }

  /** Test hook: settles when the 'auto' probe in flight (workers/handoff.ts) has decided and moved. */
  testProbed(): Promise<void> {
    return this.probing;
  }

  testLoseDevice(): Promise<boolean> {
    return this.exclusive(async () => {
      const b = this.session?.backend as { simulateDeviceLoss?: () => void } | undefined;
      if (!b || this.session?.backend.info.kind !== 'webgpu' || typeof b.simulateDeviceLoss !== 'function')
        return false;
      b.simulateDeviceLoss();
      return true;
    });
  }

  holdLifeLock(name: string): Promise<boolean> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (!locks || typeof name !== 'string') return Promise.resolve(false);
    return new Promise((resolve) => {
      // The callback's promise never settles: the lock is released only with the worker itself.
      locks
        .request(name, () => {
          resolve(true);
          return new Promise<void>(() => {});
        })
        .catch(() => resolve(false));
    });
  }

  async testCrash(): Promise<void> {
    setTimeout(() => {
      throw new Error('testCrash: a simulated crash inside the training worker');
    }, 0);
  }
}
