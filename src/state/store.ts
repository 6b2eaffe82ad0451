// The page's zustand store, in three slices (zustand "slices pattern"):
//   config: the TrainConfig being edited, plus the notices of the last link/file it came from.
//           Persisted to the URL hash and localStorage by persistence.ts.
//   run:    coarse training status for the status line (set by the trainer bridge, a few times
//           a second at most). Per-step metrics never come here: they live in the ring buffers.
//   ui:     view preferences (theme, axes, smoothing), persisted to localStorage only.
// Actions live outside the store (actions.ts, zustand "practice with no store actions").
import { create } from 'zustand';
import { subscribeWithSelector } from 'zustand/middleware';
import type { RunSetup } from '../../workers/protocol';
import type { Notice } from '../config/schema';
import { defaultConfig } from '../engine/defaults';
import type { TrainConfig } from '../engine/types';

export type RunPhase = 'starting' | 'training' | 'paused' | 'early-stopped' | 'diverged' | 'finished' | 'error';

export interface RunSlice {
  phase: RunPhase;
  /** The status line in words, e.g. "diverged at step 412". */
  statusText: string;
  /** "WebGPU · Google SwiftShader" or "CPU engine"; with why in backendDetail. */
  backend: string;
  backendDetail: string;
  /** What the user asked for: 'auto' picks the faster backend for this network. */
  backendChoice: 'auto' | 'cpu' | 'webgpu';
  stepsPerSec: number;
  step: number;
  /** Fractional epochs. */
  epoch: number;
  /** Worker generation: changes on every rebuild/reset, so views clear their history. */
  generation: number;
  /** Runs the worker trains: 1 in the playground, one per racer in compare mode. */
  runs: number;
  /** The settings the worker is actually training with, e.g. "Adam · ε 0.01", or "6 optimizers" in a race. */
  applied: string;
  /** Every run's settings, e.g. "SGD · ε 0.1, Adam · ε 0.01" (the tooltip of a race). */
  appliedDetail: string;
  /** Latest one-off event from the trainer (device loss survived, backend switched). */
  event: string | null;
}

export type Theme = 'light' | 'dark';
export type XAxis = 'steps' | 'epochs';

export interface UiSlice {
  theme: Theme;
  xAxis: XAxis;
  logScale: boolean;
  /** TensorBoard smoothing weight in [0, 0.999]: 0 = raw. */
  smoothing: number;
  /** Training speed: steps per second, or 'max'. */
  speed: number | 'max';
  /** Panels hidden by the link (presenter mode, `hide=`). */
  hidden: string[];
}

export interface State {
  config: TrainConfig;
  /** Problems found in the link or file the config came from (shown once, dismissable). */
  notices: Notice[];
  /** Where the notices came from, for the banner's heading. */
  noticeSource: 'link' | 'saved' | 'file' | 'trainer' | null;
  /** What the worker built (layers, dataset for drawing); replaced on every rebuild. */
  setup: RunSetup | null;
  run: RunSlice;
  ui: UiSlice;
}

export const INITIAL_RUN: RunSlice = {
  phase: 'starting',
  statusText: 'starting…',
  backend: '',
  backendDetail: '',
  backendChoice: 'auto',
  stepsPerSec: 0,
  step: 0,
  epoch: 0,
  generation: -1,
  runs: 1,
  applied: '',
  appliedDetail: '',
  event: null,
};

export const INITIAL_UI: UiSlice = {
  theme: 'light',
  xAxis: 'steps',
  logScale: false,
  smoothing: 0.6,
  speed: 300,
  hidden: [],
};

export const useStore = create<State>()(
  subscribeWithSelector(
    (): State => ({
      config: defaultConfig(),
      notices: [],
      noticeSource: null,
      setup: null,
      run: INITIAL_RUN,
      ui: INITIAL_UI,
    }),
  ),
);
