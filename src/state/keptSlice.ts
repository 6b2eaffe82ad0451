// The page's view of the kept runs (the `kept` slice of store.ts): what IndexedDB holds, plus the actions of the "Kept runs"
// panel (keep the current run or race, load one back, remove one). Every storage failure lands
// in `error` as a sentence for the panel (quota, no IndexedDB, another tab), never swallowed.
import type { Notice } from '../config/schema';
import { StorageError } from '../storage/idb';
import { type KeptCompareSet, type KeptRun, KeptStore, type Read } from '../storage/keptRuns';
import type { RunBuffers } from '../trainer/runBuffers';
import { keptFromBridge, keptSetFromBridge } from '../trainer/snapshotRun';
import { loadConfig } from './actions';
import { getCompare, setCompare, setView } from './compareSlice';
import { getImported, loadImportedPoints } from './importSlice';
import { type KeptState, sliceAccess, useStore } from './store';

export type { KeptState };

/** A component's view of the kept slice. */
export const useKept = <T = KeptState>(select: (s: KeptState) => T = (s) => s as T): T =>
  useStore((s) => select(s.kept));

const kept = sliceAccess('kept');
/** The kept slice now (for code outside React). */
export const getKept = kept.get;

let opening: Promise<KeptStore> | null = null;
function store(): Promise<KeptStore> {
  opening ??= KeptStore.open().catch((e: unknown) => {
    opening = null; // try again next time (e.g. after the other tab closed)
    throw e;
  });
  return opening;
}

const text = (e: unknown) =>
  e instanceof StorageError ? e.message : `Kept runs: ${e instanceof Error ? e.message : String(e)}`;

async function act(work: (s: KeptStore) => Promise<string | null>): Promise<void> {
  kept.set({ busy: true, error: null, message: null });
  try {
    const s = await store();
    const message = await work(s);
    const [runs, sets] = await Promise.all([s.listRuns(), s.listCompareSets()]);
    kept.set({
      loaded: true,
      runs: runs.items,
      sets: sets.items,
      unreadable: runs.unreadable.length + sets.unreadable.length,
      message,
    });
  } catch (e) {
    kept.set({ error: text(e) });
  } finally {
    kept.set({ busy: false });
  }
}

/** Read what is kept (on first showing the panel, and after every change). */
export const refreshKept = () => act(async () => null);

/** Keep the current run (playground) or the whole race (compare view), read from `bridge` (useRunBuffers). */
export function keepCurrent(bridge: RunBuffers | null): Promise<void> {
  return act(async (s) => {
    if (!bridge?.getState().status) throw new Error('there is no run to keep yet');
    const imported = getImported();
    if (getCompare().view === 'compare') {
      const set = await keptSetFromBridge(bridge, useStore.getState().config, getCompare().compare, imported.points);
      await s.keepCompareSet(set);
      return `Kept the race “${set.label}”.`;
    }
    const run = await keptFromBridge(bridge, 0, imported.points, imported.fileName ?? undefined);
    await s.keepRun(run);
    return `Kept “${run.label}”.`;
  });
}

export function removeKept(id: string, kind: 'run' | 'set'): Promise<void> {
  return act(async (s) => {
    if (kind === 'run') await s.removeRun(id);
    else await s.removeCompareSet(id);
    return null;
  });
}

/** Load a kept run's config (and imported points) back into the playground, with notices for anything repaired. */
export function loadKeptRun(k: Read<KeptRun>): void {
  setView('train');
  loadConfig(k.value.config, k.notices as Notice[], 'saved');
  if (k.value.points) void loadImportedPoints(k.value.points, k.value.label);
  kept.set({ message: `Loaded the config of “${k.value.label}”.`, error: null });
}

/** Load a kept race: its base config and compare set, in the compare view. */
export function loadKeptSet(k: Read<KeptCompareSet>): void {
  setCompare(k.value.compare);
  loadConfig(k.value.base, k.notices as Notice[], 'saved');
  setView('compare');
  kept.set({ message: `Loaded the race “${k.value.label}”.`, error: null });
}
