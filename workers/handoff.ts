// Start at once, move when faster ('auto'). A session built for 'auto' trains on the CPU engine
// from the first Play (select.ts builds nothing else); this probe runs beside it in the worker:
// it asks for a WebGPU device, builds its own GPU backend from the session's configs (pipelines
// compiled with createComputePipelineAsync, so the worker's event loop and the CPU run go on),
// measures the GPU's and the CPU engine's steps per second on side backends, and only when the
// GPU is measured faster (a software adapter by FALLBACK_MARGIN) moves the runs there with their
// whole state (exportState -> importState, session.migrate): the page's step numbers, charts and
// optimizer memory continue as if nothing happened. Decisions are cached per architecture key.
//
// Kept from the old up-front choice: a software adapter on a small net (stepFlops below
// fallbackWorthFlops: any net the CPU takes when it runs its WebAssembly kernels) is not even built;
// a CPU win is remembered and not re-measured.
import type { TrainingBackend } from './backend';
import { CPU_NAME_TS } from './cpu/backend';
import type { BackendStatus, Calibration } from './protocol';
import {
  type BackendFactories,
  type CalibrationCache,
  calibrationKey,
  cpuFallbackMessage,
  cpuWinsMessage,
  FALLBACK_MARGIN,
  fallbackWorthFlops,
  fmt,
  gpuFailureReason,
  gpuWinsMessage,
  measureSpeed,
  stepFlops,
} from './select';
import type { Session } from './session';

/** A side CPU measurement never blocks the worker (and so a training turn) longer than about this, ms. */
export const SIDE_CALL_MS = 12;
/**
 * Before measuring the CPU on the side, the probe waits this long for a Play, whose run then gives its
 * own rate for nothing, ms. A side call blocks the worker's thread for at least one step (a cold one:
 * 31 ms of a 784-256-128-10 net at batch 1000 traced, the Play posted meanwhile read 17 ms late), and
 * a page's create() is often followed by a Play at once (a preset, a lesson, the bench).
 */
export const SIDE_WAIT_MS = 500;

export interface ProbeHost {
  factories: BackendFactories;
  cache: CalibrationCache;
  /** False once the session was replaced, disposed or switched away from 'auto': the probe stops. */
  alive(): boolean;
  /** Run fn with the backend to itself (the service's `exclusive`). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** The status changed (and a notice, when the runs moved): tell the page. */
  changed(notice: string | null): void;
  /**
   * Resolves, after a yield to the worker's queued messages, once no Play waits for its first step to
   * reach the page. The probe's parts that load the worker's thread or the cores (GPU build and
   * compile, each call of the side measurements, the move) wait for it: "Play to first step drawn"
   * must never pay for the probe.
   */
  firstStepShown(): Promise<void>;
  /** Wait this long for a Play before measuring the CPU on the side, ms (default SIDE_WAIT_MS). */
  sideWaitMs?: number;
}

const POLL_MS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function setStatus(
  s: Session,
  b: { kind: 'cpu' | 'webgpu'; name: string; fallbackAdapter: boolean },
  st: Partial<BackendStatus>,
) {
  s.backendStatus = { ...s.backendStatus, kind: b.kind, name: b.name, fallbackAdapter: b.fallbackAdapter, ...st };
}

/**
 * Steps per second of the CPU engine on this config: the rate the run itself trains at when it has
 * trained (no extra work while it runs; the probe waits up to SIDE_WAIT_MS for a Play to give it),
 * else measured on a side backend (the session's stays untouched) in calls of about SIDE_CALL_MS,
 * each after a yield to the worker's messages (host.firstStepShown): a Play that comes meanwhile trains at once, the measuring waits for its
 * first step and then gives way to the run's own rate. The CPU calls are synchronous in this
 * thread, so without the yields a Play sent during the measuring would wait for all of it
 * (measured: 274 ms of a 784-256-256-10 net's Play).
 */
async function cpuStepsPerSec(s: Session, host: ProbeHost): Promise<number> {
  const own = () => (s.cpuRate > 0 && s.backend.info.kind === 'cpu' ? s.cpuRate : 0);
  const until = performance.now() + (host.sideWaitMs ?? SIDE_WAIT_MS);
  while (own() === 0 && host.alive() && performance.now() < until) await sleep(POLL_MS);
  const free = async () => {
    await host.firstStepShown();
    return own() === 0 && host.alive();
  };
  if (!(await free())) return own();
  // no warm-up step at build: it would block this thread for a step before the first yield (measureSpeed warms up)
  const cpu = host.factories.cpu({ warm: false });
  try {
    await cpu.build(structuredClone(s.configs), s.dataset, s.init);
    const side = await measureSpeed(cpu, undefined, SIDE_CALL_MS, free);
    return own() || side;
  } finally {
    cpu.dispose();
  }
}

