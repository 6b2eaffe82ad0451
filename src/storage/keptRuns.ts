// Runs the user chose to keep ("Keep run") and compare sets, in IndexedDB so they survive a
// reload or a closed tab. A kept run holds its config, its final status, its curves as the page
// held them (already down-sampled, so bounded), its weights with its batch-norm running statistics,
// the user's notes, its mid-run changes (with the config it started from) and, when it trained on
// imported points, those points. It travels as a run bundle (bundle.ts). Records are re-validated when read: a record written by another version
// or damaged on disk comes back repaired with notices, or is listed as unreadable, never thrown.

import { type IDBPDatabase, wrap } from 'idb';
import type { CompareConfig } from '../compare/compareSet';
import { parseCompareConfig } from '../compare/compareSet';
import type { ConfigChange } from '../config/changes';
import { type Notice, parseConfig } from '../config/schema';
import type { ImportedPoints } from '../engine/data/points';
import type { TrainConfig } from '../engine/types';
import { openDatabase, StorageError, transact } from './idb';

export const DB_NAME = 'descent';
export const DB_VERSION = 1;
const RUNS = 'keptRuns';
const SETS = 'keptCompareSets';
/** Kept runs at most: beyond this, keeping asks the user to remove some (never evicts silently). */
export const MAX_KEPT = 100;
/** Characters of a kept run's label and notes. */
export const MAX_LABEL = 200;
export const MAX_NOTES = 10_000;

/** Final state of a kept run (RunStatusInfo fields, plain data). */
export interface KeptStatus {
  state: string;
  step: number;
  epoch: number;
  statusStep: number;
  bestValLoss: number;
  bestEpoch: number;
}

export interface KeptRun {
  id: string;
  label: string;
  /** ms since 1970. */
  keptAt: number;
  config: TrainConfig;
  status: KeptStatus;
  /** Per-step and per-epoch columns by name (as the page's ring buffers held them). */
  steps: Record<string, Float64Array>;
  epochs: Record<string, Float64Array>;
  /** theta[P], or null when it could not be read. */
  params: Float32Array | null;
  /** Batch-norm running statistics [SS] (runMean | runVar per BN layer, engine/layout.ts), null when unread; empty without BN. */
  bnStats: Float32Array | null;
  /** The imported points it trained on, else null. */
  points: ImportedPoints | null;
  /** The user's notes. */
  notes: string;
  /** Mid-run changes of its settings (config = the settings from that step on), and the config it started with. */
  changes: ConfigChange[];
  start: TrainConfig | null;
}

export interface KeptCompareSet {
  id: string;
  label: string;
  keptAt: number;
  base: TrainConfig;
  compare: CompareConfig;
  /** One kept run per slot, in slot order. */
  runs: KeptRun[];
}

/** A record read back: the value (repaired where needed) and what had to be repaired. */
export interface Read<T> {
  value: T;
  notices: Notice[];
}

export interface Listing<T> {
  items: Read<T>[];
  /** Records that could not be read at all (id and why). */
  unreadable: { id: string; why: string }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function readColumns(v: unknown): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  if (!isObj(v)) return out;
  for (const [k, col] of Object.entries(v)) if (col instanceof Float64Array) out[k] = col;
  return out;
}

function readPoints(v: unknown): ImportedPoints | null {
  if (!isObj(v)) return null;
  const { x, labels, classes, classNames } = v;
  if (!(x instanceof Float32Array && labels instanceof Int32Array && typeof classes === 'number')) return null;
  if (!Array.isArray(classNames) || x.length !== 2 * labels.length) return null;
  return { x, labels, classes, classNames: classNames.map(String) };
}

/** A stored run as a KeptRun (config through the schema), or the reason it cannot be one. */
export function readKeptRun(raw: unknown, where = ''): Read<KeptRun> | string {
  if (!isObj(raw) || typeof raw.id !== 'string') return 'not a kept run';
  const parsed = parseConfig(raw.config);
  const s = isObj(raw.status) ? raw.status : {};
  const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : Number.NaN);
  const value: KeptRun = {
    id: raw.id,
    label: typeof raw.label === 'string' ? raw.label.slice(0, MAX_LABEL) : 'kept run',
    keptAt: typeof raw.keptAt === 'number' ? raw.keptAt : 0,
    config: parsed.config,
    status: {
      state: typeof s.state === 'string' ? s.state : 'unknown',
      step: num('step'),
      epoch: num('epoch'),
      statusStep: num('statusStep'),
      bestValLoss: num('bestValLoss'),
      bestEpoch: num('bestEpoch'),
    },
    steps: readColumns(raw.steps),
    epochs: readColumns(raw.epochs),
    params: raw.params instanceof Float32Array ? raw.params : null,
    bnStats: raw.bnStats instanceof Float32Array ? raw.bnStats : null,
    points: readPoints(raw.points),
    notes: typeof raw.notes === 'string' ? raw.notes.slice(0, MAX_NOTES) : '',
    changes: [],
    start: null,
  };
  const notices = parsed.notices.map((n) => ({ path: `${where}config.${n.path}`, message: n.message }));
  // changes and start: read through the schema; a damaged list is dropped whole (the curves stay)
  if (Array.isArray(raw.changes) && raw.changes.length > 0 && isObj(raw.start)) {
    const start = parseConfig(raw.start);
    const changes: ConfigChange[] = [];
    for (const c of raw.changes) {
      if (!isObj(c) || typeof c.step !== 'number') break;
      const cfg = parseConfig(c.config);
      if (cfg.notices.length > 0) break;
      changes.push({ step: c.step, config: cfg.config });
    }
    if (start.notices.length === 0 && changes.length === raw.changes.length) {
      value.start = start.config;
      value.changes = changes;
    } else
      notices.push({ path: `${where}changes`, message: 'the list of mid-run changes could not be read; left out' });
  }
  return { value, notices };
}

