// Which view the page shows (the playground, the compare race, the arena) and the compare set:
// the `compare` slice of the page's store (store.ts) and its actions. Both live in the URL next to the training config
// (`view=compare&compare=sgd:lr_0.1,...`), read and written by state/persistence.ts through
// `compareHashExtras` / `loadCompareExtras`, so a shared link opens the same race.
import { decodeCompare, encodeCompare } from '../compare/compareHash';
import {
  addSlot,
  type CompareConfig,
  raceConfigs,
  removeSlot,
  seedsProblem,
  setSlotOptimizer,
} from '../compare/compareSet';
import { type SweepConfig, sweepConfigs } from '../compare/sweep';
import type { Notice } from '../config/schema';
import type { OptimizerConfig, TrainConfig } from '../engine/types';
import { type CompareState, sliceAccess, useStore, type ViewName } from './store';
import { loadSweepExtra, sweepHashExtra } from './sweepSlice';

export type { CompareState, ViewName };
export const VIEW_NAMES: readonly ViewName[] = ['train', 'compare', 'sweep', 'arena'];

/** A component's view of the compare slice (an atomic selector, as everywhere in the store). */
export const useCompare = <T>(select: (s: CompareState) => T): T => useStore((s) => select(s.compare));

const { get, set } = sliceAccess('compare');
/** The compare slice now (for code outside React). */
export const getCompare = get;
/** Replace parts of the compare slice (tests; the page uses the actions below). */
export const setCompareState = set;

export function setView(view: ViewName): void {
  set({ view });
}

export function setCompare(compare: CompareConfig): void {
  set((s) => ({ compare, hidden: compare.slots.map((_, i) => s.hidden[i] ?? false) }));
}

export function changeSlot(i: number, optimizer: OptimizerConfig): void {
  setCompare(setSlotOptimizer(get().compare, i, optimizer));
}

export function addCompareSlot(optimizer: OptimizerConfig): void {
  setCompare(addSlot(get().compare, optimizer));
}

export function removeCompareSlot(i: number): void {
  set((s) => ({ compare: removeSlot(s.compare, i), hidden: s.hidden.filter((_, j) => j !== i) }));
}

export function toggleRun(i: number): void {
  set((s) => {
    const hidden = s.compare.slots.map((_, j) => s.hidden[j] ?? false);
    hidden[i] = !hidden[i];
    return { hidden };
  });
}

export function setTargetLoss(targetLoss: number): void {
  if (targetLoss > 0 && Number.isFinite(targetLoss)) set((s) => ({ compare: { ...s.compare, targetLoss } }));
}

/** Seeds per racer (the seed band); a bad value is refused with the reason. */
export function setSeeds(seeds: number): string {
  const problem = seedsProblem(seeds);
  if (!problem) set((s) => ({ compare: { ...s.compare, seeds } }));
  return problem;
}

/**
 * The configs the trainer should run for a base config: one in the playground (and the arena,
 * which trains nothing but keeps the playground's run), one per slot and seed in compare mode,
 * one per cell of the sweep (compare/sweep.ts) in the sweep view.
 */
export function runConfigs(
  base: TrainConfig,
  s: Pick<CompareState, 'view' | 'compare'> = get(),
  sweep: SweepConfig = useStore.getState().sweep.config,
): TrainConfig[] {
  if (s.view === 'sweep') return sweepConfigs(base, sweep);
  return s.view === 'compare' ? raceConfigs(base, s.compare) : [base];
}

// ---------------------------------------------------------------------------------------------
// URL hash (the `view`, `compare` and `sweep` keys urlHash.ts reserves).

/** The hash extras for the current view: the compare set only in compare mode, the sweep only in the sweep view. */
export function compareHashExtras(s: Pick<CompareState, 'view' | 'compare'> = get()): {
  view?: string;
  compare?: string;
  sweep?: string;
} {
  if (s.view === 'train') return {};
  if (s.view === 'sweep') return { view: s.view, sweep: sweepHashExtra() };
  return s.view === 'compare' ? { view: s.view, compare: encodeCompare(s.compare) } : { view: s.view };
}

/**
 * Apply the `view`, `compare` and `sweep` extras of a link; returns notices for bad values. The
 * sweep's validator loads on demand: its notices go to `later` once it has been read.
 */
export function loadCompareExtras(
  extras: { view?: string; compare?: string; sweep?: string },
  later: (notices: Notice[]) => void = () => {},
): Notice[] {
  const notices: Notice[] = [];
  let view: ViewName = 'train';
  if (extras.view !== undefined) {
    if ((VIEW_NAMES as readonly string[]).includes(extras.view)) view = extras.view as ViewName;
    else
      notices.push({
        path: 'view',
        message: `${JSON.stringify(extras.view.slice(0, 20))} is not one of ${VIEW_NAMES.join(', ')}; showing the playground`,
      });
  }
  let compare = get().compare;
  if (extras.compare !== undefined) {
    const d = decodeCompare(extras.compare);
    compare = d.compare;
    notices.push(...d.notices);
  }
  if (extras.sweep !== undefined) void loadSweepExtra(extras.sweep).then(later);
  set({ view, compare, hidden: compare.slots.map(() => false) });
  return notices;
}
