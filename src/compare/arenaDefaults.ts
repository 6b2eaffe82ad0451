// Starting hyperparameters for the arena racers on each test function. One learning rate does
// not fit all: SGD's step is lr times the gradient (Rosenbrock's gradient is in the hundreds),
// an adaptive method's step is about lr per coordinate, and momentum multiplies SGD's step by up
// to 1/(1-mu). Each optimizer's spec carries its rates (src/engine/optimizers/*.ts `arena.lr`):
// per function, the largest rate of a scripted sweep over 1e-4..1 (300 steps from the function's
// first start point) that makes visible progress without diverging, rounded down to leave
// head-room for other start points.

import type { TestFunctionName } from '../engine/data/testFunctions';
import { OPTIMIZERS, optimizerDefaults, optimizerSpec } from '../engine/optimizers/registry';
import type { OptimizerConfig, OptimizerName } from '../engine/types';
import { SLOT_COLORS } from './colors';
import type { CompareSlot } from './compareSet';

/** A suitable learning rate for `name` on `fn` (from its spec). */
export function arenaLr(fn: TestFunctionName, name: OptimizerName): number {
  const lr = optimizerSpec(name).arena.lr[fn];
  if (lr === undefined) throw new Error(`optimizer '${name}' has no arena rate for '${fn}' (its spec's arena.lr)`);
  return lr;
}

/** The default racers for a function (the specs marked defaultRacer), each with its colour and a rate that suits the function. */
export function defaultArenaSlots(fn: TestFunctionName): CompareSlot[] {
  return OPTIMIZERS.filter((o) => o.arena.defaultRacer).map((o, i) => ({
    color: SLOT_COLORS[i],
    optimizer: { ...optimizerDefaults(o.name), name: o.name, lr: arenaLr(fn, o.name) },
  }));
}

/** The slots re-tuned for another function: same optimizers and other settings, that function's rates. */
export function retuneSlots(slots: readonly CompareSlot[], fn: TestFunctionName): CompareSlot[] {
  return slots.map((s) => ({
    ...s,
    optimizer: { ...s.optimizer, lr: arenaLr(fn, s.optimizer.name) } as OptimizerConfig,
  }));
}
