// Early stopping as a pure reducer over per-epoch validation losses. The Run owns the weights:
// when `improved` is true it copies theta as the best weights, and when `stop` is true (and
// restoreBest is set) it puts them back. Keeping the reducer pure lets the worker, the GPU
// backend and tests share one definition of "improved".
import type { EarlyStopConfig } from './types';

export interface EarlyStopState {
  /** Lowest validation loss seen (Infinity before the first epoch). */
  bestLoss: number;
  /** Epoch (1-based, completed epochs) at which bestLoss was reached; 0 before any. */
  bestEpoch: number;
  /** Consecutive epochs without improvement. */
  wait: number;
}

export function initialEarlyStop(): EarlyStopState {
  return { bestLoss: Number.POSITIVE_INFINITY, bestEpoch: 0, wait: 0 };
}

/**
 * Feed the validation loss after `epoch` (1-based). Improvement means valLoss < bestLoss - minDelta
 * (a non-finite loss never improves). `stop` becomes true when cfg.enabled and `patience`
 * consecutive epochs have not improved: with patience 2 and losses 1.0, 1.0, 1.0 it stops after
 * the third epoch. The best epoch is tracked even when early stopping is disabled (for the UI).
 */
export function earlyStopUpdate(
  state: EarlyStopState,
  valLoss: number,
  epoch: number,
  cfg: EarlyStopConfig,
): { state: EarlyStopState; improved: boolean; stop: boolean } {
  if (!(cfg.patience >= 1)) throw new Error(`earlyStop.patience must be >= 1, got ${cfg.patience}`);
  if (!(cfg.minDelta >= 0)) throw new Error(`earlyStop.minDelta must be >= 0, got ${cfg.minDelta}`);
  if (Number.isFinite(valLoss) && valLoss < state.bestLoss - cfg.minDelta) {
    return { state: { bestLoss: valLoss, bestEpoch: epoch, wait: 0 }, improved: true, stop: false };
  }
  const wait = state.wait + 1;
  return { state: { ...state, wait }, improved: false, stop: cfg.enabled && wait >= cfg.patience };
}
