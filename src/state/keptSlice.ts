// The page's view of the kept runs (the `kept` slice of store.ts): what IndexedDB holds, plus the actions of the "Kept runs"
// panel (keep the current run or race, load one back, remove one). Every storage failure lands
// in `error` as a sentence for the panel (quota, no IndexedDB, another tab), never swallowed.
import type { Notice } from '../config/schema';
import { bundleText, problemsText, readBundle } from '../storage/bundle';
import { StorageError } from '../storage/idb';
import { type KeptCompareSet, type KeptRun, KeptStore, type Read } from '../storage/keptRuns';
import type { RunBuffers } from '../trainer/runBuffers';
import { keptFromBridge, keptSetFromBridge } from '../trainer/snapshotRun';
import { loadConfig } from './actions';
import { getCompare, setCompare, setView } from './compareSlice';
import { syncOverlays } from './historySlice';
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

export type { KeptRun };

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
    syncOverlays(runs.items.map((r) => r.value));
  } catch (e) {
    kept.set({ error: text(e) });
  } finally {
    kept.set({ busy: false });
    void estimateQuota();
  }
}

/** How much of the browser's storage the site uses (navigator.storage.estimate), or why that is unknown. */
export async function estimateQuota(): Promise<void> {
  const est = (globalThis.navigator as Navigator | undefined)?.storage?.estimate;
  if (typeof est !== 'function') {
    kept.set({ quota: 'This browser does not report its storage use.' });
    return;
  }
  try {
    const { usage, quota } = await navigator.storage.estimate();
    kept.set({
      quota:
        usage !== undefined && quota
          ? `Storage: ${mb(usage)} used of ${mb(quota)} (${((100 * usage) / quota).toPrecision(2)}%).`
          : 'The browser did not say how much storage is left.',
    });
  } catch (e) {
    kept.set({ quota: `Storage use unknown: ${e instanceof Error ? e.message : String(e)}` });
  }
}

const mb = (bytes: number) =>
  bytes >= 1e9
    ? `${(bytes / 1e9).toFixed(1)} GB`
    : bytes >= 1e6
      ? `${(bytes / 1e6).toFixed(1)} MB`
      : `${Math.ceil(bytes / 1e3)} kB`;

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
    const h = useStore.getState().history;
    const run = await keptFromBridge(bridge, 0, imported.points, imported.fileName ?? undefined, {
      start: h.start,
      changes: h.changes,
    });
    await s.keepRun(run);
    return `Kept “${run.label}”.`;
  });
}

/** Keep the branch (run 1) as a run of its own. */
export function keepBranch(bridge: RunBuffers | null): Promise<void> {
  return act(async (s) => {
    const br = useStore.getState().history.branch;
    if (!bridge || !br || bridge.getState().configs.length < 2) throw new Error('there is no branch to keep');
    const imported = getImported();
    const run = await keptFromBridge(bridge, 1, imported.points, imported.fileName ?? undefined);
    run.label = `${run.label} (branch @ step ${br.step}: ${br.text})`.slice(0, 200);
    await s.keepRun(run);
    return `Kept “${run.label}”.`;
  });
}

/** Rename a kept run and/or change its notes. */
export function editKept(id: string, patch: { label?: string; notes?: string }): Promise<void> {
  return act(async (s) => {
    await s.editRun(id, patch);
    return 'Saved.';
  });
}

/** The kept run as a bundle file (JSON, storage/bundle.ts), for the caller to download. */
export function keptBundle(run: KeptRun): { text: string; name: string } {
  const name = `descent-run-${
    run.label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'run'
  }.json`;
  return { text: bundleText(run), name };
}

/** Import a run bundle as a new kept run; a bad file is refused whole, every problem named (path: why). */
export function importBundle(fileName: string, text: string): Promise<void> {
  return act(async (s) => {
    const r = readBundle(text);
    if (!r.ok) throw new Error(`“${fileName}” was not imported: ${problemsText(r.problems)}`);
    await s.keepRun(r.run);
    return `Imported “${r.run.label}”.`;
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
