// Warm-up at build: one training step of a throwaway copy of each kind of run, so that the
// first step after Play costs what every later step costs.
//
// Why: the first step a worker trains on a network pays one-time costs that later steps do not:
// V8 compiles the engine's functions on first call and optimizes them only once they are hot, the
// WebAssembly GEMM starts in the baseline tier (Liftoff) until dynamic tiering swaps in its
// optimized code, and the kernels' memory grows to the network's largest operands. Measured in
// Node on 784-256-256-10 at batch 128: about 48 ms of CPU for the first step against 13-16 ms
// for the next ones (4x); after a warm-up step of a copy, the run's own first step costs 15-22 ms.
// Doing it while the runs are built (create(), before Play) leaves Play with one ordinary step.
//
// The copy is a separate engine Run (same config, dataset, initial weights and kernels) that is
// dropped afterwards: the session's runs are untouched, so every recorded number is the same as
// without the warm-up, bit for bit. The kernels' memory is scratch, laid out afresh by each call.
// Runs that differ only in their hyperparameters' values (a sweep's learning rates) take the same
// code path: one copy per optimizer and setup is enough (warmKey).
import { type DenseOps, Run } from '../../src/engine';
import type { TrainConfig } from '../../src/engine/types';

/** What decides a step's code path: the config less the optimizer's hyperparameter values. */
export function warmKey(cfg: TrainConfig): string {
  return JSON.stringify({ ...cfg, optimizer: cfg.optimizer.name });
}

/**
 * One step of a throwaway copy (same config, dataset and current weights) of each distinct kind of
 * run (warmKey) among `runs`, on `ops`, the kernels the runs train with. Returns how many copies
 * were made. Never throws: a copy that fails is skipped (its run reports the problem when it trains).
 */
export function warmUp(runs: Iterable<Run>, ops: DenseOps | undefined): number {
  const seen = new Set<string>();
  for (const r of runs) {
    const key = warmKey(r.cfg);
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      const copy = new Run(r.cfg, r.dataset, { init: r.getParams(), ops });
      try {
        copy.train(1);
      } finally {
        copy.dispose();
      }
    } catch {
      // the run itself says what is wrong when it trains
    }
  }
  return seen.size;
}
