// The hyperparameter sweep: the `sweep` slice of the page's store (store.ts) and its actions.
// Its config lives in the URL (`view=sweep&sweep=sgd,adam:lr_0.001_1_8:ep_20:final`, written and
// read through compareSlice's hash extras), so a reload or a shared link trains the same grid.
// Edits go through parseSweepConfig, the validator the link uses: a bad value is refused with
// the reason, and the sweep in use stays as it was.
import { cellConfig, parseSweepConfig, type SweepConfig, sweepCells } from '../compare/sweep';
import { decodeSweep, encodeSweep, type SweepDisplay } from '../compare/sweepHash';
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

/**
 * Change part of the sweep. Returns '' when applied, else the first problem in words with its
 * field ("sweep.lrCount: 20 is not a whole number ..."), and nothing changes.
 */
export function editSweep(patch: Partial<SweepConfig>): string {
  const next = { ...get().config, ...patch };
  const { sweep, notices } = parseSweepConfig(next);
  if (notices.length > 0)
    return `${notices[0].path}: ${notices[0].message.replace(/; (using|left out|no extra).*$/, '')}`;
  set({ config: sweep });
  return '';
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

/** Apply the `sweep` extra of a link; returns notices for bad parts. */
export function loadSweepExtra(text: string | undefined): Notice[] {
  if (text === undefined) return [];
  const d = decodeSweep(text);
  set({ config: d.sweep, display: d.display });
  return d.notices;
}
