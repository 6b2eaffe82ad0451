// Named actions on the store (outside it, as the zustand docs recommend). Components call these;
// they never write the store directly. Every config edit goes through `commitConfig`, which
// re-validates, so the store can never hold a config the schema would reject.
import { MAX_HIDDEN_LAYERS, REGRESSION_DATASETS } from '../config/fields';
import { type Notice, parseConfig } from '../config/schema';
import { DEFAULT_LAYER } from '../engine/defaults';
import { switchOptimizer } from '../engine/optimizers/registry';
import type { DatasetName, LayerConfig, OptimizerName, TrainConfig } from '../engine/types';
import { type RunSlice, type State, type Theme, type UiSlice, useStore, type XAxis } from './store';

const get = useStore.getState;
const set = useStore.setState;

/** Replace the config; the schema fixes anything invalid and its notices are shown. */
export function commitConfig(next: TrainConfig, source: State['noticeSource'] = null): void {
  const { config, notices } = parseConfig(next);
  set(notices.length > 0 ? { config, notices, noticeSource: source ?? 'file' } : { config });
}

/** Load a config from a link or file, with the notices its parsing produced. */
export function loadConfig(config: TrainConfig, notices: Notice[], source: State['noticeSource']): void {
  set({ config, notices, noticeSource: notices.length > 0 ? source : null });
}

export function dismissNotices(): void {
  set({ notices: [], noticeSource: null });
}

/** Set one leaf by its dotted path ('optimizer.lr'); the value comes from a control within limits. */
export function setField(path: string, value: number | string | boolean): void {
  const cfg = structuredClone(get().config);
  const parts = path.split('.');
  let cur = cfg as unknown as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) cur = cur[p] as Record<string, unknown>;
  cur[parts[parts.length - 1]] = value;
  if (path === 'data.name') matchLossToData(cfg, value as DatasetName);
  if (path === 'optimizer.name') cfg.optimizer = switchOptimizer(get().config.optimizer, value as OptimizerName);
  commitConfig(cfg);
}

/** Regression data needs MSE; classification goes back to cross-entropy. */
function matchLossToData(cfg: TrainConfig, name: DatasetName): void {
  cfg.model.loss = REGRESSION_DATASETS.includes(name) ? 'mse' : 'softmaxCE';
}

export function setLayer(i: number, patch: Partial<LayerConfig>): void {
  const cfg = structuredClone(get().config);
  if (i < 0 || i >= cfg.model.hidden.length) return;
  cfg.model.hidden[i] = { ...cfg.model.hidden[i], ...patch };
  commitConfig(cfg);
}

/** Add a hidden layer after the last one, copying its settings (what users expect from "+"). */
export function addLayer(): void {
  const cfg = structuredClone(get().config);
  if (cfg.model.hidden.length >= MAX_HIDDEN_LAYERS) return;
  const last = cfg.model.hidden[cfg.model.hidden.length - 1];
  cfg.model.hidden.push(last ? { ...last } : { ...DEFAULT_LAYER });
  commitConfig(cfg);
}

/** Remove hidden layer i (default: the last). Zero hidden layers is allowed: a linear model. */
export function removeLayer(i?: number): void {
  const cfg = structuredClone(get().config);
  if (cfg.model.hidden.length === 0) return;
  cfg.model.hidden.splice(i ?? cfg.model.hidden.length - 1, 1);
  commitConfig(cfg);
}

/** A fresh master seed: new data, new initial weights, new batches. */
export function newSeed(): void {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  setField('seed', buf[0] % 1_000_000);
}

// --- run slice (written by the trainer bridge) ----------------------------------------------

export function setRun(patch: Partial<RunSlice>): void {
  set((s) => ({ run: { ...s.run, ...patch } }));
}

// --- ui slice ------------------------------------------------------------------------------

export function setUi(patch: Partial<UiSlice>): void {
  set((s) => ({ ui: { ...s.ui, ...patch } }));
}
export const setTheme = (theme: Theme) => setUi({ theme });
export const setXAxis = (xAxis: XAxis) => setUi({ xAxis });
export const setLogScale = (logScale: boolean) => setUi({ logScale });
export const setSmoothing = (smoothing: number) => setUi({ smoothing: Math.min(0.999, Math.max(0, smoothing)) });
export const setSpeed = (speed: number | 'max') => setUi({ speed });
