// Actions of the `history` slice (store.ts) that views call: kept runs overlaid on the loss chart
// (TensorBoard-style: each kept run's saved loss curve drawn over the live run's, shown or hidden
// from the legend). The changes and the branch are recorded by trainerSync.ts, which sees the worker.
import type { KeptRun } from '../storage/keptRuns';
import { type HistoryState, sliceAccess, useStore } from './store';

const history = sliceAccess('history');

/** A component's view of the history slice. */
export const useHistory = <T = HistoryState>(select: (s: HistoryState) => T = (s) => s as T): T =>
  useStore((s) => select(s.history));

/** Overlay colours, distinct from the live run's train/validation and the branch's. */
const PALETTE = ['#2a9d8f', '#e76f51', '#6a4c93', '#8ab17d', '#c9a227', '#577590'];

export const isOverlaid = (id: string) => history.get().overlays.some((o) => o.id === id);

/** Draw a kept run's loss over the live run's, or stop drawing it. */
export function toggleOverlay(run: KeptRun): void {
  const h = history.get();
  if (h.overlays.some((o) => o.id === run.id)) {
    history.set({ overlays: h.overlays.filter((o) => o.id !== run.id) });
    return;
  }
  const used = new Set(h.overlays.map((o) => o.color));
  const color = PALETTE.find((c) => !used.has(c)) ?? PALETTE[h.overlays.length % PALETTE.length];
  const n = Math.min(run.steps.step?.length ?? 0, run.steps.loss?.length ?? 0);
  const step = run.steps.step?.subarray(0, n) ?? new Float64Array(0);
  history.set({
    overlays: [
      ...h.overlays,
      {
        id: run.id,
        label: run.label,
        color,
        step,
        epoch: run.steps.epoch?.subarray(0, n) ?? step,
        loss: run.steps.loss?.subarray(0, n) ?? new Float64Array(0),
        shown: true,
      },
    ],
  });
}

/** Keep overlay labels in step with renames, and drop overlays of removed runs. */
export function syncOverlays(runs: readonly KeptRun[]): void {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const h = history.get();
  const next = h.overlays.filter((o) => byId.has(o.id)).map((o) => ({ ...o, label: byId.get(o.id)?.label ?? o.label }));
  if (next.length !== h.overlays.length || next.some((o, i) => o.label !== h.overlays[i].label))
    history.set({ overlays: next });
}
