// The worker's status as the page sees it (part of the contract, workers/protocol.ts): which
// backend trains and why (BackendStatus, one sentence for the status line), and each run's state
// (RunStatusInfo) inside the coarse TrainerStatus every update carries. Plain data (structured clone).

// ---------------------------------------------------------------- backend choice and status

/** 'auto' starts on the CPU engine and moves to WebGPU when measured faster (workers/handoff.ts); the others force one. */
export type BackendChoice = 'auto' | 'cpu' | 'webgpu';

/** Why the current backend is the one in use (machine-readable; `BackendStatus.message` says it in words). */
export type BackendReason =
  | 'forced' // the config/URL/user asked for this backend
  | 'calibrated' // auto: measured faster on this machine for this config
  | 'fallback-adapter' // auto: the only adapter is a software one (SwiftShader), not worth measuring on a small net
  | 'no-webgpu' // this browser has no navigator.gpu
  | 'adapter-failed' // requestAdapter() gave null, or requestDevice() failed
  | 'device-lost' // the GPU device was lost and could not be re-created
  | 'gpu-error' // the WebGPU backend refused or failed this config (message says why)
  | 'measuring'; // auto: started on the CPU engine at once; WebGPU is being measured on the side (workers/handoff.ts)

export interface Calibration {
  /** Measured training steps per second on the CPU engine for this config. */
  cpuStepsPerSec: number;
  /** Same on WebGPU; null when WebGPU was not measured (unavailable or failed). */
  gpuStepsPerSec: number | null;
  /** Wall time the calibration took, ms (both backends, including building). */
  ms: number;
}

export interface BackendStatus {
  kind: 'cpu' | 'webgpu';
  /** "CPU engine (WebAssembly SIMD)" / "CPU engine (TypeScript)" or the adapter's vendor/architecture/description. */
  name: string;
  /** True for software adapters such as SwiftShader (GPUAdapterInfo.isFallbackAdapter). */
  fallbackAdapter: boolean;
  /** What was asked for. */
  requested: BackendChoice;
  reason: BackendReason;
  /** One sentence for the status line, e.g. "CPU engine: 8.2x faster than WebGPU (google swiftshader, software adapter) on this net". */
  message: string;
  /** Speeds measured by the last 'auto' calibration, else null. */
  calibration: Calibration | null;
  /** GPU device losses survived since the runs were created. */
  deviceLosses: number;
  /** 'auto' moved the runs from the CPU engine to WebGPU at this step (the page's count), when it did. */
  movedAtStep?: number;
}

// ---------------------------------------------------------------- run status

/** `Speed`: steps per second (> 0), or 'max' for as fast as the backend goes. */
export type Speed = number | 'max';

/** What one run is doing. 'paused' includes "built, not started yet" (step 0). */
export type RunState = 'training' | 'paused' | 'early-stopped' | 'diverged' | 'finished';

export interface RunStatusInfo {
  state: RunState;
  /** Training steps taken so far. */
  step: number;
  /** Fractional epochs so far. */
  epoch: number;
  /** Step at which the run diverged / stopped early / finished, else -1. */
  statusStep: number;
  /** Completed epochs when it stopped early or finished, else -1 ("early-stopped at epoch N"). */
  statusEpoch: number;
  /** Best validation loss so far and its epoch (1-based; 0 before the first epoch ends). */
  bestValLoss: number;
  bestEpoch: number;
  /** Planned changes (setPlan) applied to this run so far. */
  planApplied: number;
}

export interface TrainerStatus {
  /** Increments on every create / rebuild / reset: the page clears its history when it changes. */
  generation: number;
  /** The training loop is running (start() called, not paused, at least one run still training). */
  running: boolean;
  speed: Speed;
  /** Measured steps per second over the last second (per run; 0 when paused). */
  stepsPerSec: number;
  /** Null before the first successful create(). */
  backend: BackendStatus | null;
  runs: RunStatusInfo[];
  /** Latest event worth telling the user (device loss survived, backend switched), else null. */
  notice: string | null;
  /**
   * Counts regroup() calls (branch, drop a branch). An update with a higher count than the page
   * has seen is the first with the regrouped runs: the page maps its histories over then.
   */
  regroups: number;
}
