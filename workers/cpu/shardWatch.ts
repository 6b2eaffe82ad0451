// Noticing a sub-worker of a spread race that dies without an 'error' event (the browser ends it,
// it calls close(), it hangs): its calls would never settle and the race would wait forever.
//
// Every call on a sub-worker goes through a watched endpoint, which counts the calls pending and
// notes each answer. While calls are pending, a timer ticks every pingEveryMs: a tick that heard
// nothing from the worker since the last one counts as silent, and sends a cheap ping
// (ShardHost.ping) unless one is still out. A worker is taken for dead after more than
// deadAfterMs / pingEveryMs silent ticks in a row with calls pending: it answered neither a call
// nor a ping for at least deadAfterMs. The pool then treats it as a crash with an 'error' event
// (ShardPool.fail: the race rebuilds its runs from the checkpoint and the call log).
//
// No false alarms under load: a worker's calls are served in order, so a busy worker answers its
// call and then the ping, and every answer restarts the count; only one call longer than
// deadAfterMs (default 30 s; a race's train(n) call lasts a frame's worth of steps) looks like a
// death. Silence is counted in ticks, not in time: when this thread itself is held up (training
// its own shard), fewer ticks pass, and between two ticks the worker's answers already queued
// here are delivered first, so a late tick cannot mistake them for silence.
import type { ShardEndpoint } from './shardPool';

/** A sub-worker with calls pending that answers nothing for this long (ms) is taken for dead. */
export const DEAD_AFTER_MS = 30_000;
/** How often a sub-worker with calls pending is pinged, ms. */
export const PING_EVERY_MS = 1000;

export interface LivenessOptions {
  /** DEAD_AFTER_MS unless given (tests make it small). */
  deadAfterMs?: number;
  /** PING_EVERY_MS unless given. */
  pingEveryMs?: number;
}

interface Watched {
  raw: ShardEndpoint;
  /** Calls sent and not answered (pings aside). */
  pending: number;
  /** Something (a call's answer, a ping's) came back since the last tick. */
  heard: boolean;
  /** Ticks in a row with calls pending and nothing heard. */
  silent: number;
  pinging: boolean;
}

export class ShardWatch {
  private readonly watched = new Map<ShardEndpoint, Watched>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly pingEveryMs: number;
  /** Silent ticks after which a worker is dead (more than deadAfterMs / pingEveryMs). */
  private readonly deadTicks: number;

  /** dead(e, why): the watched endpoint e stopped answering (called once; e is no longer watched). */
  constructor(
    private readonly dead: (e: ShardEndpoint, why: string) => void,
    opts: LivenessOptions = {},
  ) {
    this.pingEveryMs = Math.max(1, opts.pingEveryMs ?? PING_EVERY_MS);
    this.deadTicks = Math.floor((opts.deadAfterMs ?? DEAD_AFTER_MS) / this.pingEveryMs) + 1;
  }

  /** raw with every call counted and its answers noted: the endpoint the race uses. */
  watch(raw: ShardEndpoint): ShardEndpoint {
    const w: Watched = { raw, pending: 0, heard: false, silent: 0, pinging: false };
    const methods = raw as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const e = new Proxy({} as ShardEndpoint, {
      get: (_, name) => {
        if (typeof name !== 'string' || name === 'then') return undefined; // not a thenable
        return (...args: unknown[]) => {
          const answered = () => {
            w.pending--;
            w.heard = true;
          };
          w.pending++;
          this.arm();
          try {
            const p = methods[name](...args);
            p.then(answered, answered);
            return p;
          } catch (err) {
            answered();
            return Promise.reject(err);
          }
        };
      },
    });
    this.watched.set(e, w);
    return e;
  }

  /** Stop watching e (it failed or was dropped). */
  forget(e: ShardEndpoint): void {
    this.watched.delete(e);
  }

  /** Stop watching every endpoint, the timer with them (the pool is disposed: nothing is taken for dead after). */
  dispose(): void {
    this.watched.clear();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(this.tick, this.pingEveryMs);
    // Node: a race left waiting does not keep the process alive for its watch
    (this.timer as { unref?: () => void }).unref?.();
  }

  private readonly tick = () => {
    this.timer = null;
    let busy = false;
    for (const [e, w] of this.watched) {
      if (w.pending <= 0) {
        w.silent = 0;
        w.heard = false;
        continue;
      }
      busy = true;
      w.silent = w.heard ? 0 : w.silent + 1;
      w.heard = false;
      if (w.silent >= this.deadTicks) {
        this.watched.delete(e);
        this.dead(e, `it answered neither a call nor a ping for ${w.silent} pings ${this.pingEveryMs} ms apart`);
        continue;
      }
      if (!w.pinging) {
        w.pinging = true;
        const pong = () => {
          w.pinging = false;
          w.heard = true;
        };
        w.raw.ping().then(pong, pong);
      }
    }
    if (busy) this.arm();
  };
}