function readKeptSet(raw: unknown): Read<KeptCompareSet> | string {
  if (!isObj(raw) || typeof raw.id !== 'string' || !Array.isArray(raw.runs)) return 'not a kept compare set';
  const base = parseConfig(raw.base);
  const compare = parseCompareConfig(raw.compare);
  const notices: Notice[] = [
    ...base.notices.map((n) => ({ path: `base.${n.path}`, message: n.message })),
    ...compare.notices,
  ];
  const runs: KeptRun[] = [];
  raw.runs.forEach((r, i) => {
    const k = readKeptRun(r, `runs[${i}].`);
    if (typeof k === 'string') notices.push({ path: `runs[${i}]`, message: `${k}; left out` });
    else {
      runs.push(k.value);
      notices.push(...k.notices);
    }
  });
  const value: KeptCompareSet = {
    id: raw.id,
    label: typeof raw.label === 'string' ? raw.label.slice(0, 200) : 'kept compare set',
    keptAt: typeof raw.keptAt === 'number' ? raw.keptAt : 0,
    base: base.config,
    compare: compare.compare,
    runs,
  };
  return { value, notices };
}

/** A fresh id (crypto.randomUUID where available; the time and a counter otherwise). */
let counter = 0;
export function newId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID ? c.randomUUID() : `${Date.now().toString(36)}-${(counter++).toString(36)}`;
}

export class KeptStore {
  private constructor(private readonly db: IDBPDatabase) {}

  /** Over an already open database with both stores (tests wrap one to inject failures). */
  static fromDatabase(db: IDBDatabase): KeptStore {
    return new KeptStore(wrap(db));
  }

  /** Opens the store; rejects with a StorageError ('unavailable', 'blocked', ...) saying why. */
  static async open(factory: IDBFactory | undefined = globalThis.indexedDB): Promise<KeptStore> {
    const db = await openDatabase(factory, DB_NAME, DB_VERSION, [
      { name: RUNS, keyPath: 'id' },
      { name: SETS, keyPath: 'id' },
    ]);
    return new KeptStore(db);
  }

  async count(): Promise<number> {
    return transact(this.db, RUNS, 'readonly', 'count the kept runs', (s) => s.count());
  }

  /** Saves a run (rejects with a StorageError: quota, too many kept runs, ...). */
  async keepRun(run: KeptRun): Promise<void> {
    if ((await this.count()) >= MAX_KEPT)
      throw new StorageError('quota', `At most ${MAX_KEPT} runs are kept: remove some before keeping another.`);
    await transact(this.db, RUNS, 'readwrite', `keep the run "${run.label}"`, (s) => s.put(run));
  }

  /** Rename a kept run or change its notes (one transaction: read, change, write). */
  async editRun(id: string, patch: { label?: string; notes?: string }): Promise<void> {
    await transact(this.db, RUNS, 'readwrite', 'save the kept run', async (s) => {
      const raw: unknown = await s.get(id);
      if (!isObj(raw)) throw new StorageError('failed', 'That kept run is gone (removed in another tab?).');
      const next = { ...raw };
      if (patch.label !== undefined) next.label = patch.label.slice(0, MAX_LABEL);
      if (patch.notes !== undefined) next.notes = patch.notes.slice(0, MAX_NOTES);
      await s.put(next);
    });
  }

  async keepCompareSet(set: KeptCompareSet): Promise<void> {
    await transact(this.db, SETS, 'readwrite', `keep the compare set "${set.label}"`, (s) => s.put(set));
  }

  async listRuns(): Promise<Listing<KeptRun>> {
    return this.list(RUNS, (raw) => readKeptRun(raw));
  }

  async listCompareSets(): Promise<Listing<KeptCompareSet>> {
    return this.list(SETS, readKeptSet);
  }

  async removeRun(id: string): Promise<void> {
    await transact(this.db, RUNS, 'readwrite', 'remove the kept run', (s) => s.delete(id));
  }

  async removeCompareSet(id: string): Promise<void> {
    await transact(this.db, SETS, 'readwrite', 'remove the kept compare set', (s) => s.delete(id));
  }

  close(): void {
    this.db.close();
  }

  private async list<T>(store: string, read: (raw: unknown) => Read<T> | string): Promise<Listing<T>> {
    const raws = await transact(this.db, store, 'readonly', 'read the kept runs', async (s) => {
      const v: unknown = await s.getAll();
      return Array.isArray(v) ? (v as unknown[]) : [];
    });
    const out: Listing<T> = { items: [], unreadable: [] };
    for (const raw of raws) {
      const r = read(raw);
      if (typeof r === 'string') out.unreadable.push({ id: isObj(raw) ? String(raw.id) : '?', why: r });
      else out.items.push(r);
    }
    out.items.sort((a, b) => (b.value as { keptAt: number }).keptAt - (a.value as { keptAt: number }).keptAt);
    return out;
  }
}
