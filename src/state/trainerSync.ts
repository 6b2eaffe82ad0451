// Connects the store to the trainer bridge (src/trainer/bridge.ts), the only way the page reaches
// the worker: config edits go to the worker (serialized, latest wins), the bridge's coarse state
// comes back into the run slice (runStatus.ts says what it shows), and the play/step/reset actions
// the components call live here.

import { shallow } from 'zustand/shallow';
import type { RegroupRun, RunSetup } from '../../workers/protocol';
import type { Notice } from '../config/schema';
import type { ImportedPoints } from '../engine/data/points';
import { needsRebuild } from '../engine/rebuild';
import type { TrainConfig } from '../engine/types';
import { TrainerBridge } from '../trainer/bridge';
import type { BridgeState } from '../trainer/bridgeState';
import type { RunBuffers } from '../trainer/runBuffers';
import { backendFromUrl, cpuWorkersFromUrl } from '../trainer/urlSwitches';
import { setRun } from './actions';
import { runConfigs } from './compareSlice';
import { isLocked } from './predictSlice';
import { runFromBridge } from './runStatus';
import { sliceAccess, useStore } from './store';

const history = sliceAccess('history');
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** Queues a regroup of the runs (branch, drop a branch) with the config changes. */
let queueRegroup: ((runs: RegroupRun[]) => Promise<string | null>) | null = null;

let bridge: TrainerBridge | null = null;
/** Queues a rebuild on imported points with the config changes (set while the trainer runs). */
let queuePoints: ((points: ImportedPoints | null) => Promise<string | null>) | null = null;

/**
 * Rebuild the runs on `points` (null: back to the config's generated data), in turn with the
 * config changes. Resolves with the trainer's refusal in words, or null when it took them.
 */
export function sendPoints(points: ImportedPoints | null): Promise<string | null> {
  return queuePoints ? queuePoints(points) : Promise.resolve('the trainer has not started');
}

/** Visual streams the playground draws (the sweep view draws none: its runs stream metrics only). */
const NO_VISUALS = { boundary: false, histograms: false, weights: false };
const VISUALS = {
  boundary: true,
  boundaryRes: 50,
  histograms: true,
  histogramBins: 30,
  weights: true,
  intervalMs: 250,
};
/** A race draws each racer's boundary only (no network diagram, no histograms: not streamed, not copied). */
const RACE_VISUALS = { ...VISUALS, histograms: false, weights: false };

function problemsToNotices(r: { message: string; problems: { field: string; message: string }[] }): Notice[] {
  if (r.problems.length === 0) return [{ path: 'trainer', message: r.message }];
  return r.problems.map((p) => ({ path: p.field, message: p.message }));
}

function showRefusal(r: { message: string; problems: { field: string; message: string }[] }) {
  useStore.setState({ notices: problemsToNotices(r), noticeSource: 'trainer' });
}

/**
 * Start the worker, send the current config, and keep both in sync. Returns a stop function and
 * the read side of the runs (`buffers`), which the page hands to its views through
 * RunBuffersContext (src/trainer/runBuffers.ts).
 */
