// A ShardPool whose sub-workers (simulated in this thread: ShardHost behind localEndpoint) die when
// told: the first call `kills(method)` says yes to never answers, that endpoint never answers
// again, and the pool hears of the crash as it would from a worker's 'error' event. The crash
// tests of spread races use it (workers/cpu/raceFused.test.ts, shardRebuild.test.ts).
import { ShardHost } from '../workers/cpu/shard';
import { localEndpoint, type ShardEndpoint, ShardPool } from '../workers/cpu/shardPool';

export function killablePool(kills: (method: string) => boolean, limit = 2): ShardPool {
  const pool: ShardPool = new ShardPool(() => {
    const inner = localEndpoint(new ShardHost(), true) as unknown as Record<string, (...a: unknown[]) => unknown>;
    let dead = false;
    const e: ShardEndpoint = new Proxy({} as ShardEndpoint, {
      get(_, name) {
        if (name === 'then') return undefined;
        return (...args: unknown[]) => {
          if (dead) return new Promise(() => {}); // a dead worker never answers
          if (kills(name as string)) {
            dead = true;
            setTimeout(() => pool.fail(e, 'killed in the test'), 0);
            return new Promise(() => {});
          }
          return inner[name as string](...args);
        };
      },
    });
    return e;
  }, limit);
  return pool;
}
