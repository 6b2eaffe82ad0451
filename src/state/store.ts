// The page's one zustand store, in slices (zustand "slices pattern"):
//   config: the TrainConfig being edited, plus the notices of the last link/file it came from.
//           Persisted to the URL hash and localStorage by persistence.ts.
//   run:    coarse training status for the status line (set by the trainer bridge, a few times
//           a second at most). Per-step metrics never come here: they live in the ring buffers.
//   ui:     view preferences (theme, axes, smoothing), persisted to localStorage only.
//   compare:  which view shows (playground, race, sweep, arena) and the compare set (compareSlice.ts).
//   sweep:    the hyperparameter sweep (optimizers x lr grid x an optional axis) and how it is drawn (sweepSlice.ts).
//   kept:     the kept runs IndexedDB holds, as the "Kept runs" panel shows them (keptSlice.ts).
//   imported: the CSV points the runs train on, and why the last file was refused (importSlice.ts).
//   history:  the run's mid-run changes (marks, the link's chg=), its branch, and the kept runs
//             overlaid on the loss chart (trainerSync.ts records; history actions in historySlice.ts).
// Actions live outside the store (actions.ts and the *Slice.ts files, zustand "practice with no
// store actions"); the slices' shapes and first values are here, so this file imports none of them.
import { create } from 'zustand';
import { subscribeWithSelector } from 'zustand/middleware';
import type { RunSetup } from '../../workers/protocol';
import { type CompareConfig, defaultCompareConfig } from '../compare/compareSet';
import { defaultSweepConfig, type SweepConfig, type SweepDisplay } from '../compare/sweep';
import type { ConfigChange } from '../config/changes';
import type { CsvError } from '../config/pointsCsv';
import type { Notice } from '../config/schema';
import type { ImportedPoints } from '../engine/data/points';
import { defaultConfig } from '../engine/defaults';
import type { TrainConfig } from '../engine/types';
import type { KeptCompareSet, KeptRun, Read } from '../storage/keptRuns';

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

export type ViewName = 'train' | 'compare' | 'sweep' | 'arena';

export interface CompareState {
  view: ViewName;
  compare: CompareConfig;
  /** Legend toggles of the compare charts: hidden[i] hides run i's curves (view state, not in the URL). */
  hidden: boolean[];
}

export interface SweepState {
  config: SweepConfig;
  /** Heatmap of the grid, or the classic line view (value against lr, one line per optimizer). */
  display: SweepDisplay;
}

export interface KeptState {
  loaded: boolean;
  runs: Read<KeptRun>[];
  sets: Read<KeptCompareSet>[];
  /** Records that could not be read at all. */
  unreadable: number;
  busy: boolean;
  /** The last failure, in words, else null. */
  error: string | null;
  /** The last success ("Kept …"), else null. */
  message: string | null;
  /** The site's storage use in words (navigator.storage.estimate), or why it is unknown; null before asked. */
  quota: string | null;
}

export interface ImportState {
  points: ImportedPoints | null;
  /** Name of the file the imported points came from. */
  fileName: string | null;
  /** Name of the last file refused (the points above, if any, stay in use). */
  refusedName: string | null;
  /** Why the last file was refused (each bad row with its line), else empty. */
  errors: CsvError[];
  more: number;
  warnings: string[];
  /** A failure to hand the points to the trainer (plain text), else null. */
  trainerError: string | null;
}

/** A kept run's loss curve drawn over the live run's (TensorBoard-style; toggled in the legend). */
export interface Overlay {
  id: string;
  label: string;
  color: string;
  /** Its step and epoch columns and its per-step loss, as kept. */
  step: Float64Array;
  epoch: Float64Array;
  loss: Float64Array;
  shown: boolean;
}

export interface HistoryState {
  /** The config the run started with when it changed mid-run (the link carries it with chg=), else null. */
  start: TrainConfig | null;
  /** Mid-run changes of run 0, in step order. */
  changes: ConfigChange[];
  /** The worker generation they belong to; -1: read from a link, to be planned once the run is built. */
  gen: number;
  /** Run 1 is a branch of run 0 taken at `step` with `config` ("Learning rate 0.1 → 0.3"), else null. */
  branch: { step: number; config: TrainConfig; text: string } | null;
  overlays: Overlay[];
}

export const INITIAL_HISTORY: HistoryState = { start: null, changes: [], gen: 0, branch: null, overlays: [] };

/** Predict, then run (src/state/predictSlice.ts): the link's question and whether it is answered. */
export interface PredictState {
  /** The link's `ask=` text (decoded and checked by the on-demand question panel), or null. */
  ask: string | null;
  /** The chosen answer (choice id and label), null until the student commits to one. */
  answer: { id: string; label: string } | null;
  /** The question could not be used (named error): the run is not held back for it. */
  invalid: string | null;
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
  compare: CompareState;
  sweep: SweepState;
  kept: KeptState;
  imported: ImportState;
  history: HistoryState;
  predict: PredictState;
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

export const INITIAL_KEPT: KeptState = {
  loaded: false,
  runs: [],
  sets: [],
  unreadable: 0,
  busy: false,
  error: null,
  message: null,
  quota: null,
};

export const INITIAL_IMPORT: ImportState = {
  points: null,
  fileName: null,
  refusedName: null,
  errors: [],
  more: 0,
  warnings: [],
  trainerError: null,
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
      compare: { view: 'train', compare: defaultCompareConfig(), hidden: [] },
      sweep: { config: defaultSweepConfig(), display: 'heatmap' },
      kept: INITIAL_KEPT,
      imported: INITIAL_IMPORT,
      history: INITIAL_HISTORY,
      predict: { ask: null, answer: null, invalid: null },
    }),
  ),
);

type SliceKey = 'compare' | 'sweep' | 'kept' | 'imported' | 'history' | 'predict';
type Patch<S> = Partial<S> | ((s: S) => Partial<S>);

/** Read and update one slice of the store, for the actions outside it. */
export function sliceAccess<K extends SliceKey>(key: K): { get: () => State[K]; set: (p: Patch<State[K]>) => void } {
  return {
    get: () => useStore.getState()[key],
    set: (p) =>
      useStore.setState(
        (st) => ({ [key]: { ...st[key], ...(typeof p === 'function' ? p(st[key]) : p) } }) as Pick<State, K>,
      ),
  };
}