export function startTrainer(): { stop: () => void; buffers: RunBuffers } {
  const b = new TrainerBridge({
    backend: backendFromUrl(location.search) ?? 'auto',
    cpuWorkers: cpuWorkersFromUrl(location.search),
  });
  bridge = b;
  const unsubBridge = b.subscribe((s) => {
    setRun(runFromBridge(s));
    if (s.setup !== useStore.getState().setup) useStore.setState({ setup: s.setup });
    followRun(s);
  });

  /**
   * The history slice follows the worker: a new generation (reset, rebuild) starts a new history
   * (no changes, no branch); a planned change the worker applied shows in the controls.
   */
  let planning = false;
  const followRun = (s: BridgeState) => {
    const g = s.status?.generation;
    if (g === undefined) return;
    const h = history.get();
    if (h.gen === -1) {
      if (!planning && created && !sending && !pending && s.configs.length === 1 && same(s.configs[0], h.start))
        void replayPlan(s.status?.runs[0]?.step ?? 0);
    } else if (h.gen !== g) history.set({ gen: g, start: null, changes: [], branch: null });
    const c = s.configs[0];
    const config = useStore.getState().config;
    if (sending || pending || !c) return;
    // The same three objects as last compared (every metrics update while training): same answer.
    if (c === seen.c && config === seen.config && h.changes === seen.changes) return;
    seen = { c, config, changes: h.changes };
    if (!same(c, config) && h.changes.some((x) => same(x.config, c))) useStore.setState({ config: structuredClone(c) });
  };
  let seen: { c?: TrainConfig; config?: TrainConfig; changes?: unknown } = {};
  /** A link's change list, planned at its steps on its run from step 0 (reset first when it had trained). */
  const replayPlan = async (step: number) => {
    planning = true;
    try {
      if (step > 0) {
        await b.pause();
        await b.reset();
      }
      const g = b.getState().status?.generation ?? 0;
      const h = history.get();
      const r = await b.setPlan(
        0,
        h.changes.map((c) => ({ step: c.step, config: c.config })),
      );
      if (r.ok) history.set({ gen: g });
      else {
        history.set({ gen: g, start: null, changes: [] });
        showRefusal(r);
      }
    } catch {
      // the bridge marked the worker failed; the status line says so
    } finally {
      planning = false;
    }
  };
  /** A live change of run 0 accepted at step `at`: recorded (a change at step 0 is the start itself). */
  const record = (prev: TrainConfig | undefined, next: TrainConfig, at: number) => {
    const h = history.get();
    if (!prev || same(prev, next) || at <= 0 || h.gen === -1) return;
    const changes = h.changes.filter((c) => c.step < at);
    changes.push({ step: at, config: structuredClone(next) });
    history.set({ start: h.start ?? structuredClone(prev), changes });
  };

  // Serialize config changes: one call in flight, and only the newest pending config is sent next.
  // Imported points go through the same queue, each as a rebuild with the newest config.
  let sending = false;
  let pending: TrainConfig[] | null = null;
  const pointJobs: { points: ImportedPoints | null; done: (refusal: string | null) => void }[] = [];
  const regroupJobs: { runs: RegroupRun[]; done: (refusal: string | null) => void }[] = [];
  let created = false;
  const flush = async () => {
    if (sending || (!pending && pointJobs.length === 0 && regroupJobs.length === 0)) return;
    sending = true;
    const regroup = created && !pending && pointJobs.length === 0 ? regroupJobs.shift() : undefined;
    if (regroup) {
      try {
        const r = await b.regroup(regroup.runs);
        regroup.done(r.ok ? null : r.message);
      } catch (e) {
        regroup.done(e instanceof Error ? e.message : String(e));
      } finally {
        sending = false;
        void flush();
      }
      return;
    }
    const job = pointJobs.shift();
    // One run in the playground, one per racer in compare mode (src/state/compareSlice.ts).
    const cfgs = job ? runConfigs(useStore.getState().config) : (pending as TrainConfig[]);
    pending = null;
    const prev = b.getState().configs[0];
    try {
      const r = job
        ? await b.create(cfgs, { points: job.points })
        : created
          ? await b.setConfigs(cfgs)
          : await b.create(cfgs);
      job?.done(r.ok ? null : r.message);
      if (!r.ok) {
        if (!job) showRefusal(r);
      } else {
        if ('atStep' in r.value && !r.value.rebuilt) record(prev, cfgs[0], r.value.atStep);
        created = true;
        if (useStore.getState().noticeSource === 'trainer') useStore.setState({ notices: [], noticeSource: null });
      }
    } catch (e) {
      // The bridge already marked the worker failed; the status line says so.
      job?.done(e instanceof Error ? e.message : String(e));
    } finally {
      sending = false;
      followRun(b.getState()); // e.g. a link's change list waits for its run to be built
      void flush();
    }
  };
  const send = (cfg: TrainConfig) => {
    const br = history.get().branch;
    const cfgs = runConfigs(cfg);
    // with a branch, the branch keeps its own settings; a change that rebuilds the network ends it
    pending = br && cfgs.length === 1 && !needsRebuild(cfg, br.config) ? [cfg, br.config] : cfgs;
    // nothing new for the worker (e.g. the controls following a planned change it applied)
    if (created && !sending && same(pending, b.getState().configs)) pending = null;
    void flush();
  };
  queuePoints = (points) =>
    new Promise((done) => {
      pointJobs.push({ points, done });
      void flush();
    });
  queueRegroup = (runs) =>
    new Promise((done) => {
      regroupJobs.push({ runs, done });
      void flush();
    });

  const visualsFor = (view: string) =>
    void b.setVisuals(view === 'sweep' ? NO_VISUALS : view === 'compare' ? RACE_VISUALS : VISUALS).catch(() => {});
  visualsFor(useStore.getState().compare.view);
  const unsubVisuals = useStore.subscribe((s) => s.compare.view, visualsFor);
  void b.setSpeed(useStore.getState().ui.speed).catch(() => {});
  send(useStore.getState().config);
  const unsubConfig = useStore.subscribe((s) => s.config, send);
  const unsubCompare = useStore.subscribe(
    (s) => [s.compare.view, s.compare.compare, s.sweep.config] as const,
    () => send(useStore.getState().config),
    { equalityFn: shallow },
  );
  // a link's change list decoded (history.gen -1): plan it now, not at the next update from the worker
  const unsubHistory = useStore.subscribe(
    (s) => s.history.gen,
    (g) => {
      if (g === -1) followRun(b.getState());
    },
  );
  const unsubSpeed = useStore.subscribe(
    (s) => s.ui.speed,
    (v) => void b.setSpeed(v).catch(() => {}),
  );
  const stop = () => {
    unsubBridge();
    unsubConfig();
    unsubCompare();
    unsubHistory();
    unsubSpeed();
    unsubVisuals();
    b.dispose();
    bridge = null;
    queuePoints = null;
    queueRegroup = null;
    for (const j of [...pointJobs.splice(0), ...regroupJobs.splice(0)]) j.done('the trainer has stopped');
  };
  return { stop, buffers: b };
}

