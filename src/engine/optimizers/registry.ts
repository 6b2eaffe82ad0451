// The ordered list of optimizers: the picker's order, the compare defaults' order and the
// optimizer ids the GPU kernels use (the index here). Everything that lists optimizers reads it:
// the config type and field table, labels, formulas, compare and arena hyperparameter lists.
// Adding an optimizer: its spec file (spec.ts shape, with its parity case) and one line here; the
// GPU side adds its WGSL function; the parity suite makes its cases from this list, and the
// PyTorch export and the registry tests loop over it (registry.test.ts says which checks exist).
import { adagrad } from './adagrad';
import { adam } from './adam';
import { adamw } from './adamw';
import { defaultHypers, HYPERS, type OptimizerHypers } from './hypers';
import { lamb } from './lamb';
import { lion } from './lion';
import { momentum } from './momentum';
import { muon } from './muon';
import { nesterov } from './nesterov';
import { rmsprop } from './rmsprop';
import { schedulefree } from './schedulefree';
import { sgd } from './sgd';
import type { OptimizerSpec } from './spec';

export const OPTIMIZERS = [
  sgd,
  momentum,
  nesterov,
  adagrad,
  rmsprop,
  adam,
  adamw,
  lion,
  lamb,
  muon,
  schedulefree,
] as const;

export type OptimizerName = (typeof OPTIMIZERS)[number]['name'];
export const OPTIMIZER_NAMES: readonly OptimizerName[] = OPTIMIZERS.map((o) => o.name);
/** Those the WebGPU backend runs (a spec with `gpuUnsupported` trains on the CPU engine; its GPU parity is moot). */
export const GPU_OPTIMIZER_NAMES: readonly OptimizerName[] = OPTIMIZERS.filter((o) => !o.gpuUnsupported).map(
  (o) => o.name,
);

/** One run's optimizer: which rule, and every hyperparameter (flat, so switching keeps the values). */
export type OptimizerConfig = { name: OptimizerName } & OptimizerHypers;

/** The specs by name: optimizerSpec runs three times per run and step, so a lookup without a closure or a scan. */
const BY_NAME = new Map<string, OptimizerSpec>(OPTIMIZERS.map((o) => [o.name, o]));

/** The spec of a registered optimizer; throws, naming the field, on an unknown name. */
export function optimizerSpec(name: string): OptimizerSpec {
  const s = BY_NAME.get(name);
  if (!s) throw new Error(`optimizer.name: unknown optimizer '${name}'`);
  return s;
}

/** Why the WebGPU backend refuses rule `name` (naming the field; spec gpuUnsupported), or null when it runs it. */
export function gpuRefusal(name: string): string | null {
  const why = optimizerSpec(name).gpuUnsupported;
  return why ? `optimizer.name: '${name}' ${why}` : null;
}

/**
 * The learning rate rule `o` applies at its step t (from 1) when the loop hands it `lr` (the
 * scheduled rate, or the base rate for a rule that ignores the schedule): `stepScalars`' lr where
 * the rule has its own (Schedule-Free's warm-up lr min(1, t/W)), else lr. The recorded `lr` metric.
 */
export function appliedLr(o: OptimizerConfig, t: number, lr: number): number {
  const own = optimizerSpec(o.name).stepScalars;
  return own ? own(t, lr, o).lr : lr;
}

/** Display names by optimizer, in registry order. */
export const OPTIMIZER_LABELS = Object.fromEntries(OPTIMIZERS.map((o) => [o.name, o.label])) as Record<
  OptimizerName,
  string
>;

/** Every hyperparameter at this rule's defaults (hypers.ts's, overridden by the spec's `defaults`). */
export function optimizerDefaults(name: string): OptimizerHypers {
  return { ...defaultHypers(), ...optimizerSpec(name).defaults };
}

/**
 * The optimizer after the user picks `name`: each value still at the previous rule's default takes
 * the new rule's default (Adam's untouched beta2 0.999 becomes Lion's 0.99); values the user set
 * are kept, so switching back and forth never loses a choice.
 */
export function switchOptimizer(o: OptimizerConfig, name: OptimizerName): OptimizerConfig {
  const before = optimizerDefaults(o.name);
  const after = optimizerDefaults(name);
  const next: OptimizerConfig = { ...o, name };
  for (const { key } of HYPERS) if (o[key] === before[key]) next[key] = after[key];
  return next;
}
