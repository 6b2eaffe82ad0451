// What "Keep run" saves: a run as the page sees it right now, gathered from the trainer bridge
// (the config the worker trains, its status, the curves of the page's ring buffers, its
// weights) into a plain KeptRun for IndexedDB. The curves are copies of bounded buffers, so a
// kept run is at most a few hundred kilobytes whatever the length of the run.
import type { CompareConfig } from '../compare/compareSet';
import type { ConfigChange } from '../config/changes';
import { DATASET_LABELS, OPTIMIZER_LABELS } from '../config/labels';
import type { ImportedPoints } from '../engine/data/points';
import type { TrainConfig } from '../engine/types';
import { type KeptCompareSet, type KeptRun, newId } from '../storage/keptRuns';
import { EPOCH_COLUMNS, STEP_COLUMNS } from './metricsBuffer';
import type { RunBuffers } from './runBuffers';

/** "Adam ε 0.01 · XOR · step 1,240" (or the imported file's name for imported points). */
export function runLabel(cfg: TrainConfig, step: number, dataName?: string): string {
  const data = dataName ?? DATASET_LABELS[cfg.data.name];
  return `${OPTIMIZER_LABELS[cfg.optimizer.name]} ε ${cfg.optimizer.lr} · ${data} · step ${step.toLocaleString('en-US')}`;
}

/** Run r of the bridge's current runs as a KeptRun (throws when there is no such run). */
export async function keptFromBridge(
  bridge: RunBuffers,
  r: number,
  points: ImportedPoints | null,
  dataName?: string,
  history: { start: TrainConfig | null; changes: ConfigChange[]; label?: string } = { start: null, changes: [] },
): Promise<KeptRun> {
  const st = bridge.getState();
  const config = st.configs[r];
  const status = st.status?.runs[r];
  if (!config || !status) throw new Error(`there is no run ${r} to keep`);
  const h = bridge.metrics.runs[r];
  const steps: Record<string, Float64Array> = {};
  const epochs: Record<string, Float64Array> = {};
  if (h) {
    for (const c of STEP_COLUMNS) steps[c] = h.step(c).slice();
    for (const c of EPOCH_COLUMNS) epochs[c] = h.epoch(c).slice();
  }
  // the whole state: the weights and the batch-norm running statistics evaluation uses
  const state = await bridge.exportState(r);
  const params = state ? state.theta : await bridge.getParams(r);
  return {
    id: newId(),
    label: history.label ?? runLabel(config, status.step, dataName),
    keptAt: Date.now(),
    config: structuredClone(config),
    status: {
      state: status.state,
      step: status.step,
      epoch: status.epoch,
      statusStep: status.statusStep,
      bestValLoss: status.bestValLoss,
      bestEpoch: status.bestEpoch,
    },
    steps,
    epochs,
    params,
    bnStats: state ? state.bnStats : null,
    points,
    notes: '',
    changes: structuredClone(history.changes),
    start: history.start ? structuredClone(history.start) : null,
  };
}

/** Every run of a compare race as one KeptCompareSet. */
export async function keptSetFromBridge(
  bridge: RunBuffers,
  base: TrainConfig,
  compare: CompareConfig,
  points: ImportedPoints | null,
): Promise<KeptCompareSet> {
  const runs: KeptRun[] = [];
  for (let r = 0; r < bridge.getState().configs.length; r++) runs.push(await keptFromBridge(bridge, r, points));
  const step = Math.max(0, ...runs.map((x) => x.status.step));
  return {
    id: newId(),
    label: `${runs.length} optimizers · ${DATASET_LABELS[base.data.name]} · step ${step.toLocaleString('en-US')}`,
    keptAt: Date.now(),
    base: structuredClone(base),
    compare: structuredClone(compare),
    runs,
  };
}

/** The last value of a column, NaN when empty. */
export const lastOf = (col: Float64Array | undefined) => (col && col.length > 0 ? col[col.length - 1] : Number.NaN);