/**
 * The probe of a session built on the CPU for 'auto' (Selection.probe). Never throws: a GPU that
 * fails or loses its device leaves the runs on the CPU with the reason in the status line.
 */
export async function probeAndMove(s: Session, host: ProbeHost): Promise<void> {
  const t0 = performance.now();
  const { factories, cache } = host;
  const key = calibrationKey(s.configs, s.dataset);
  const cached = cache.get(key);
  const cpuInfo = s.backend.info;
  let gpu: TrainingBackend | null = null;
  const giveUp = () => {
    gpu?.dispose();
    gpu = null;
  };
  // A software adapter on a small net: compiling its kernels alone takes seconds there, and it cannot win.
  const tooSmallFor = (a: { fallbackAdapter: boolean }) =>
    !cached && a.fallbackAdapter && stepFlops(s.configs, s.dataset) < fallbackWorthFlops(cpuInfo);
  const stayOnCpu = async (adapter: string) => {
    await host.firstStepShown();
    const cpuSpeed = await cpuStepsPerSec(s, host);
    if (!host.alive()) return;
    const calibration = { cpuStepsPerSec: cpuSpeed, gpuStepsPerSec: null, ms: performance.now() - t0 };
    const where = cpuInfo.name === CPU_NAME_TS ? 'on a network this small' : 'with its WebAssembly SIMD kernels';
    const message = `CPU engine: the only WebGPU adapter is a software one (${adapter}), far slower than the CPU engine ${where} (CPU ${fmt(cpuSpeed)} steps/s).`;
    setStatus(s, cpuInfo, { reason: 'fallback-adapter', message, calibration });
    host.changed(null);
  };
  try {
    if (!factories.gpu) return;
    // Known from the adapter alone: no GPU code loaded, no device made (both load the thread and the cores).
    const adapter = await factories.gpuAdapter?.().catch(() => null);
    if (!host.alive()) return;
    if (adapter && tooSmallFor(adapter)) return await stayOnCpu(adapter.name);
    gpu = await factories.gpu();
    if (!host.alive()) return giveUp();
    if (tooSmallFor(gpu.info)) {
      const name = gpu.info.name;
      giveUp();
      return await stayOnCpu(name);
    }
    await host.firstStepShown();
    if (!host.alive()) return giveUp();
    await gpu.build(structuredClone(s.configs), s.dataset, s.init);
    if (!host.alive()) return giveUp();
    await host.firstStepShown();
    let calibration: Calibration;
    if (cached?.kind === 'webgpu') calibration = cached.calibration;
    else {
      const gpuSpeed = await measureSpeed(gpu);
      if (!host.alive()) return giveUp();
      await host.firstStepShown();
      const cpuSpeed = await cpuStepsPerSec(s, host);
      if (!host.alive()) return giveUp();
      calibration = { cpuStepsPerSec: cpuSpeed, gpuStepsPerSec: gpuSpeed, ms: performance.now() - t0 };
    }
    const margin = gpu.info.fallbackAdapter ? FALLBACK_MARGIN : 1;
    const gpuSpeed = calibration.gpuStepsPerSec ?? 0;
    if (!(gpuSpeed > calibration.cpuStepsPerSec * margin)) {
      cache.set(key, { kind: 'cpu', calibration, gpu: gpu.info });
      setStatus(s, cpuInfo, { reason: 'calibrated', message: cpuWinsMessage(gpu.info, calibration), calibration });
      giveUp();
      return host.changed(null);
    }
    cache.set(key, { kind: 'webgpu', calibration, gpu: gpu.info });
    const next: TrainingBackend = gpu;
    await host.firstStepShown();
    await host.exclusive(async () => {
      if (!host.alive()) return giveUp();
      // The session's runs as they are now (hyperparameters changed live since the build included).
      const states = [];
      for (let r = 0; r < s.runs; r++) states.push(await s.backend.exportState(r));
      await next.reset();
      s.configs.forEach((c, r) => {
        next.setHyper(r, c);
      });
      const at = s.step;
      const why = gpuWinsMessage(next.info, calibration);
      const status: BackendStatus = {
        ...s.backendStatus,
        ...next.info,
        reason: 'calibrated',
        message: `${why.replace(/\.$/, '')}; moved from the CPU engine at step ${at.toLocaleString('en-US')}.`,
        calibration,
        movedAtStep: at,
      };
      await s.migrate(next, status, states);
      gpu = null; // the session owns it now
      host.changed(`Moved to WebGPU at step ${at.toLocaleString('en-US')}: measured faster on this network.`);
    });
  } catch (e) {
    giveUp();
    if (!host.alive()) return;
    const reason = gpuFailureReason(e);
    setStatus(s, cpuInfo, { reason, message: cpuFallbackMessage(reason, errText(e)) });
    host.changed(null);
  }
}
