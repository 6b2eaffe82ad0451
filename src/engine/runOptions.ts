// What a Run (trainer.ts) is made with besides its config, and what it hands out: the options of
// its constructor, its rows as objects, and its random streams' seeds. Each stream (rng.ts) has its
// own seed derived from the config's master seed, so changing one (a different dropout seed with
// the same data and weights) leaves the others' numbers as they were.
import type { SharedBatch } from './augment';
import type { DenseOps } from './dense';
import type { EpochMetrics, Row, StepMetrics } from './metricsSchema';
import type { StepScratch } from './network';
import { initStreamSeed, streamSeed } from './rng';
import type { StreamName, TrainConfig } from './types';

/** One step / one epoch end as an object (engine tests, lessons, scripts); fields: metricsSchema.ts. */
export type StepRecord = Row<StepMetrics>;
export type EpochRecord = Row<EpochMetrics>;

export interface RunOptions {
  /** Initial parameters to start from instead of initParams (compare sets share one vector). Copied. */
  init?: Float32Array;
  /** Override derived stream seeds, e.g. a different dropout seed with the same data and weights. */
  seeds?: Partial<Record<StreamName, number>>;
  /** The dense products for training and evaluation (default: the engine's; the worker injects WebAssembly). */
  ops?: DenseOps;
  /** The step's minibatch shared with the other runs of a race trained in lockstep (augment.ts SharedBatch). */
  batches?: SharedBatch;
  /**
   * The training step's buffers (default: the Run's own). Only scratch: every step overwrites what
   * it reads, so sharing them changes no number. A throwaway warm-up copy of a run trains into the
   * run's own (workers/cpu/warm.ts), so the run's first step finds them allocated.
   */
  scratch?: StepScratch;
}

const STREAMS: StreamName[] = ['data', 'init', 'shuffle', 'dropout', 'augment'];

/** The run's stream seeds: derived from cfg.seed (init: and model.initSeed) unless `overrides` names one. */
export function runSeeds(
  cfg: TrainConfig,
  overrides?: Partial<Record<StreamName, number>>,
): Record<StreamName, number> {
  return Object.fromEntries(
    STREAMS.map((s) => [
      s,
      overrides?.[s] ?? (s === 'init' ? initStreamSeed(cfg.seed, cfg.model.initSeed ?? 0) : streamSeed(cfg.seed, s)),
    ]),
  ) as Record<StreamName, number>;
}
