// The shard hosts a spread race trains on (workers/cpu/sharded.ts): shard 0 in the training worker
// itself, sub-workers from shard.worker.ts started when a race first needs them and kept for the next,
// each as a ShardEndpoint (a ShardHost's methods as async calls: this thread or a Comlink remote).
// A sub-worker's failure reaches the pool's listeners (sharded.ts rebuilds its runs from their state):
// an 'error' event (the spawner calls fail()), or silence while calls are pending (shardWatch.ts).

import * as Comlink from 'comlink';
import type { Dataset } from '../../src/engine';
import { ShardHost } from './shard';
import { type LivenessOptions, ShardWatch } from './shardWatch';

/** Most shards of one race (the cap on navigator.hardwareConcurrency). */
export const MAX_SHARDS = 16;
/** A ShardHost's methods as async calls: the same object in this thread, or a Comlink remote. */
export type ShardEndpoint = {
  // biome-ignore lint/suspicious/noExplicitAny: a mapped type over any method signature
  [K in keyof ShardHost as ShardHost[K] extends (...a: any[]) => any ? K : never]: ShardHost[K] extends (
    ...a: infer A
  ) => infer R
    ? (...a: A) => Promise<Awaited<R>>
    : never;
};

/**
 * A host in this thread as an endpoint. clone: copy arguments and results by structured clone, as
 * postMessage does (Node tests simulate sub-workers this way); else they are passed as they are.
 */
