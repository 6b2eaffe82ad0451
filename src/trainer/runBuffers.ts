// What a view may read of the current runs: the page's ring buffers (metrics, visuals), the coarse
// state, and the guarded queries (weights, snapshots, predictions, losses at given weights). Views
// get it from the `useRunBuffers()` hook; the App is wrapped in its provider once (main.tsx), so no
// view reaches for a global bridge and none can send the worker a command (those are the actions
// of src/state/trainerSync.ts, which keep the one queue of config changes).
import { createContext, useContext } from 'react';
import type { TrainerBridge } from './bridge';

/** The read side of the bridge (TrainerBridge satisfies it; tests may pass a stub). */
export type RunBuffers = Pick<
  TrainerBridge,
  | 'metrics'
  | 'visuals'
  | 'getState'
  | 'getParams'
  | 'getSnapshots'
  | 'predictSplit'
  | 'lossAt'
  // read-only queries: activation statistics, and the range test on a copy of the run's state
  | 'activationStats'
  | 'lrRangeTest'
  // the whole state of a run (keeping it: weights with batch-norm statistics)
  | 'exportState'
>;

/** Null outside the provider (before the trainer started). */
export const RunBuffersContext = createContext<RunBuffers | null>(null);

/** The current runs' buffers and queries, or null before the trainer started. */
export const useRunBuffers = (): RunBuffers | null => useContext(RunBuffersContext);
