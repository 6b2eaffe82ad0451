// The hyperparameter sweep: the `sweep` slice of the page's store (store.ts) and its actions.
// Its config lives in the URL (`view=sweep&sweep=sgd,adam:lr_0.001_1_8:ep_20:final`, written and
// read through compareSlice's hash extras), so a reload or a shared link trains the same grid.
// The validator (compare/sweepHash.ts) loads on demand: a sweep link is read a moment after the
// page starts, and the view's edits (sweepEdit.ts) load with the view.
import { cellConfig, encodeSweep, type SweepConfig, type SweepDisplay, sweepCells } from '../compare/sweep';
import type { Notice } from '../config/schema';
import { commitConfig } from './actions';
import { type SweepState, sliceAccess, useStore } from './store';

export type { SweepState };

/** A component's view of the sweep slice (an atomic selector, as everywhere in the store). */
export const useSweep = <T>(select: (s: SweepState) => T): T => useStore((s) => select(s.sweep));

const { get, set } = sliceAccess('sweep');
const compare = sliceAccess('compare');
/** The sweep slice now (for code outside React). */
export const getSweep = get;

/** Replace the sweep (already validated: parseSweepConfig's output). */
export function setSweepConfig(config: SweepConfig): void {
  set({ config });
}

export function setSweepDisplay(display: SweepDisplay): void {
  set({ display });
}

/** Open cell i's run in the playground: its optimizer, lr, extra value and epochs become the config. */
export function openCell(i: number): void {
  const s = get().config;
  const cell = sweepCells(s)[i];
  if (!cell) return;
  const next = cellConfig(useStore.getState().config, cell, s);
  // The view first: the trainer then gets one run of the new config, not a sweep on a new base.
  compare.set({ view: 'train' });
  commitConfig(next);
}

/** The `sweep` hash extra (written in the sweep view only). */
export function sweepHashExtra(s: SweepState = get()): string {
  return encodeSweep(s.config, s.display);
}

/**
 * Apply the `sweep` extra of a link (the validator loads first); resolves with the notices of its
 * bad parts, each naming its field. Undefined (no sweep in the link): nothing changes.
 */
export async function loadSweepExtra(text: string | undefined): Promise<Notice[]> {
  if (text === undefined) return [];
  const { decodeSweep } = await import('../compare/sweepHash');
  const d = decodeSweep(text);
  set({ config: d.sweep, display: d.display });
  return d.notices;
}
