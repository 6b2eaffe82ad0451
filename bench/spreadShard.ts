// A sub-worker of bench/spreadNode.ts (Node worker_threads): a shard host, as shard.worker.ts is in
// the browser, timing its own train() calls (busy ms) and reading its thread's CPU time.
import { readFileSync } from 'node:fs';
import { type MessagePort, parentPort, type Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { type PackedReports, ShardHost } from '../workers/cpu/shard';

/** A worker_threads port as the endpoint Comlink expects (comlink's node-adapter, typed). */
export function nodeEndpoint(port: MessagePort | Worker): Comlink.Endpoint {
  const listeners = new Map<unknown, (data: unknown) => void>();
  return {
    postMessage: (m: unknown, transfer?: Transferable[]) =>
      port.postMessage(m, transfer as Parameters<MessagePort['postMessage']>[1]),
    addEventListener: (_: string, h: EventListenerOrEventListenerObject) => {
      const l = (data: unknown) => {
        const ev = { data } as MessageEvent;
        if ('handleEvent' in h) h.handleEvent(ev);
        else h(ev);
      };
      port.on('message', l);
      listeners.set(h, l);
    },
    removeEventListener: (_: string, h: EventListenerOrEventListenerObject) => {
      const l = listeners.get(h);
      if (l) port.off('message', l);
      listeners.delete(h);
    },
  };
}

/** This thread's CPU time (time on a core), ms, in ns resolution (/proc/thread-self/schedstat: run ns, wait ns, slices). */
export function threadCpuMs(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
}

/** This thread's time runnable but waiting for a core (other load), ms (schedstat's second field). */
export function threadWaitMs(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6;
}

/** A shard host that logs its train() calls since the last stats(): each call's busy ms, and its thread's CPU ms after it. */
export class TimedShardHost extends ShardHost {
  busy: number[] = [];
  /** CPU ms inside each call, and the thread's CPU ms after it. */
  inside: number[] = [];
  cpu: number[] = [];
  override train(set: number, n: number) {
    const t0 = performance.now();
    const c0 = threadCpuMs();
    const r = super.train(set, n);
    const c1 = threadCpuMs();
    this.busy.push(performance.now() - t0);
    this.inside.push(c1 - c0);
    this.cpu.push(c1);
    return r;
  }
  /** Run-steps of each run set taken through the fused race step and one by one (raceFused.ts). */
  fusion(): { fused: number; alone: number }[] {
    const sets = (this as unknown as { sets: Map<number, { race: { fused: number; alone: number } | null }> }).sets;
    return [...sets.values()].map((x) => ({ fused: x.race?.fused ?? 0, alone: x.race?.alone ?? 0 }));
  }

  stats(): { busy: number[]; inside: number[]; cpu: number[]; now: number; wait: number } {
    const s = { busy: this.busy, inside: this.inside, cpu: this.cpu, now: threadCpuMs(), wait: threadWaitMs() };
    this.busy = [];
    this.inside = [];
    this.cpu = [];
    return s;
  }
}

if (parentPort) {
  class Sub extends TimedShardHost {
    override trainPacked(set: number, n: number): PackedReports {
      const p = super.trainPacked(set, n);
      return Comlink.transfer(p, [p.data.buffer]);
    }
  }
  Comlink.expose(new Sub(), nodeEndpoint(parentPort));
}
