// A sub-worker of a CPU race (workers/cpu/sharded.ts): it hosts one shard's engine Runs and
// trains them when the training worker asks. Started by the training worker only (never by the
// page), one per core beyond the training worker's own, and exposed with Comlink.
import * as Comlink from 'comlink';
import { ShardHost } from './shard';

Comlink.expose(new ShardHost());
