// Starting hyperparameters for the arena racers on each test function. One learning rate does
// not fit all: SGD's step is lr times the gradient (Rosenbrock's gradient is in the hundreds),
// an adaptive method's step is about lr per coordinate, and momentum multiplies SGD's step by up
// to 1/(1-mu). Each rate below was picked by running the optimizer 300 steps from the function's
// first start point (scripted sweep over 1e-4..1): the largest rate in the sweep that makes
// visible progress without diverging, rounded down to leave head-room for other start points.

import type { TestFunctionName } from '../engine/data/testFunctions';
import { DEFAULT_CONFIG } from '../engine/defaults';
import type { OptimizerConfig, OptimizerName } from '../engine/types';
import { SLOT_COLORS } from './colors';
import type { CompareSlot } from './compareSet';

type Rates = Record<'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam', number>;

const RATES: Record<TestFunctionName, Rates> = {
  quadratic: { sgd: 1, momentum: 0.1, nesterov: 0.1, adagrad: 1, rmsprop: 0.1, adam: 0.3 },
  rosenbrock: { sgd: 1e-3, momentum: 1e-3, nesterov: 1e-3, adagrad: 0.5, rmsprop: 0.03, adam: 0.1 },
  beale: { sgd: 0.01, momentum: 1e-3, nesterov: 1e-3, adagrad: 0.5, rmsprop: 0.01, adam: 0.1 },
  saddle: { sgd: 0.05, momentum: 0.01, nesterov: 0.01, adagrad: 0.1, rmsprop: 0.01, adam: 0.01 },
  himmelblau: { sgd: 0.01, momentum: 2e-3, nesterov: 2e-3, adagrad: 0.3, rmsprop: 0.01, adam: 0.05 },
  rastrigin: { sgd: 1e-3, momentum: 1e-2, nesterov: 3e-3, adagrad: 0.3, rmsprop: 3e-3, adam: 0.03 },
};

/** A suitable learning rate for `name` on `fn` (AdamW uses Adam's). */
export function arenaLr(fn: TestFunctionName, name: OptimizerName): number {
  const r = RATES[fn];
  return name === 'adamw' ? r.adam : r[name];
}

/** The six classic racers for a function, each with its colour and a rate that suits the function. */
export function defaultArenaSlots(fn: TestFunctionName): CompareSlot[] {
  const names: OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
  return names.map((name, i) => ({
    color: SLOT_COLORS[i],
    optimizer: { ...DEFAULT_CONFIG.optimizer, name, lr: arenaLr(fn, name) },
  }));
}

/** The slots re-tuned for another function: same optimizers and other settings, that function's rates. */
export function retuneSlots(slots: readonly CompareSlot[], fn: TestFunctionName): CompareSlot[] {
  return slots.map((s) => ({
    ...s,
    optimizer: { ...s.optimizer, lr: arenaLr(fn, s.optimizer.name) } as OptimizerConfig,
  }));
}
