// The compare set: 2 to 8 optimizer settings that race on one network, one dataset, one
// initial weight vector and one minibatch order. Plain data (it lives in the URL next to the
// TrainConfig); each slot differs from the base config only in its optimizer section.

import { FIELDS } from '../config/fields';
import { OPTIMIZER_LABELS } from '../config/labels';
import { checkField, describeValue, type Notice } from '../config/schema';
import { hyperDef } from '../engine/optimizers/hypers';
import { optimizerDefaults, optimizerSpec } from '../engine/optimizers/registry';
import type { HyperKey, OptimizerConfig, OptimizerName, TrainConfig } from '../engine/types';
import { isHexColor, nextColor, SLOT_COLORS } from './colors';

export const MIN_SLOTS = 2;
export const MAX_SLOTS = 8;

export interface CompareSlot {
  /** '#rrggbb': the slot's colour in every chart, table row and trajectory. */
  color: string;
  /** Replaces the base config's optimizer section for this run. */
  optimizer: OptimizerConfig;
}

export interface CompareConfig {
  slots: CompareSlot[];
  /** "Steps to reach" column of the live table: first step whose training loss is at or below this. */
  targetLoss: number;
}

const opt = (name: OptimizerName, lr: number): OptimizerConfig => ({ ...optimizerDefaults(name), name, lr });

/**
 * The six classic settings, each at a learning rate that suits it on the default 2D network
 * (a fair race means each at a reasonable rate, not one shared rate: adaptive methods take
 * steps of about lr per coordinate, SGD steps of lr times the gradient).
 */
export function defaultCompareConfig(): CompareConfig {
  const optimizers = [
    opt('sgd', 0.1),
    opt('momentum', 0.03),
    opt('nesterov', 0.03),
    opt('adagrad', 0.1),
    opt('rmsprop', 0.01),
    opt('adam', 0.01),
  ];
  return { slots: optimizers.map((o, i) => ({ color: SLOT_COLORS[i], optimizer: o })), targetLoss: 0.2 };
}

/** The TrainConfig of one slot: the base config with the slot's optimizer. */
export function slotConfig(base: TrainConfig, slot: CompareSlot): TrainConfig {
  return { ...structuredClone(base), optimizer: { ...slot.optimizer } };
}

/** The hyperparameters that matter for an optimizer (what a label or a picker shows): lr and its spec's. */
export function relevantHypers(name: OptimizerName): HyperKey[] {
  return ['lr', ...optimizerSpec(name).hypers];
}

const fmt = (x: number) =>
  Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? String(Number(x.toPrecision(3))) : x.toExponential(0);

/**
 * A label for each slot: the optimizer's name, plus just enough hyperparameters to tell apart
 * slots of the same optimizer ("Adam", or "Adam lr=0.01" and "Adam lr=0.001"), plus "#2" when
 * two slots are identical.
 */
export function slotLabels(slots: readonly CompareSlot[]): string[] {
  const labels = slots.map((s) => {
    const o = s.optimizer;
    const same = slots.filter((t) => t.optimizer.name === o.name);
    if (same.length === 1) return OPTIMIZER_LABELS[o.name];
    const differing = relevantHypers(o.name).filter((k) => same.some((t) => t.optimizer[k] !== o[k]));
    const parts = differing.map((k) => `${hyperDef(k).symbol}=${fmt(o[k] as number)}`);
    return [OPTIMIZER_LABELS[o.name], ...parts].join(' ');
  });
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return labels.filter((x) => x === l).length > 1 ? `${l} #${n}` : l;
  });
}

/** Adds a slot (a copy of `optimizer`, e.g. the normal run's) with the next free colour; at most MAX_SLOTS. */
export function addSlot(cfg: CompareConfig, optimizer: OptimizerConfig): CompareConfig {
  if (cfg.slots.length >= MAX_SLOTS) throw new Error(`compare.slots: at most ${MAX_SLOTS} optimizers race at once`);
  const color = nextColor(cfg.slots.map((s) => s.color));
  return { ...cfg, slots: [...cfg.slots, { color, optimizer: { ...optimizer } }] };
}

/** Removes slot i; at least MIN_SLOTS remain. */
export function removeSlot(cfg: CompareConfig, i: number): CompareConfig {
  if (cfg.slots.length <= MIN_SLOTS) throw new Error(`compare.slots: a race needs at least ${MIN_SLOTS} optimizers`);
  return { ...cfg, slots: cfg.slots.filter((_, j) => j !== i) };
}

