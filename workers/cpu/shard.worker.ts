// A sub-worker of a CPU race (workers/cpu/sharded.ts): it hosts one shard's engine Runs and
// trains them when the training worker asks. Started by the training worker only (never by the
// page), one per core beyond the training worker's own, and exposed with Comlink.
import * as Comlink from 'comlink';
import { type PackedReports, ShardHost } from './shard';

/** Its train reports' one buffer is transferred to the training worker, not copied. */
class WorkerShardHost extends ShardHost {
  override trainPacked(set: number, n: number): PackedReports {
    const p = super.trainPacked(set, n);
    return Comlink.transfer(p, [p.data.buffer]);
  }
}

Comlink.expose(new WorkerShardHost());
