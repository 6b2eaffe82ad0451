// A small promise layer over IndexedDB for the kept runs: open with an upgrade, one
// transaction per call, and every failure turned into a StorageError that says what happened
// in words: the disk quota ('quota'), a browser that gives no IndexedDB ('unavailable', e.g.
// some private modes), another tab holding an old version open ('blocked'), anything else
// ('failed'). Nothing here swallows an error; callers show the message.

export type StorageFailure = 'quota' | 'unavailable' | 'blocked' | 'failed';

export class StorageError extends Error {
  constructor(
    readonly reason: StorageFailure,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

/** Any error from IndexedDB as a StorageError with a sentence for the page. */
export function storageError(e: unknown, doing: string): StorageError {
  if (e instanceof StorageError) return e;
  const name = (e as { name?: unknown } | null)?.name;
  const detail = e instanceof Error || e instanceof DOMException ? e.message : String(e);
  if (typeof name === 'string' && QUOTA_NAMES.has(name))
    return new StorageError(
      'quota',
      `Could not ${doing}: the browser's storage for this site is full. Remove some kept runs and try again.`,
    );
  return new StorageError('failed', `Could not ${doing}: ${detail || String(name ?? 'unknown error')}`);
}

export interface StoreSpec {
  name: string;
  keyPath: string;
}

/** Opens (creating or upgrading) a database with the given object stores. */
export function openDatabase(
  factory: IDBFactory | undefined,
  name: string,
  version: number,
  stores: readonly StoreSpec[],
): Promise<IDBDatabase> {
  if (!factory)
    return Promise.reject(
      new StorageError(
        'unavailable',
        'This browser gives the page no IndexedDB (private mode?): kept runs cannot be saved.',
      ),
    );
  return new Promise((resolve, reject) => {
    let req: IDBOpenDBRequest;
    try {
      req = factory.open(name, version);
    } catch (e) {
      reject(new StorageError('unavailable', `IndexedDB could not be opened: ${String(e)}`));
      return;
    }
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const s of stores)
        if (!db.objectStoreNames.contains(s.name)) db.createObjectStore(s.name, { keyPath: s.keyPath });
    };
    req.onsuccess = () => {
      const db = req.result;
      // Another tab upgrading the schema: let it, and fail our later calls loudly rather than block it.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    req.onerror = () => reject(storageError(req.error, 'open the kept-runs storage'));
    req.onblocked = () =>
      reject(new StorageError('blocked', 'Kept runs are locked by another Descent tab: close it and reload.'));
  });
}

/**
 * Runs `work` in one transaction and resolves with its result once the transaction COMMITS
 * (a quota failure shows up as an abort after the request itself succeeded).
 */
export function transact<T>(
  db: IDBDatabase,
  store: string,
  mode: IDBTransactionMode,
  doing: string,
  work: (s: IDBObjectStore) => IDBRequest | null,
  pick: (r: IDBRequest | null) => T,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let tx: IDBTransaction;
    let req: IDBRequest | null = null;
    try {
      tx = db.transaction(store, mode);
      req = work(tx.objectStore(store));
    } catch (e) {
      reject(storageError(e, doing));
      return;
    }
    tx.oncomplete = () => resolve(pick(req));
    // A failed request aborts the transaction (its error bubbles up); a quota failure aborts at commit.
    tx.onabort = () => reject(storageError(tx.error ?? req?.error ?? new Error('transaction aborted'), doing));
  });
}