/** Replaces slot i's optimizer (its colour stays). */
export function setSlotOptimizer(cfg: CompareConfig, i: number, optimizer: OptimizerConfig): CompareConfig {
  return { ...cfg, slots: cfg.slots.map((s, j) => (j === i ? { ...s, optimizer: { ...optimizer } } : s)) };
}

// ---------------------------------------------------------------------------------------------
// Parsing (URL, imported JSON). Never throws; every bad field is replaced and named in a notice.

const OPT_FIELDS = FIELDS.filter((f) => f.path.startsWith('optimizer.'));
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseOptimizer(raw: unknown, fallback: OptimizerConfig, prefix: string, out: Notice[]): OptimizerConfig {
  const o: OptimizerConfig = { ...fallback };
  if (!isObj(raw)) {
    out.push({ path: prefix, message: `${describeValue(raw)} is not an optimizer; using ${fallback.name}` });
    return o;
  }
  for (const f of OPT_FIELDS) {
    const key = f.path.slice('optimizer.'.length) as keyof OptimizerConfig;
    const v = raw[key];
    if (v === undefined) continue; // partial slots in hand-written links take the defaults silently
    const problem = checkField(f, v);
    if (problem) out.push({ path: `${prefix}.${key}`, message: `${problem}; using ${describeValue(o[key])}` });
    else (o as unknown as Obj)[key] = v;
  }
  return o;
}

/** Reads a compare set from any value; a missing or unusable one gives the default six. */
export function parseCompareConfig(raw: unknown): { compare: CompareConfig; notices: Notice[] } {
  const notices: Notice[] = [];
  const def = defaultCompareConfig();
  if (raw === undefined) return { compare: def, notices };
  if (!isObj(raw)) {
    notices.push({ path: 'compare', message: `${describeValue(raw)} is not a compare set; using the default six` });
    return { compare: def, notices };
  }
  let targetLoss = def.targetLoss;
  if (raw.targetLoss !== undefined) {
    const t = raw.targetLoss;
    if (typeof t === 'number' && Number.isFinite(t) && t > 0) targetLoss = t;
    else
      notices.push({
        path: 'compare.targetLoss',
        message: `${describeValue(t)} is not a positive number; using ${targetLoss}`,
      });
  }
  const rawSlots = raw.slots;
  if (!Array.isArray(rawSlots) || rawSlots.length < MIN_SLOTS) {
    if (rawSlots !== undefined)
      notices.push({
        path: 'compare.slots',
        message: `${describeValue(rawSlots)} is not a list of ${MIN_SLOTS} to ${MAX_SLOTS} optimizers; using the default six`,
      });
    return { compare: { slots: def.slots, targetLoss }, notices };
  }
  if (rawSlots.length > MAX_SLOTS)
    notices.push({
      path: 'compare.slots',
      message: `${rawSlots.length} optimizers is above ${MAX_SLOTS}; keeping the first ${MAX_SLOTS}`,
    });
  const slots: CompareSlot[] = [];
  rawSlots.slice(0, MAX_SLOTS).forEach((s, i) => {
    const prefix = `compare.slots[${i}]`;
    const fallbackOpt = def.slots[i % def.slots.length].optimizer;
    const item = isObj(s) ? s : {};
    if (!isObj(s))
      notices.push({ path: prefix, message: `${describeValue(s)} is not a slot; using ${fallbackOpt.name}` });
    const optimizer = parseOptimizer(item.optimizer ?? {}, fallbackOpt, `${prefix}.optimizer`, notices);
    let color = item.color;
    // Colours must be unique: they identify a run in every chart (and key its row).
    const taken = slots.map((x) => x.color.toLowerCase());
    if (!isHexColor(color) || taken.includes(color.toLowerCase())) {
      const c = nextColor(taken);
      if (color !== undefined) {
        const why = isHexColor(color) ? 'is already used by another slot' : 'is not #rrggbb';
        notices.push({ path: `${prefix}.color`, message: `${describeValue(color)} ${why}; using ${c}` });
      }
      color = c;
    }
    slots.push({ color: color as string, optimizer });
  });
  return { compare: { slots, targetLoss }, notices };
}
