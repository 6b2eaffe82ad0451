// Kept runs and compare sets in IndexedDB (fake-indexeddb in Node): they survive a reopen (a
// reload), damaged records come back repaired or listed, and storage failures (the quota, no
// IndexedDB at all, too many kept runs) reach the caller as StorageErrors with a sentence.
import {
  IDBDatabase as FakeDatabase,
  IDBCursor,
  IDBCursorWithValue,
  IDBFactory,
  IDBIndex,
  IDBKeyRange,
  IDBObjectStore,
  IDBOpenDBRequest,
  IDBRequest,
  IDBTransaction,
} from 'fake-indexeddb';
import { type IDBPDatabase, unwrap } from 'idb';
import { describe, expect, it } from 'vitest';
import { recordFigures } from '../../test-support/figures';
import { defaultCompareConfig, slotConfig } from '../compare/compareSet';
import { defaultConfig } from '../engine';
import { StorageError } from './idb';
import { DB_NAME, type KeptRun, KeptStore, MAX_KEPT, newId } from './keptRuns';

// The IndexedDB classes as globals, as a browser has them (the `idb` library tells requests from
// transactions by them), but no global indexedDB: each test opens its own factory, or none.
const classes = {
  IDBRequest,
  IDBOpenDBRequest,
  IDBDatabase: FakeDatabase,
  IDBTransaction,
  IDBObjectStore,
  IDBIndex,
  IDBCursor,
  IDBCursorWithValue,
  IDBKeyRange,
};
for (const [k, v] of Object.entries(classes)) (globalThis as Record<string, unknown>)[k] ??= v;

function run(label: string, keptAt: number): KeptRun {
  const config = defaultConfig();
  config.optimizer.name = 'adam';
  return {
    id: newId(),
    label,
    keptAt,
    config,
    status: { state: 'paused', step: 300, epoch: 17.1, statusStep: -1, bestValLoss: 0.21, bestEpoch: 16 },
    steps: {
      step: Float64Array.from({ length: 300 }, (_, i) => i),
      loss: Float64Array.from({ length: 300 }, (_, i) => 1 / (i + 1)),
    },
    epochs: { epoch: Float64Array.of(1, 2), valLoss: Float64Array.of(0.5, 0.3) },
    params: Float32Array.from({ length: 114 }, (_, i) => Math.sin(i)),
    bnStats: Float32Array.of(0, 1),
    points: { x: Float32Array.of(0, 0, 1, 1), labels: Int32Array.of(0, 1), classes: 2, classNames: ['a', 'b'] },
    notes: 'a note',
    changes: [],
    start: null,
  };
}

/** The database wrapped so every transaction aborts at commit with a QuotaExceededError, as a full disk does. */
function quotaDb(db: IDBDatabase): IDBDatabase {
  const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  return new Proxy(db, {
    get(target, prop) {
      if (prop !== 'transaction') return Reflect.get(target, prop, target);
      return (names: string, mode: IDBTransactionMode) => {
        const tx = target.transaction(names, mode);
        const wrapped = new Proxy(tx, {
          get(t, p) {
            if (p === 'error') return quota;
            if (p === 'objectStore')
              return (n: string) => {
                const store = t.objectStore(n);
                return new Proxy(store, {
                  get(s, q) {
                    if (q !== 'put') {
                      const v = Reflect.get(s, q, s);
                      return typeof v === 'function' ? v.bind(s) : v;
                    }
                    return (value: unknown) => {
                      const req = s.put(value);
                      req.onsuccess = () => t.abort(); // the write "succeeds", the commit does not
                      return req;
                    };
                  },
                });
              };
            const v = Reflect.get(t, p, t);
            return typeof v === 'function' ? v.bind(t) : v;
          },
          set(t, p, v) {
            return Reflect.set(t, p, v, t);
          },
        });
        return wrapped;
      };
    },
  });
}

