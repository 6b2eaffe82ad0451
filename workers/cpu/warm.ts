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
// without the warm-up, bit for bit. It trains into its run's step buffers (RunOptions.scratch:
// batch, activations, gradient, several MB on digits), which every step overwrites before reading:
// with buffers of its own the run's first step still allocated and first-touched them (measured in
// Node on 784-256-128-10 at batch 1000: 71-103 ms of CPU for the first step after a copy's warm-up,
// 42-46 ms when the copy shared the buffers, 29-53 ms for the steps after). The kernels' memory is
// scratch, laid out afresh by each call. Runs that differ only in their hyperparameters' values (a
// sweep's learning rates) take the same code path: one copy per optimizer and setup is enough
// (warmKey); the other runs of a kind get buffers of the same sizes reserved (StepScratch.reserveLike).
import { type DenseOps, Run } from '../../src/engine';
import type { TrainConfig } from '../../src/engine/types';

/** What decides a step's code path: the config less the optimizer's hyperparameter values. */
export function warmKey(cfg: TrainConfig): string {
  return JSON.stringify({ ...cfg, optimizer: cfg.optimizer.name });
}

/**
 * One step of a throwaway copy (same config, dataset and current weights) of each distinct kind of
 * run (warmKey) among `runs`, on `ops`, the kernels the runs train with, into the step buffers of
 * the kind's first run; the kind's other runs get buffers of the same sizes. Returns how many copies
 * were made. Never throws: a copy that fails is skipped (its run reports the problem when it trains).
 */
export function warmUp(runs: Iterable<Run>, ops: DenseOps | undefined): number {
  const warmed = new Map<string, Run>();
  for (const r of runs) {
    const key = warmKey(r.cfg);
    const like = warmed.get(key);
    if (like) {
      r.scratch.reserveLike(like.scratch);
      continue;
    }
    warmed.set(key, r);
    try {
      const copy = new Run(r.cfg, r.dataset, { init: r.getParams(), ops, scratch: r.scratch });
      try {
        copy.train(1);
      } finally {
        copy.dispose();
      }
    } catch {
      // the run itself says what is wrong when it trains
    }
  }
  return warmed.size;
}
