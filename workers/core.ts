// The training loop and the stream inside the worker, under the API (service.ts): the paced
// loop that trains in short turns and yields, the batched updates to the page's listener, the
// status, and the two guards every backend use goes through: `exclusive` (one backend use at a
// time: the loop and API calls interleave at awaits, the GPU being asynchronous) and `guarded`
// (a failure becomes a recovery or a notice, never an exception in the loop).
import * as Comlink from 'comlink';
import type { ImportedPoints } from '../src/engine/data/points';
import type { TrainConfig } from '../src/engine/types';
import type { TrainingBackend } from './backend';
import { type BuildContext, buildSession } from './build';
import { probeAndMove } from './handoff';
import { Pacer, RateMeter } from './pacer';
import type { BackendChoice, Result, TrainerListener, TrainerStatus, VisualOptions, Visuals } from './protocol';
import { visualsFor } from './queries';
import { recoverBackend } from './recover';
import type { BackendFactories, CalibrationCache } from './select';
import type { Session } from './session';
import { FLUSH_INTERVAL_MS, transferables } from './stream';
import { DEFAULT_VISUALS } from './visuals';

export interface ServiceEnv {
  factories: BackendFactories;
  /** Run fn soon, after pending messages (a MessageChannel in the worker; setTimeout by default). */
  yieldNow?: (fn: () => void) => void;
  /** Where the digits file is when create() does not say (Node: undefined = the repository's copy). */
  digitsUrl?: string;
  /**
   * create() passes CreateOptions.cpuWorkers here (null: the default, one per core): the most
   * workers a race on the CPU engine is spread over (workers/cpu/sharded.ts).
   */
  cpuWorkers?: (n: number | null) => void;
  /** How long the 'auto' probe waits for a Play before it measures the CPU on the side (default SIDE_WAIT_MS; tests). */
  sideWaitMs?: number;
  /** The service is torn down (TrainerService.dispose, after its backend): end what the env started (the CPU sub-workers). */
  dispose?: () => void;
}

