// The page's handle on the training worker: a Comlink.wrap of the module worker. Only
// src/trainer/bridge.ts uses this; React components never talk to the worker.
import * as Comlink from 'comlink';
import type { TrainerApi } from '../../workers/protocol';

export interface TrainerClient {
  /** Every TrainerApi method, returning a promise. */
  readonly api: Comlink.Remote<TrainerApi>;
  /** The raw worker, for its 'error' / 'messageerror' events. */
  readonly worker: Worker;
  /** Release the Comlink proxy and terminate the worker (idempotent). */
  terminate(): void;
}

/** Start a fresh trainer worker (Vite bundles the worker file as an ES module); `name` shows in dev tools. */
export function createTrainerClient(name = 'descent-trainer'): TrainerClient {
  const worker = new Worker(new URL('../../workers/trainer.worker.ts', import.meta.url), {
    type: 'module',
    name,
  });
  const api = Comlink.wrap<TrainerApi>(worker);
  let alive = true;
  return {
    api,
    worker,
    terminate() {
      if (!alive) return;
      alive = false;
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
