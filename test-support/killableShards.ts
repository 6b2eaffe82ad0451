// A ShardPool whose sub-workers (simulated in this thread: ShardHost behind localEndpoint) die when
// told: the first call `kills(method)` says yes to never answers, that endpoint never answers
// again (pings included), and the pool hears of the crash as it would from a worker's 'error'
// event, or (silent) hears nothing, as when the browser ends a worker or it calls close(): then
// only the pool's liveness watch (shardWatch.ts, `liveness`) can notice. The crash tests of spread
// races use it (workers/cpu/raceFused.test.ts, shardRebuild.test.ts).
import { ShardHost } from '../workers/cpu/shard';
import { localEndpoint, type ShardEndpoint, ShardPool } from '../workers/cpu/shardPool';
import type { LivenessOptions } from '../workers/cpu/shardWatch';

export interface KillOptions {
  /** No 'error' event: the worker just stops answering. */
  silent?: boolean;
  liveness?: LivenessOptions;
  /** Milliseconds before a live worker answers `method` (a slow worker; pings are answered at once). */
  slow?: (method: string) => number;
  /** The pool ends a sub-worker (taken for dead, or the pool disposed): the test hears of it here. */
  end?: (e: ShardEndpoint) => void;
}

export function killablePool(kills: (method: string) => boolean, limit = 2, opts: KillOptions = {}): ShardPool {
  const pool: ShardPool = new ShardPool(
    () => {
      const inner = localEndpoint(new ShardHost(), true) as unknown as Record<string, (...a: unknown[]) => unknown>;
      let dead = false;
      const e: ShardEndpoint = new Proxy({} as ShardEndpoint, {
        get(_, name) {
          if (name === 'then') return undefined;
          return (...args: unknown[]) => {
            if (dead) return new Promise(() => {}); // a dead worker never answers
            if (kills(name as string)) {
              dead = true;
              if (!opts.silent) setTimeout(() => pool.fail(e, 'killed in the test'), 0);
              return new Promise(() => {});
            }
            const ms = opts.slow?.(name as string) ?? 0;
            if (ms <= 0) return inner[name as string](...args);
            return new Promise((r) => setTimeout(r, ms)).then(() => inner[name as string](...args));
          };
        },
      });
      return e;
    },
    limit,
    undefined,
    { liveness: opts.liveness, end: opts.end },
  );
  return pool;
}
