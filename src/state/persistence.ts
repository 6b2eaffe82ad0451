// Keeps the config in the URL hash (shareable, versioned) and in localStorage (survives a reload
// of a bare URL), and the view preferences in localStorage. Reading order on load:
//   1. the hash, when it holds config fields (a shared link wins, with notices for bad fields);
//   2. else the last config saved in localStorage (validated the same way);
//   3. else the defaults.
// Writing uses history.replaceState, so dragging a slider does not flood the back button.
import { type Notice, parseConfig } from '../config/schema';
import { decodeHash, encodeHash, type HashExtras } from '../config/urlHash';
import type { TrainConfig } from '../engine/types';
import { loadConfig, setUi } from './actions';
import { INITIAL_UI, type State, type UiSlice, useStore } from './store';

export const CONFIG_KEY = 'descent.config';
export const UI_KEY = 'descent.ui';

// Reserved hash parameters (lesson, view, compare): kept here so features outside the config
// (lessons, presenter mode) can set them and have them written with the config.
let extras: HashExtras = {};
let rewriteHash: (() => void) | null = null;
const extrasListeners = new Set<(e: HashExtras) => void>();

/** The reserved parameters of the current link. */
export const getHashExtras = (): HashExtras => extras;

/** Set reserved parameters (undefined removes one) and rewrite the hash with the config. */
export function setHashExtras(patch: Partial<HashExtras>): void {
  extras = { ...extras, ...patch };
  rewriteHash?.();
}

/** Called when a pasted link changes the reserved parameters; returns an unsubscribe. */
export function onHashExtras(fn: (e: HashExtras) => void): () => void {
  extrasListeners.add(fn);
  return () => extrasListeners.delete(fn);
}

/** The subset of Storage we use (tests pass a Map-backed one). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface InitialConfig {
  config: TrainConfig;
  notices: Notice[];
  source: State['noticeSource'];
  extras: HashExtras;
}

/** Decide the starting config from a hash and storage (pure apart from reading storage). */
export function initialConfig(hash: string, storage: KeyValueStorage | null): InitialConfig {
  const fromHash = decodeHash(hash);
  if (fromHash.hasConfig || fromHash.notices.length > 0) {
    return { config: fromHash.config, notices: fromHash.notices, source: 'link', extras: fromHash.extras };
  }
  const saved = readStorage(storage, CONFIG_KEY);
  if (saved !== null) {
    let json: unknown;
    try {
      json = JSON.parse(saved);
    } catch {
      const { config } = parseConfig({}, { reportMissing: false });
      return {
        config,
        notices: [{ path: 'config', message: 'the saved config was not valid JSON; using the defaults' }],
        source: 'saved',
        extras: fromHash.extras,
      };
    }
    const { config, notices } = parseConfig(json);
    return { config, notices, source: 'saved', extras: fromHash.extras };
  }
  return { ...parseConfig({}, { reportMissing: false }), source: null, extras: fromHash.extras };
}

function readStorage(storage: KeyValueStorage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null; // storage disabled (privacy mode): behave as empty
  }
}

/** View preferences from storage; anything unreadable falls back field by field. */
export function readUiPrefs(storage: KeyValueStorage | null): Partial<UiSlice> {
  const text = readStorage(storage, UI_KEY);
  if (!text) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const out: Partial<UiSlice> = {};
  if (r.theme === 'light' || r.theme === 'dark') out.theme = r.theme;
  if (r.xAxis === 'steps' || r.xAxis === 'epochs') out.xAxis = r.xAxis;
  if (typeof r.logScale === 'boolean') out.logScale = r.logScale;
  if (typeof r.smoothing === 'number' && r.smoothing >= 0 && r.smoothing <= 0.999) out.smoothing = r.smoothing;
  if (r.speed === 'max' || (typeof r.speed === 'number' && r.speed >= 1 && r.speed <= 10000)) out.speed = r.speed;
  return out;
}

function prefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

/** The change-list codec (config/changes.ts), loaded when a link has one or the run records one. */
let changesCodec: typeof import('../config/changes') | null = null;
const codec = async () => {
  changesCodec ??= await import('../config/changes');
  return changesCodec;
};

