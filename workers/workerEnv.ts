// What the training worker runs its TrainerService with, in a browser worker: the CPU engine spread
// over one worker per core (cpu/sharded.ts), WebGPU when the browser has it, and a yield that does not
// idle. One place, so the test workers (e2e/pages/*.worker.ts) train exactly as the app's worker does.

import type { ServiceEnv } from './core';
import { ShardedCpuBackend } from './cpu/sharded';
import { workerShardPool } from './cpu/shardPool';
import { gpuFactories } from './gpuFactory';

/** Yield with a MessageChannel rather than setTimeout(0): chained timeouts are clamped to 4 ms
 * after a few levels of nesting, which would idle the loop a quarter of the time at full speed. */
function channelYield(): (fn: () => void) => void {
  const queue: (() => void)[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => queue.shift()?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(0);
  };
}

export function workerServiceEnv(): ServiceEnv {
  const shards = workerShardPool();
  const gpu = gpuFactories();
  return {
    factories: {
      cpu: (o) => new ShardedCpuBackend(shards, o),
      gpu: gpu?.gpu ?? null,
      gpuAdapter: gpu?.gpuAdapter,
      connectGpu: gpu?.connect,
    },
    yieldNow: channelYield(),
    cpuWorkers: (n) => shards.setLimit(n),
    dispose: () => shards.dispose(),
  };
}
