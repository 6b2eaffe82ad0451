// The ordered list of optimizers: the picker's order, the compare defaults' order and the
// optimizer ids the GPU kernels use (the index here). Everything that lists optimizers reads it:
// the config type and field table, labels, formulas, compare and arena hyperparameter lists.
// Adding an optimizer: its spec file (spec.ts shape) and one line here; the GPU side adds its
// WGSL function, the parity suite and the PyTorch export check registryCoverage-style against
// this list (registry.test.ts says which checks exist).
import { adagrad } from './adagrad';
import { adam } from './adam';
import { adamw } from './adamw';
import type { OptimizerHypers } from './hypers';
import { momentum } from './momentum';
import { nesterov } from './nesterov';
import { rmsprop } from './rmsprop';
import { schedulefree } from './schedulefree';
import { sgd } from './sgd';
import type { OptimizerSpec } from './spec';

export const OPTIMIZERS = [sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, schedulefree] as const;

export type OptimizerName = (typeof OPTIMIZERS)[number]['name'];
export const OPTIMIZER_NAMES: readonly OptimizerName[] = OPTIMIZERS.map((o) => o.name);

/** One run's optimizer: which rule, and every hyperparameter (flat, so switching keeps the values). */
export type OptimizerConfig = { name: OptimizerName } & OptimizerHypers;

/** The spec of a registered optimizer; throws, naming the field, on an unknown name. */
export function optimizerSpec(name: string): OptimizerSpec {
  const s = OPTIMIZERS.find((o) => o.name === name);
  if (!s) throw new Error(`optimizer.name: unknown optimizer '${name}'`);
  return s;
}

/** Display names by optimizer, in registry order. */
export const OPTIMIZER_LABELS = Object.fromEntries(OPTIMIZERS.map((o) => [o.name, o.label])) as Record<
  OptimizerName,
  string
>;
