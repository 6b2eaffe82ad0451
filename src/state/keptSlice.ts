// The page's view of the kept runs: what IndexedDB holds, plus the actions of the "Kept runs"
// panel (keep the current run or race, load one back, remove one). Every storage failure lands
// in `error` as a sentence for the panel (quota, no IndexedDB, another tab), never swallowed.
import { create } from 'zustand';
import type { Notice } from '../config/schema';
import { StorageError } from '../storage/idb';
import { type KeptCompareSet, type KeptRun, KeptStore, type Read } from '../storage/keptRuns';
import { keptFromBridge, keptSetFromBridge } from '../trainer/snapshotRun';
import { loadConfig } from './actions';
import { setCompare, setView, useCompare } from './compareSlice';
import { loadImportedPoints, useImported } from './importSlice';
import { useStore } from './store';
import { getBridge } from './trainerSync';

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
}

export const useKept = create<KeptState>()(() => ({
  loaded: false,
  runs: [],
  sets: [],
  unreadable: 0,
  busy: false,
  error: null,
  message: null,
}));

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
  useKept.setState({ busy: true, error: null, message: null });
  try {
    const s = await store();
    const message = await work(s);
    const [runs, sets] = await Promise.all([s.listRuns(), s.listCompareSets()]);
    useKept.setState({
      loaded: true,
      runs: runs.items,
      sets: sets.items,
      unreadable: runs.unreadable.length + sets.unreadable.length,
      message,
    });
  } catch (e) {
    useKept.setState({ error: text(e) });
  } finally {
    useKept.setState({ busy: false });
  }
}

/** Read what is kept (on first showing the panel, and after every change). */
export const refreshKept = () => act(async () => null);

/** Keep the current run (playground) or the whole race (compare view). */
export function keepCurrent(): Promise<void> {
  return act(async (s) => {
    const bridge = getBridge();
    if (!bridge?.getState().status) throw new Error('there is no run to keep yet');
    const imported = useImported.getState();
    if (useCompare.getState().view === 'compare') {
      const set = await keptSetFromBridge(
        bridge,
        useStore.getState().config,
        useCompare.getState().compare,
        imported.points,
      );
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
  useKept.setState({ message: `Loaded the config of “${k.value.label}”.`, error: null });
}

/** Load a kept race: its base config and compare set, in the compare view. */
export function loadKeptSet(k: Read<KeptCompareSet>): void {
  setCompare(k.value.compare);
  loadConfig(k.value.base, k.notices as Notice[], 'saved');
  setView('compare');
  useKept.setState({ message: `Loaded the race “${k.value.label}”.`, error: null });
}