export const now = () => performance.now();
/** The longest the 'auto' probe waits for a Play's first step to be shown before it goes on, ms. */
const FIRST_STEP_WAIT_MS = 5000;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class TrainerCore {
  protected listener: TrainerListener | null = null;
  protected session: Session | null = null;
  protected generation = 0;
  protected running = false;
  protected choice: BackendChoice = 'auto';
  protected digitsUrl: string | undefined;
  protected points: ImportedPoints | null = null;
  protected visualOpts: VisualOptions = { ...DEFAULT_VISUALS };
  protected notice: string | null = null;
  protected regroups = 0;
  protected lastFlush = 0;
  protected lastVisual = 0;
  protected turnScheduled = false;
  protected turnActive = false;
  protected timer: ReturnType<typeof setTimeout> | null = null;
  protected lock: Promise<unknown> = Promise.resolve();
  protected readonly pacer = new Pacer();
  protected readonly meter = new RateMeter();
  protected readonly calibrations: CalibrationCache = new Map();
  protected readonly yieldNow: (fn: () => void) => void;

  constructor(protected readonly env: ServiceEnv) {
    this.yieldNow = env.yieldNow ?? ((fn) => setTimeout(fn, 0));
    this.digitsUrl = env.digitsUrl;
  }

  protected build(cfgs: TrainConfig[]): Promise<Result<Session>> {
    return buildSession(cfgs, this.context());
  }

  protected context(): BuildContext {
    const { choice, calibrations, digitsUrl, points } = this;
    return { choice, factories: this.env.factories, calibrations, digitsUrl, points };
  }

  protected adopt(next: Session): void {
    const old = this.session;
    this.session = next;
    next.onLost = (b, reason) => this.deviceLost(next, b, reason);
    if (old) old.backend.dispose();
    this.generation++;
    this.notice = null;
    this.pacer.forget();
    this.pacer.restart(now(), 0);
    this.meter.begin(now());
    this.lastVisual = 0;
    this.emit(null);
    if (this.running) this.schedule(0, true);
    this.startProbe(next);
  }

  /** Each probe's number; a newer one (or another session, or a choice other than 'auto') ends the older. */
  protected probeToken = 0;
  /** The probe in flight (tests await it), else a settled promise. */
  protected probing: Promise<void> = Promise.resolve();

  /** 'auto' built the session on the CPU: measure WebGPU on the side and move there when faster (handoff.ts). */
  protected startProbe(s: Session): void {
    if (!s.probe) return;
    s.probe = false;
    const token = ++this.probeToken;
    this.probing = probeAndMove(s, {
      factories: this.env.factories,
      cache: this.calibrations,
      alive: () => token === this.probeToken && this.session === s && this.choice === 'auto',
      exclusive: (fn) => this.exclusive(fn),
      changed: (notice) => {
        if (notice) {
          this.notice = notice;
          this.pacer.forget(); // the runs moved: a step costs something else there
        }
        this.emit(null);
      },
      firstStepShown: () => this.firstStepShown(),
      sideWaitMs: this.env.sideWaitMs,
    });
  }

  /**
   * Resolves once no Play is waiting for its first step to reach the page (polled every 4 ms; never
   * longer than FIRST_STEP_WAIT_MS, so a probe is not held up by a step that cannot come). The first
   * look comes after a yield to the messages already queued: a Play the page has sent is seen here
   * even when the probe's work so far never left the thread (the CPU engine's calls are synchronous).
   */
  protected firstStepShown(): Promise<void> {
    const t0 = now();
    return new Promise((resolve) => {
      const check = () => {
        if (!(this.running && this.firstSincePlay) || now() - t0 > FIRST_STEP_WAIT_MS) resolve();
        else setTimeout(check, 4);
      };
      this.yieldNow(check);
    });
  }

  protected startLoop(): void {
    const s = this.session;
    if (!s?.anyTraining() || this.running) return;
    this.running = true;
    this.pacer.restart(now(), s.step);
    this.meter.begin(now());
    this.emit(null);
    this.firstSincePlay = true;
    // Play's first turn starts in this task (a microtask), not after a yield: the yield is a message
    // to this thread, one more hop a loaded machine stretches (traced: 1-17 ms from the start message
    // to the turn at load 8-17). What comes in meanwhile waits for that turn: one step, the pacer's
    // first on a network (or a slice, SLICE_MS, when it knows the cost).
    this.schedule(0, true, true);
  }

  /**
   * Schedule the next turn after waitMs (0: right after pending messages; `now`: in this task, before
   * them). At most one turn is pending or running at a time; `restart` cancels a pending wait (a new
   * speed, start, rebuild).
   */
  protected schedule(waitMs: number, restart = false, now = false): void {
    if (restart && this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
      this.turnScheduled = false;
    }
    if (this.turnScheduled || this.turnActive) return;
    this.turnScheduled = true;
    const go = async () => {
      this.timer = null;
      this.turnScheduled = false;
      this.turnActive = true;
      let wait: number | null = null;
      try {
        wait = await this.turn();
      } finally {
        this.turnActive = false;
      }
      if (wait !== null && this.running) this.schedule(wait);
    };
    if (waitMs > 0) this.timer = setTimeout(go, waitMs);
    else if (now) queueMicrotask(() => void go());
    else this.yieldNow(go);
  }

  /** One turn: train what the pacer allows (one slice at most), stream if due. Returns the wait before the next, or null. */
  protected async turn(): Promise<number | null> {
    const s = this.session;
    if (!this.running || !s) return null;
    const plan = this.pacer.plan(now(), s.step);
    if (plan.steps > 0) {
      await this.exclusive(async () => {
        if (!this.running || s !== this.session) return;
        const t0 = now();
        // Play's first step goes out as soon as any run has it (a race over workers: this thread's
        // runs), the other runs' rows right after they come in, not at the next flush
        let sentEarly = false;
        const early = this.firstSincePlay
          ? () => {
              sentEarly = this.sendFirstStep() || sentEarly;
            }
          : undefined;
        const done = await this.guarded(() => s.train(plan.steps, early));
        if (sentEarly && s === this.session) this.emit(null);
        if (done !== null && done > 0) {
          this.pacer.observe(done, now() - t0);
          this.meter.add(now(), done);
        }
      });
    }
    if (!this.running) return null; // paused meanwhile: pause() sent the final update
    if (this.session && !this.session.anyTraining()) {
      this.running = false; // every run stopped (diverged, early-stopped, finished)
      this.emit(await this.exclusive(() => this.visualsNow()));
      return null;
    }
    await this.maybeEmit();
    return plan.steps > 0 ? 0 : plan.waitMs;
  }

  /** Set by Play: the first step taken goes to the page at once, not after FLUSH_INTERVAL_MS. */
  protected firstSincePlay = false;

  /** Send the first step taken since Play at once (true), unless it went out already or none was taken. */
  protected sendFirstStep(): boolean {
    if (!(this.firstSincePlay && this.session?.collectors.some((c) => c.pending > 0))) return false;
    this.firstSincePlay = false;
    this.emit(null);
    return true;
  }

  protected async maybeEmit(): Promise<void> {
    const t = now();
    if (this.sendFirstStep()) return;
    if (this.wantsVisuals() && t - this.lastVisual >= this.visualOpts.intervalMs) {
      this.lastVisual = t;
      this.emit(await this.exclusive(() => this.visualsNow()));
    } else if (t - this.lastFlush >= FLUSH_INTERVAL_MS) {
      this.emit(null);
    }
  }

  /** Send pending metrics, the status and optional visuals to the listener (typed arrays transferred). */
  protected emit(visuals: Visuals | null): void {
    this.lastFlush = now();
    const metrics = this.session ? this.session.collectors.flatMap((c) => c.flush() ?? []) : [];
    if (!this.listener) return;
    const u = { generation: this.generation, status: this.status(), metrics, visuals };
    try {
      const r = this.listener(Comlink.transfer(u, transferables(u))) as unknown;
      // Through Comlink the call returns a promise; a page that went away must not crash the loop.
      if (r instanceof Promise) r.catch(() => undefined);
    } catch {
      // Same for a synchronous listener (tests).
    }
  }

  protected wantsVisuals(): boolean {
    const v = this.visualOpts;
    return v.boundary || v.histograms || v.weights;
  }

  /** Visuals of every run per the options (call inside `exclusive`), or null when none are wanted. */
  protected async visualsNow(): Promise<Visuals | null> {
    const s = this.session;
    if (!s || !this.wantsVisuals()) return null;
    return this.guarded(() => visualsFor(s, this.visualOpts));
  }

  protected status(): TrainerStatus {
    const s = this.session;
    const t = now();
    return {
      generation: this.generation,
      running: this.running,
      speed: this.pacer.speed,
      stepsPerSec: this.running ? this.meter.rate(t) : 0,
      // the CPU backend's name is live: it says when a GEMM helper thread failed (cpu/backend.ts cpuNameLive)
      backend: s
        ? {
            ...s.backendStatus,
            ...(s.backendStatus.kind === 'cpu' && s.backend.info.kind === 'cpu' ? { name: s.backend.info.name } : {}),
          }
        : null,
      runs: s ? s.tracks.map((_, r) => s.statusOf(r, this.running)) : [],
      notice: this.notice,
      regroups: this.regroups,
    };
  }

  /**
   * Run fn against the backend. A failure on WebGPU (device lost, a call that never settles)
   * moves the session to a re-created device or the CPU and returns null; on the CPU the error
   * stops training with a notice (a value, not a crash).
   */
  protected async guarded<T>(fn: () => Promise<T>): Promise<T | null> {
    const s = this.session;
    try {
      return await fn();
    } catch (e) {
      if (!s || s !== this.session) return null;
      if (s.backend.info.kind === 'webgpu') {
        try {
          this.notice = await recoverBackend(s, this.env.factories, message(e));
          this.pacer.forget();
        } catch (e2) {
          // No new device and the CPU engine refuses this network (too large): stop, say why.
          this.running = false;
          this.notice = `Training stopped: the GPU device was lost (${message(e)}) and ${message(e2)}`;
        }
      } else {
        this.running = false;
        this.notice = `Training stopped: ${message(e)}`;
      }
      this.emit(null);
      return null;
    }
  }

  /** A device lost while nothing was running: recover now (through `guarded`) so the page hears at once. */
  protected deviceLost(s: Session, b: TrainingBackend, reason: string): void {
    void this.exclusive(() =>
      this.guarded(async () => {
        if (s === this.session && s.backend === b) throw new Error(reason);
      }),
    );
  }

  protected exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  protected withRun<T>(run: number, fn: (s: Session) => Promise<T | null>): Promise<T | null> {
    return this.exclusive(async () => {
      const s = this.session;
      if (!s || !(Number.isInteger(run) && run >= 0 && run < s.runs)) return null;
      return this.guarded(() => fn(s));
    });
  }
}
