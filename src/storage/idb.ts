// A small promise layer over IndexedDB for the kept runs: open with an upgrade, one
// transaction per call, and every failure turned into a StorageError that says what happened
// in words: the disk quota ('quota'), a browser that gives no IndexedDB ('unavailable', e.g.
// some private modes), another tab holding an old version open ('blocked'), anything else
// ('failed'). Nothing here swallows an error; callers show the message. The promise plumbing
// (requests, transactions settling on commit or abort) is the `idb` library's.
import { type IDBPDatabase, type IDBPObjectStore, type IDBPTransaction, wrap } from 'idb';

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

/**
 * Opens (creating or upgrading) a database with the given object stores, through the `idb`
 * library (its upgrade callback creates a store that is missing, so a database of an older
 * version keeps its records).
 */
export async function openDatabase(
  factory: IDBFactory | undefined,
  name: string,
  version: number,
  stores: readonly StoreSpec[],
): Promise<IDBPDatabase> {
  if (!factory)
    throw new StorageError(
      'unavailable',
      'This browser gives the page no IndexedDB (private mode?): kept runs cannot be saved.',
    );
  // `idb` opens through the global indexedDB; tests and callers pass their own factory.
  let req: IDBOpenDBRequest;
  try {
    req = factory.open(name, version);
  } catch (e) {
    throw new StorageError('unavailable', `IndexedDB could not be opened: ${String(e)}`);
  }
  req.onupgradeneeded = () => {
    const db = req.result;
    for (const s of stores)
      if (!db.objectStoreNames.contains(s.name)) db.createObjectStore(s.name, { keyPath: s.keyPath });
  };
  const blocked = new Promise<never>((_, reject) => {
    req.onblocked = () =>
      reject(new StorageError('blocked', 'Kept runs are locked by another Descent tab: close it and reload.'));
  });
  try {
    const db = (await Promise.race([wrap(req), blocked])) as IDBPDatabase;
    // Another tab upgrading the schema: let it, and fail our later calls loudly rather than block it.
    db.addEventListener('versionchange', () => db.close());
    return db;
  } catch (e) {
    throw storageError(e, 'open the kept-runs storage');
  }
}

/**
 * Runs `work` in one transaction and resolves with its result once the transaction COMMITS
 * (a quota failure shows up as an abort after the request itself succeeded: `tx.done` rejects).
 */
export async function transact<T, M extends IDBTransactionMode>(
  db: IDBPDatabase,
  store: string,
  mode: M,
  doing: string,
  work: (s: IDBPObjectStore<unknown, [string], string, M>) => Promise<T>,
): Promise<T> {
  let tx: IDBPTransaction<unknown, [string], M>;
  let request: Promise<T>;
  try {
    tx = db.transaction(store, mode);
    // A request may also throw at once (a full disk in some browsers): same message as an abort.
    request = work(tx.objectStore(store));
  } catch (e) {
    throw storageError(e, doing);
  }
  // Both settle before we return: the request's result, then the commit (or the abort's reason).
  const [result] = await Promise.all([request, tx.done]).catch((e: unknown) => {
    throw storageError(tx.error ?? e, doing);
  });
  return result;
}