/**
 * Wire the store to location.hash and localStorage. Returns a function that undoes the wiring.
 * Storage write errors (quota) are shown as a notice, never swallowed.
 */
export function startPersistence(): () => void {
  const storage = typeof localStorage === 'undefined' ? null : localStorage;
  const init = initialConfig(location.hash, storage);
  // A link with mid-run changes (chg=): its config is the start; the changes are replayed at their
  // steps (trainerSync.ts plans them). The codec (config/changes.ts) loads on demand: until it has,
  // the link's chg stays in the hash as it came.
  const replay = (d: { config: TrainConfig; extras: HashExtras }) =>
    codec().then((m) => {
      const c = m.decodeChanges(d.config, d.extras.chg ?? '');
      const h = useStore.getState().history;
      extras = { ...extras, chg: undefined };
      useStore.setState({
        history:
          c.changes.length > 0
            ? { ...h, start: d.config, changes: c.changes, gen: -1, branch: null }
            : { ...h, start: null, changes: [] },
        ...(c.notices.length > 0 && {
          notices: [...useStore.getState().notices, ...c.notices],
          noticeSource: 'link' as const,
        }),
      });
    });
  loadConfig(init.config, init.notices, init.source);
  if (init.source === 'link' && init.extras.chg) void replay(init);
  const prefs = readUiPrefs(storage);
  setUi({
    ...(prefs.theme ? {} : { theme: prefersDark() ? 'dark' : INITIAL_UI.theme }),
    ...prefs,
    hidden: init.extras.hide ?? [],
  });

  extras = init.extras;
  let written = '';
  const writeHash = (cfg: TrainConfig) => {
    // with mid-run changes the link holds the config the run started with, and the changes
    const h = useStore.getState().history;
    let chg = extras.chg;
    if (h.start && h.changes.length > 0) {
      if (changesCodec) chg = changesCodec.encodeChanges(h.start, h.changes);
      else void codec().then(() => rewriteHash?.());
    }
    written = encodeHash(chg && h.start ? h.start : cfg, { ...extras, chg, hide: useStore.getState().ui.hidden });
    if (location.hash.slice(1) !== written) history.replaceState(history.state, '', `#${written}`);
  };
  const save = (key: string, value: unknown) => {
    try {
      storage?.setItem(key, JSON.stringify(value));
    } catch (e) {
      const why = e instanceof Error ? e.name : 'error';
      useStore.setState({
        notices: [
          { path: 'storage', message: `could not save to local storage (${why}); the link still holds the config` },
        ],
        noticeSource: 'saved',
      });
    }
  };
  writeHash(init.config);
  rewriteHash = () => writeHash(useStore.getState().config);
  save(CONFIG_KEY, init.config);

  const unsubConfig = useStore.subscribe(
    (s) => s.config,
    (cfg) => {
      writeHash(cfg);
      save(CONFIG_KEY, cfg);
    },
  );
  const unsubHistory = useStore.subscribe(
    (s) => s.history.changes,
    () => writeHash(useStore.getState().config),
  );
  const unsubUi = useStore.subscribe(
    (s) => s.ui,
    (ui) =>
      save(UI_KEY, {
        theme: ui.theme,
        xAxis: ui.xAxis,
        logScale: ui.logScale,
        smoothing: ui.smoothing,
        speed: ui.speed,
      }),
  );
  // A link pasted into the address bar of an open tab only changes the hash: load it.
  const onHashChange = () => {
    if (location.hash.slice(1) === written) return;
    const d = decodeHash(location.hash);
    extras = d.extras;
    for (const fn of extrasListeners) fn(extras);
    setUi({ hidden: d.extras.hide ?? [] });
    loadConfig(d.config, d.notices, 'link');
    if (d.extras.chg) void replay(d);
    else useStore.setState({ history: { ...useStore.getState().history, start: null, changes: [] } });
  };
  addEventListener('hashchange', onHashChange);
  return () => {
    unsubConfig();
    unsubHistory();
    unsubUi();
    removeEventListener('hashchange', onHashChange);
  };
}