export function localEndpoint(host: ShardHost, clone = false): ShardEndpoint {
  const copy = <T>(v: T): T => (clone ? structuredClone(v) : v);
  return new Proxy({} as ShardEndpoint, {
    get(_, name) {
      if (name === 'then') return undefined; // not a thenable
      const f = (host as unknown as Record<string | symbol, unknown>)[name];
      if (typeof f !== 'function') return undefined;
      return (...args: unknown[]) => {
        try {
          return Promise.resolve(f.apply(host, copy(args))).then(copy);
        } catch (e) {
          return Promise.reject(e);
        }
      };
    },
  });
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The shard hosts of one training worker: its own (shard 0) and sub-workers, started when a race
 * first needs them and kept for the next (a worker starts in tens of ms, and loads its kernels).
 * Datasets are sent to a host once and dropped when no race there uses them any more.
 */
export class ShardPool {
  /** Most shards a race may use (CreateOptions.cpuWorkers, default navigator.hardwareConcurrency). */
  limit: number;
  private readonly local: ShardEndpoint;
  private readonly remotes: ShardEndpoint[] = [];
  private readonly ready = new Map<string, Promise<{ kind: string; threads: number }>>();
  private readonly ids2 = new WeakMap<ShardEndpoint, number>();
  private nextEndpoint = 0;
  private readonly ids = new WeakMap<Dataset, number>();
  private readonly sent = new Map<ShardEndpoint, Set<number>>();
  private readonly users = new Map<number, number>();
  private nextId = 1;
  private readonly failListeners = new Set<(e: Error, endpoint: ShardEndpoint) => void>();
  /** Every sub-worker's calls are watched: one that falls silent with calls pending is failed. */
  private readonly watch: ShardWatch;
  /** The watched endpoint of each spawned one (the spawner reports a crash with its own), and back. */
  private readonly watchedOf = new WeakMap<ShardEndpoint, ShardEndpoint>();
  private readonly rawOf = new WeakMap<ShardEndpoint, ShardEndpoint>();

  /** End the sub-worker behind a raw endpoint (taken for dead, or the pool disposed). */
  private readonly end: (e: ShardEndpoint) => void;
  private disposed = false;

  /**
   * spawn: a new sub-worker's endpoint (null: this environment has no workers, one shard only);
   * the spawner reports a sub-worker's crash with fail(). opts.liveness: when a silent one is
   * taken for dead (shardWatch.ts); opts.end(e): end the sub-worker behind e (taken for dead, or the
   * pool disposed).
   */
  constructor(
    private readonly spawn: (() => ShardEndpoint) | null,
    limit = defaultShardLimit(),
    local: ShardHost = new ShardHost(),
    opts: { liveness?: LivenessOptions; end?: (e: ShardEndpoint) => void } = {},
  ) {
    this.limit = limit;
    this.local = localEndpoint(local);
    this.end = opts.end ?? (() => undefined);
    this.watch = new ShardWatch((e, why) => {
      this.fail(e, `no answer: ${why}`);
      const raw = this.rawOf.get(e);
      if (raw) this.end(raw);
    }, opts.liveness);
  }

  /**
   * Every sub-worker ended and the liveness watch stopped (its timer with it): the training worker
   * is torn down (TrainerService.dispose through ServiceEnv.dispose; a bench task's own pool). Call
   * it after the backends on the pool are disposed; the pool serves no race after it.
   */
  dispose(): void {
    this.disposed = true;
    this.watch.dispose();
    const err = new Error('a CPU worker of the race failed (the pool was disposed)');
    for (const e of this.remotes.splice(0)) {
      const raw = this.rawOf.get(e);
      if (raw) this.end(raw);
      // a call still pending on it (a race not disposed first) rejects rather than waiting forever
      for (const f of this.failListeners) f(err, e);
    }
    this.sent.clear();
    this.ready.clear();
  }

  /** A new sub-worker, its calls watched. */
  private start(): ShardEndpoint {
    const raw = this.spawn!();
    const e = this.watch.watch(raw);
    this.watchedOf.set(raw, e);
    this.rawOf.set(e, raw);
    return e;
  }

  /** The most shards a race may use; null: the default (navigator.hardwareConcurrency). */
  setLimit(n: number | null): void {
    this.limit = n === null ? defaultShardLimit() : Math.max(1, Math.min(MAX_SHARDS, Math.floor(n)));
  }

  /** A sub-worker crashed: every race waiting on the pool rejects, and the next build starts new ones. */
  fail(which: ShardEndpoint, e: unknown): void {
    const endpoint = this.watchedOf.get(which) ?? which;
    const err = new Error(`a CPU worker of the race failed (${errText(e)})`);
    this.watch.forget(endpoint);
    const i = this.remotes.indexOf(endpoint);
    if (i >= 0) this.remotes.splice(i, 1);
    this.sent.delete(endpoint);
    for (const f of this.failListeners) f(err, endpoint);
  }

  /** p, or a rejection as soon as `endpoint` fails while p is pending (other sub-workers' failures aside). */
  guardOne<T>(endpoint: ShardEndpoint, p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onFail = (e: Error, which: ShardEndpoint) => {
        if (which === endpoint) reject(e);
      };
      this.failListeners.add(onFail);
      p.then(resolve, reject).finally(() => this.failListeners.delete(onFail));
    });
  }

  /**
   * A new sub-worker in place of a failed one, its kernels loaded (the same kind as `kernels`, or
   * it is refused) and the dataset sent: a crashed shard is rebuilt on it (ShardedCpuBackend).
   */
  async replacement(ds: Dataset, kernels: string): Promise<ShardEndpoint> {
    if (!this.spawn) throw new Error('no sub-workers here');
    if (this.disposed) throw new Error('ShardPool: disposed (the training worker is torn down)');
    const e = this.start();
    this.remotes.push(e);
    this.ids2.set(e, this.nextEndpoint++);
    const got = await this.guardOne(e, e.init(1));
    this.ready.set(`${this.ids2.get(e)}:1`, Promise.resolve(got));
    if (got.kind !== kernels) throw new Error(`the new CPU worker loaded other kernels (${got.kind}, not ${kernels})`);
    const id = this.ids.get(ds);
    if (id === undefined) throw new Error('replacement: the dataset was never shared');
    this.sent.set(e, new Set([id]));
    await this.guardOne(e, e.putDataset(id, ds));
    return e;
  }

  /** A promise that rejects when a sub-worker fails while `p` is pending. */
  guard<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onFail = (e: Error) => reject(e);
      this.failListeners.add(onFail);
      p.then(resolve, reject).finally(() => this.failListeners.delete(onFail));
    });
  }

  /**
   * n endpoints (this thread's first), each with its kernels loaded; returns the kernels' kind and
   * the GEMM threads of each shard: `threads` (autoThreads(): several on a cross-origin isolated
   * page) for a race of one shard, 1 when several shards already use the cores.
   */
  async endpoints(n: number, threads = 1): Promise<{ endpoints: ShardEndpoint[]; kernels: string; threads: number }> {
    if (this.disposed) throw new Error('ShardPool: disposed (the training worker is torn down)');
    const want = this.spawn ? Math.max(1, Math.min(n, this.limit)) : 1;
    while (this.remotes.length < want - 1) this.remotes.push(this.start());
    const endpoints = [this.local, ...this.remotes.slice(0, want - 1)];
    const t = want === 1 ? threads : 1;
    const got = await this.guard(
      Promise.all(
        endpoints.map((e) => {
          let id = this.ids2.get(e);
          if (id === undefined) this.ids2.set(e, (id = this.nextEndpoint++));
          const key = `${id}:${t}`;
          if (!this.ready.has(key)) this.ready.set(key, e.init(t));
          return this.ready.get(key)!;
        }),
      ),
    );
    const kinds = got.map((g) => g.kind);
    // Every shard must run the same arithmetic, or the race would not be the single-worker race.
    if (new Set(kinds).size > 1) throw new Error(`the CPU workers loaded different kernels (${kinds.join(', ')})`);
    return { endpoints, kernels: kinds[0], threads: got[0].threads };
  }

  /** The dataset's id on these endpoints (sent to those that lack it); release() when done. */
  async share(ds: Dataset, endpoints: ShardEndpoint[]): Promise<number> {
    let id = this.ids.get(ds);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(ds, id);
    }
    this.users.set(id, (this.users.get(id) ?? 0) + 1);
    const k = id;
    await this.guard(
      Promise.all(
        endpoints.map((e) => {
          let s = this.sent.get(e);
          if (!s) this.sent.set(e, (s = new Set()));
          if (s.has(k)) return undefined;
          s.add(k);
          return e.putDataset(k, ds);
        }),
      ),
    );
    return id;
  }

  release(id: number): void {
    const n = (this.users.get(id) ?? 0) - 1;
    if (n > 0) {
      this.users.set(id, n);
      return;
    }
    this.users.delete(id);
    for (const [e, s] of this.sent) if (s.delete(id)) e.dropDataset(id).catch(() => undefined); // a dead worker took it along
  }

  newSet(): number {
    return this.nextId++;
  }

  /** Whether the endpoint is this thread's or a sub-worker that has not failed. */
  alive(e: ShardEndpoint): boolean {
    return e === this.local || this.remotes.includes(e);
  }

  /** Sub-workers running now (tests, status). */
  get workers(): number {
    return this.remotes.length;
  }
}

