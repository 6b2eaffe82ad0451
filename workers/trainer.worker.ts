// The training worker (a module worker): all training happens here, never on the page's main
// thread. It exposes one TrainerService with Comlink; the page reaches it only through
// src/trainer/client.ts and bridge.ts, and the types in workers/protocol.ts are the contract.
import * as Comlink from 'comlink';
import { ShardedCpuBackend, workerShardPool } from './cpu/sharded';
import { gpuFactory } from './gpuFactory';
import { TrainerService } from './service';

// Yield with a MessageChannel rather than setTimeout(0): chained timeouts are clamped to 4 ms
// after a few levels of nesting, which would idle the loop a quarter of the time at full speed.
const queue: (() => void)[] = [];
const channel = new MessageChannel();
channel.port1.onmessage = () => queue.shift()?.();
const yieldNow = (fn: () => void) => {
  queue.push(fn);
  channel.port2.postMessage(0);
};

// The CPU engine spreads a race's runs over one worker per core (this one and sub-workers, cpu/sharded.ts).
const shards = workerShardPool();
const service = new TrainerService({
  factories: { cpu: () => new ShardedCpuBackend(shards), gpu: gpuFactory() },
  yieldNow,
  cpuWorkers: (n) => shards.setLimit(n),
});
Comlink.expose(service);
