// What the trainer bridge (bridge.ts) publishes and is built with: the coarse state its subscribers
// see (worker health, run status, setup, configs, backend choice) and its options. Types only.
import type { BackendChoice, RunSetup, TrainerStatus } from '../../workers/protocol';
import type { TrainConfig } from '../engine/types';
import type { TrainerClient } from './client';

export type WorkerHealth = 'starting' | 'ready' | 'failed';

/** The coarse state subscribers see (a new object on every change). */
export interface BridgeState {
  worker: WorkerHealth;
  /** Why the worker failed (plain text), else null. */
  error: string | null;
  status: TrainerStatus | null;
  setup: RunSetup | null;
  /** Configs of the current runs as last sent (restored by restart()). */
  configs: TrainConfig[];
  backendChoice: BackendChoice;
}

export interface BridgeOptions {
  /** Default backend choice (e.g. from `backendFromUrl(location.search)`). */
  backend?: BackendChoice;
  /** Heartbeat period, ms (default 1000); no reply within `heartbeatTimeoutMs` marks the worker failed. */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  /** CreateOptions.cpuWorkers of every create (e.g. from `cpuWorkersFromUrl(location.search)`); default one per core. */
  cpuWorkers?: number;
  /** Factory for the worker client (tests inject their own). */
  createClient?: () => TrainerClient;
}
