// Building a session from validated configs: the dataset (digits fetched first when needed),
// the layout, the initial weights every run and backend share, and the backend chosen for them.
// Engine errors become config problems naming their field.

import { buildLayout, type DigitsData, initParams, initStreamSeed, makeDataset, Rng } from '../src/engine';
import { datasetFromPoints } from '../src/engine/data/customDataset';
import type { ImportedPoints } from '../src/engine/data/points';
import type { RunSnapshot } from '../src/engine/snapshot';
import type { TrainConfig } from '../src/engine/types';
import type { Inits } from './backend';
import { loadDigits } from './digits';
import type { BackendChoice, Result } from './protocol';
import { type BackendFactories, type CalibrationCache, cpuFallbackMessage, selectBackend } from './select';
import { Session } from './session';
import { ok, problemFromError, rejected } from './validate';

export interface BuildContext {
  choice: BackendChoice;
  factories: BackendFactories;
  calibrations: CalibrationCache;
  /** Absolute URL of the digits file (undefined in Node: the repository's copy). */
  digitsUrl?: string;
  /** Imported points to train on instead of the generated set (CreateOptions.points). */
  points?: ImportedPoints | null;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function buildSession(cfgs: TrainConfig[], ctx: BuildContext): Promise<Result<Session>> {
  const c = cfgs[0];
  let digits: DigitsData | undefined;
  try {
    // fetched on each build of a digits config (the browser's HTTP cache keeps the file)
    if (c.data.name === 'digits' && !ctx.points) digits = await loadDigits(ctx.digitsUrl);
  } catch (e) {
    return rejected([{ field: 'data.name', message: `the digits could not be loaded: ${message(e)}` }]);
  }
  try {
    const ds = ctx.points ? datasetFromPoints(ctx.points, c.data, c.seed) : makeDataset(c.data, c.seed, digits);
    const layout = buildLayout(c.model, ds.inputDim, ds.outputDim);
    // The engine's own initial weights (Run derives the same from the 'init' stream): one vector
    // shared by all runs, or one per run when their model.initSeed differs (a seed band).
    const byInitSeed = new Map<number, Float32Array>();
    const initFor = (k: number) => {
      if (!byInitSeed.has(k)) byInitSeed.set(k, initParams(layout, c.model, new Rng(initStreamSeed(c.seed, k))));
      return byInitSeed.get(k)!;
    };
    const perRun = cfgs.map((x) => initFor(x.model.initSeed ?? 0));
    const init: Inits = byInitSeed.size === 1 ? perRun[0] : perRun;
    const sel = await selectBackend(ctx.choice, cfgs, ds, init, ctx.factories, ctx.calibrations);
    const session = new Session(cfgs, ds, layout, init, sel.backend, sel.status);
    session.probe = sel.probe === true;
    return ok(session);
  } catch (e) {
    return rejected([problemFromError(e)]);
  }
}

/**
 * Move a session to the backend `choice` selects (a user's switch), continuing each run with its
 * whole current state (the last checkpoint when the old backend cannot be read). Returns the notice.
 */
export async function switchBackend(s: Session, ctx: BuildContext): Promise<string> {
  let states: (RunSnapshot | null)[];
  try {
    states = [];
    for (let r = 0; r < s.runs; r++) states.push(await s.backend.exportState(r));
  } catch {
    states = s.checkpoint;
  }
  let sel: Awaited<ReturnType<typeof selectBackend>>;
  try {
    sel = await selectBackend(ctx.choice, s.configs, s.dataset, s.init, ctx.factories, ctx.calibrations);
  } catch (e) {
    // E.g. the CPU engine refuses a network too large for it: stay where we are, say why.
    return `Could not switch backend: ${message(e)}`;
  }
  sel.status.deviceLosses = s.backendStatus.deviceLosses;
  await s.migrate(sel.backend, sel.status, states);
  s.probe = sel.probe === true;
  return `Switched to ${sel.status.kind === 'webgpu' ? 'WebGPU' : 'the CPU engine'} at step ${s.step}.`;
}

/**
 * A live change the WebGPU backend refuses (`why`: a switch to a rule it lacks, e.g. Muon): every
 * run moves, whole state, to the CPU engine built on the session's current configs, and the status
 * line says why; the caller then applies the change there.
 */
export async function moveToCpu(s: Session, factories: BackendFactories, why: string): Promise<void> {
  const states: RunSnapshot[] = [];
  for (let r = 0; r < s.runs; r++) states.push(await s.backend.exportState(r));
  const cpu = factories.cpu();
  await cpu.build(s.configs, s.dataset, s.init);
  const { requested, calibration, deviceLosses } = s.backendStatus;
  const message = cpuFallbackMessage('gpu-error', why);
  await s.migrate(cpu, { ...cpu.info, requested, calibration, deviceLosses, reason: 'gpu-error', message }, states);
}