// --- the commands of the play bar ---------------------------------------------------------

const call = (f: (b: TrainerBridge) => Promise<unknown>) => {
  if (bridge) void f(bridge).catch(() => {});
};
// A question waiting for its answer (predictSlice.ts) holds the run back, whoever asks (keys, embed API).
export const play = () => {
  if (!isLocked()) call((b) => b.start());
};
export const pause = () => call((b) => b.pause());
/** Back to step 0 with the same initial weights and data (a branch is dropped first: the run starts over alone). */
export const resetRun = () =>
  call(async (b) => {
    if (history.get().branch) await dropBranch();
    await b.reset();
  });

/**
 * Branch from here: pause, and run 1 continues from run 0's exact state with `config` (hyperparameters
 * changed) while run 0 goes on as it was. Resolves with the trainer's refusal in words, or null.
 */
export async function branchFromHere(config: TrainConfig, text: string): Promise<string | null> {
  if (!queueRegroup || !bridge) return 'the trainer has not started';
  const base = useStore.getState().config;
  const step = useStore.getState().run.step;
  const refusal = await queueRegroup([
    { from: 0, config: base },
    { from: 0, config },
  ]);
  if (refusal === null) history.set({ branch: { step, config: structuredClone(config), text } });
  return refusal;
}

/** End the branch: run 0 goes on alone, from its current state. */
export async function dropBranch(): Promise<string | null> {
  if (!queueRegroup) return 'the trainer has not started';
  const refusal = await queueRegroup([{ from: 0, config: useStore.getState().config }]);
  if (refusal === null) history.set({ branch: null });
  return refusal;
}
export const stepOnce = () => {
  if (!isLocked()) call((b) => b.step(1));
};
export function togglePlay(): void {
  if (useStore.getState().run.phase === 'training') pause();
  else play();
}
/** Switch backend ('auto' measures both on this network); training continues from the current weights. */
export const setBackendChoice = (choice: 'auto' | 'cpu' | 'webgpu') => call((b) => b.setBackend(choice));
/** Restart a failed worker with the last config. */
export const restartWorker = () => call((b) => b.restart());

/** Model outputs over the validation split (digits grid, confusion matrix), or null. */
export async function predictVal(): Promise<Float32Array | null> {
  if (!bridge) return null;
  try {
    return await bridge.predictSplit(0, 'val');
  } catch {
    return null;
  }
}

export type { RunSetup };