describe('kept runs in IndexedDB', () => {
  it('survive a reopen with configs, curves, weights and imported points intact, newest first', async () => {
    const factory = new IDBFactory();
    const a = await KeptStore.open(factory);
    const first = run('SGD baseline', 1000);
    const second = run('Adam', 2000);
    await a.keepRun(first);
    await a.keepRun(second);
    const base = defaultConfig();
    const compare = defaultCompareConfig();
    await a.keepCompareSet({
      id: newId(),
      label: 'six optimizers',
      keptAt: 3000,
      base,
      compare,
      runs: compare.slots.map((s, i) => ({ ...run(`slot ${i}`, 3000), config: slotConfig(base, s) })),
    });
    a.close();
    const b = await KeptStore.open(factory); // a reload
    const runs = await b.listRuns();
    expect(runs.unreadable).toEqual([]);
    expect(runs.items.map((r) => r.value.label)).toEqual(['Adam', 'SGD baseline']);
    const back = runs.items[1].value;
    expect(runs.items[1].notices).toEqual([]);
    expect(back).toEqual(first);
    expect(back.params).toBeInstanceOf(Float32Array);
    expect(back.steps.loss).toBeInstanceOf(Float64Array);
    const sets = await b.listCompareSets();
    expect(sets.items[0].value.runs.map((r) => r.config.optimizer.name)).toEqual(
      compare.slots.map((s) => s.optimizer.name),
    );
    expect(sets.items[0].value.compare).toEqual(compare);
    await b.removeRun(first.id);
    expect((await b.listRuns()).items.map((r) => r.value.id)).toEqual([second.id]);
    b.close();
  });

  it('opens a database written before the idb library (raw IndexedDB, version 1) with its records', async () => {
    // What the hand-written wrapper of the previous version made: database 'descent' version 1,
    // stores keptRuns and keptCompareSets with keyPath 'id', records put as plain objects.
    const factory = new IDBFactory();
    const old = await new Promise<IDBDatabase>((res, rej) => {
      const r = factory.open(DB_NAME, 1);
      r.onupgradeneeded = () => {
        r.result.createObjectStore('keptRuns', { keyPath: 'id' });
        r.result.createObjectStore('keptCompareSets', { keyPath: 'id' });
      };
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const kept = run('kept last week', 42);
    const base = defaultConfig();
    const compare = defaultCompareConfig();
    const set = { id: newId(), label: 'old race', keptAt: 43, base, compare, runs: [run('slot 0', 43)] };
    await new Promise<void>((res, rej) => {
      const tx = old.transaction(['keptRuns', 'keptCompareSets'], 'readwrite');
      tx.objectStore('keptRuns').put(kept);
      tx.objectStore('keptCompareSets').put(set);
      tx.oncomplete = () => res();
      tx.onabort = () => rej(tx.error);
    });
    old.close();
    const store = await KeptStore.open(factory);
    const runs = await store.listRuns();
    expect(runs.unreadable).toEqual([]);
    expect(runs.items.map((r) => r.value)).toEqual([kept]);
    expect(runs.items[0].notices).toEqual([]);
    const sets = await store.listCompareSets();
    expect(sets.items.map((x) => x.value.label)).toEqual(['old race']);
    expect(sets.items[0].value.runs[0]).toEqual(set.runs[0]);
    // and it keeps working on that database: a new run beside the old one
    await store.keepRun(run('new', 44));
    expect((await store.listRuns()).items.map((r) => r.value.label)).toEqual(['new', 'kept last week']);
    store.close();
  });

  it('repairs damaged records with notices and lists unreadable ones, without throwing', async () => {
    const factory = new IDBFactory();
    const store = await KeptStore.open(factory);
    store.close();
    const db = await new Promise<IDBDatabase>((res) => {
      const r = factory.open(DB_NAME);
      r.onsuccess = () => res(r.result);
    });
    const damaged = { ...run('damaged', 5), config: { ...defaultConfig(), batchSize: -4, version: 9 }, params: 'oops' };
    await new Promise<void>((res) => {
      const tx = db.transaction('keptRuns', 'readwrite');
      tx.objectStore('keptRuns').put(damaged);
      tx.objectStore('keptRuns').put({ id: 'x', label: 7 });
      tx.objectStore('keptRuns').put({ id: 'y', config: '<script>' });
      tx.oncomplete = () => res();
    });
    const list = await KeptStore.fromDatabase(db).listRuns();
    const d = list.items.find((r) => r.value.label === 'damaged')!;
    expect(d.notices.map((n) => n.path)).toEqual(['config.version', 'config.batchSize']);
    expect(d.value.config.batchSize).toBe(defaultConfig().batchSize);
    expect(d.value.params).toBeNull();
    // Records with an id but nothing usable come back as defaults with notices, never as exceptions.
    expect(list.items).toHaveLength(3);
    db.close();
  });

  it('reports the quota, a missing IndexedDB and too many kept runs as StorageErrors', async () => {
    const factory = new IDBFactory();
    const store = await KeptStore.open(factory);
    const full = KeptStore.fromDatabase(quotaDb(unwrap((store as unknown as { db: IDBPDatabase }).db)));
    const failure = await full.keepRun(run('too much', 1)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).reason).toBe('quota');
    expect((failure as StorageError).message).toMatch(/storage for this site is full/);
    // Nothing half-written: the aborted run is not listed.
    expect((await store.listRuns()).items).toEqual([]);

    const none = await KeptStore.open(undefined).then(
      () => null,
      (e: unknown) => e,
    );
    expect((none as StorageError).reason).toBe('unavailable');

    for (let i = 0; i < MAX_KEPT; i++) await store.keepRun({ ...run(`r${i}`, i), params: null, steps: {} });
    const over = await store.keepRun(run('one more', 1e6)).then(
      () => null,
      (e: unknown) => e,
    );
    expect((over as StorageError).message).toMatch(/At most 100 runs are kept/);
    expect(await store.count()).toBe(MAX_KEPT);
    recordFigures('kept-runs-storage', {
      quotaFailuresReported: 1,
      unavailableReported: 1,
      limitReported: 1,
      kept: MAX_KEPT,
    });
    store.close();
  });
});