/** navigator.hardwareConcurrency (capped at MAX_SHARDS), 1 where it is unknown. */
export function defaultShardLimit(): number {
  const n = (globalThis.navigator as Navigator | undefined)?.hardwareConcurrency;
  return Number.isInteger(n) && n! > 0 ? Math.min(MAX_SHARDS, n!) : 1;
}

/** The pool of the browser's training worker: sub-workers from shard.worker.ts. */
export function workerShardPool(): ShardPool {
  const workers = new WeakMap<ShardEndpoint, Worker>();
  const pool: ShardPool = new ShardPool(
    () => {
      const w = new Worker(new URL('./shard.worker.ts', import.meta.url), { type: 'module', name: 'descent-shard' });
      const e = Comlink.wrap<ShardHost>(w) as unknown as ShardEndpoint;
      workers.set(e, w);
      w.addEventListener('error', (ev: ErrorEvent) => {
        ev.preventDefault();
        pool.fail(e, ev.message || 'unknown error');
        w.terminate();
      });
      w.addEventListener('messageerror', () => pool.fail(e, 'a message could not be read'));
      return e;
    },
    undefined,
    undefined,
    // one taken for dead may merely hang: it is ended, so that it frees its core
    { end: (e) => workers.get(e)?.terminate() },
  );
  return pool;
}
