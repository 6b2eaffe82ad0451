// What must hold for every bad config, whatever it is, written independently of the parser:
//   1. no exception;
//   2. the resulting config passes validateConfig;
//   3. every field keeps the value the input gave it when that value is valid, and takes its
//      default otherwise ("defaults for those fields only");
//   4. every bad value is named by a notice whose path is the field (or its layer), and notices
//      are short plain text (a megabyte key or value is cut, never echoed whole).
// Which values are valid is decided here too, from the field table's declared types and limits
// (fields.ts), never with the parser's own checkField: a wrong checkField must fail the fuzz
// (src/robust/configOracleMutants.robust.test.ts breaks it on purpose and sees the oracle disagree).
// The checks return violations as sentences; the suite asserts there are none and counts
// outcomes: clean (no notice), repaired (notices, config usable), refused (a file that is not
// JSON or not an object: a message, nothing imported).

import { isHexColor } from '../src/compare/colors';
import { decodeCompare } from '../src/compare/compareHash';
import { MAX_SLOTS, MIN_SLOTS } from '../src/compare/compareSet';
import { FIELDS, type Field, LAYER_FIELDS, MAX_HIDDEN_LAYERS, REGRESSION_DATASETS } from '../src/config/fields';
import { type Notice, parseConfig, validateConfig } from '../src/config/schema';
import { decodeHash, MAX_HASH_LENGTH } from '../src/config/urlHash';
import { DEFAULT_CONFIG, DEFAULT_LAYER } from '../src/engine/defaults';
import { OPTIMIZER_NAMES, optimizerDefaults } from '../src/engine/optimizers/registry';
import type { TrainConfig } from '../src/engine/types';
import { configFromJson, type ImportResult } from '../src/export/configFile';
import type { Channel } from './configInputs';

export type Outcome = 'clean' | 'repaired' | 'refused' | 'exception' | 'violation';

export interface Verdict {
  outcome: Outcome;
  violations: string[];
}

/** Longest notice we accept: a sentence, never an echo of a huge input. */
export const MAX_NOTICE_CHARS = 400;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => a === b || (Number.isNaN(a) && Number.isNaN(b));
const show = (v: unknown) => {
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
};

/**
 * A value is valid for a field when it has the field's declared type and lies within its
 * declared limits: a boolean; one of the enum's strings; a finite number in [min, max], whole
 * when the field is an integer.
 */
export function validFor(f: Field, v: unknown): boolean {
  switch (f.kind) {
    case 'boolean':
      return v === true || v === false;
    case 'enum':
      return typeof v === 'string' && f.values.indexOf(v) >= 0;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
      if (f.integer && Math.trunc(v) !== v) return false;
      return f.min <= v && v <= f.max;
  }
}

function ownPath(root: unknown, parts: string[]): unknown {
  let cur = root;
  for (const p of parts) {
    if (!isObj(cur) || !Object.hasOwn(cur, p)) return undefined;
    cur = cur[p];
  }
  return cur;
}

const valueAt = (root: unknown, path: string) => ownPath(root, path.split('.'));

function noticeViolations(notices: Notice[]): string[] {
  const out: string[] = [];
  for (const n of notices) {
    if (typeof n.path !== 'string' || n.path === '' || typeof n.message !== 'string' || n.message === '')
      out.push(`notice without a path or message: ${show(JSON.stringify(n))}`);
    else if (n.path.length + n.message.length > MAX_NOTICE_CHARS)
      out.push(`notice of ${n.path.length + n.message.length} characters at ${show(n.path)}`);
  }
  return out;
}

/**
 * A field's default: for an optimizer hyperparameter, the default of the rule the input names when
 * that name is registered (the spec's `defaults`, e.g. Lion's beta2 0.99), else the table's.
 */
function defaultOf(f: Field, ruleName: unknown): unknown {
  const key = f.path.startsWith('optimizer.') ? f.path.slice('optimizer.'.length) : null;
  if (
    key &&
    key !== 'name' &&
    typeof ruleName === 'string' &&
    (OPTIMIZER_NAMES as readonly string[]).includes(ruleName)
  )
    return (optimizerDefaults(ruleName) as unknown as Record<string, unknown>)[key];
  return valueAt(DEFAULT_CONFIG, f.path);
}

/** One field: expected = the input's value when valid, else the default; bad values named. */
function checkLeaf(
  f: Field,
  given: unknown,
  fallback: unknown,
  actual: unknown,
  path: string,
  notices: Notice[],
  out: string[],
): void {
  const valid = given !== undefined && validFor(f, given);
  const expected = valid ? given : fallback;
  if (!same(actual, expected)) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
  if (given !== undefined && !valid && !notices.some((n) => n.path === path))
    out.push(`${path}: bad value ${show(given)} replaced without a notice naming it`);
}

/** Oracle for parseConfig(raw) (objects, and files once they are JSON). */
export function checkParsed(raw: unknown, config: TrainConfig, notices: Notice[]): string[] {
  const out = [...noticeViolations(notices)];
  const problems = validateConfig(config);
  if (problems.length > 0) out.push(`result does not validate: ${problems.map((p) => p.path).join(', ')}`);
  if (!isObj(raw)) {
    if (JSON.stringify(config) !== JSON.stringify(DEFAULT_CONFIG))
      out.push('non-object input did not give the defaults');
    if (notices.length === 0) out.push('non-object input without a notice');
    return out;
  }
  const regression = REGRESSION_DATASETS.includes(config.data.name);
  for (const f of FIELDS) {
    const given = valueAt(raw, f.path);
    if (f.path === 'model.loss' && regression) {
      if (config.model.loss !== 'mse') out.push('model.loss: regression data without mse');
      if (given !== undefined && given !== 'mse' && !notices.some((n) => n.path === 'model.loss'))
        out.push('model.loss: replaced for regression data without a notice');
      continue;
    }
    const rule = valueAt(raw, 'optimizer.name');
    checkLeaf(f, given, defaultOf(f, rule), valueAt(config, f.path), f.path, notices, out);
  }
  const model = ownPath(raw, ['model']);
  const hidden = isObj(model) ? ownPath(model, ['hidden']) : undefined;
  if (!Array.isArray(hidden)) {
    if (JSON.stringify(config.model.hidden) !== JSON.stringify(DEFAULT_CONFIG.model.hidden))
      out.push('model.hidden: missing or not a list, but the default layers were not used');
    if (hidden !== undefined && !notices.some((n) => n.path === 'model.hidden' || n.path === 'model'))
      out.push('model.hidden: not a list, without a notice');
    return out;
  }
  if (config.model.hidden.length !== Math.min(hidden.length, MAX_HIDDEN_LAYERS))
    out.push(`model.hidden: ${hidden.length} layers given, ${config.model.hidden.length} kept`);
  if (hidden.length > MAX_HIDDEN_LAYERS && !notices.some((n) => n.path === 'model.hidden'))
    out.push('model.hidden: too many layers without a notice');
  config.model.hidden.forEach((layer, i) => {
    const item = hidden[i];
    if (!isObj(item)) {
      if (JSON.stringify(layer) !== JSON.stringify(DEFAULT_LAYER)) out.push(`model.hidden[${i}]: not the default`);
      if (!notices.some((n) => n.path === `model.hidden[${i}]`)) out.push(`model.hidden[${i}]: no notice`);
      return;
    }
    for (const f of LAYER_FIELDS) {
      const path = `model.hidden[${i}].${f.path}`;
      checkLeaf(f, valueAt(item, f.path), valueAt(DEFAULT_LAYER, f.path), valueAt(layer, f.path), path, notices, out);
    }
  });
  return out;
}

// -------------------------------------------------------------------- links

const BOOLEANS: Record<string, boolean> = { '1': true, true: true, on: true, '0': false, false: false, off: false };

/** A number in a link: a decimal literal, or NaN / Infinity spelled out (so they can be refused by name). */
const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const readNum = (s: string): unknown =>
  DECIMAL.test(s) || ['NaN', 'Infinity', '+Infinity', '-Infinity'].includes(s) ? Number(s) : s;

/** The text of a link field read as the field's type, without the parser's help. */
function readAs(f: Field, s: string): unknown {
  if (f.kind === 'number') return readNum(s);
  if (f.kind === 'boolean') return Object.hasOwn(BOOLEANS, s) ? BOOLEANS[s] : s;
  return s;
}

/**
 * Oracle for decodeHash: a field holds exactly what the link says (read as its type) when that is
 * valid, else its default; a bad value is named by a notice.
 */
export function checkHash(text: string): Verdict {
  const d = decodeHash(text);
  const out = [...noticeViolations(d.notices)];
  const problems = validateConfig(d.config);
  if (problems.length > 0) out.push(`result does not validate: ${problems.map((p) => p.path).join(', ')}`);
  const body = text.replace(/^#/, '');
  const named = (p: string) => d.notices.some((n) => n.path === p);
  if (body.length > MAX_HASH_LENGTH) {
    if (JSON.stringify(d.config) !== JSON.stringify(DEFAULT_CONFIG)) out.push('too-long link did not give defaults');
    if (!named('link')) out.push('too-long link without a notice');
    return verdict(out, d.notices);
  }
  const first = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(body)) if (!first.has(k)) first.set(k, v);
  const regression = REGRESSION_DATASETS.includes(d.config.data.name);
  for (const f of FIELDS) {
    const s = first.get(f.key);
    const actual = valueAt(d.config, f.path);
    if (f.path === 'model.loss' && regression) {
      if (actual !== 'mse') out.push('model.loss: regression data without mse');
      continue;
    }
    const given = s === undefined ? undefined : readAs(f, s);
    const valid = given !== undefined && validFor(f, given);
    const expected = valid ? given : defaultOf(f, first.get('opt'));
    if (!same(actual, expected))
      out.push(`${f.path}: link ${show(s)}, expected ${show(expected)}, got ${show(actual)}`);
    if (s !== undefined && !valid && !named(f.path)) out.push(`${f.path}: bad link value ${show(s)} without a notice`);
  }
  const layers = first.get('hidden');
  if (layers === undefined) {
    if (JSON.stringify(d.config.model.hidden) !== JSON.stringify(DEFAULT_CONFIG.model.hidden))
      out.push('model.hidden: absent from the link but not the default layers');
  } else {
    const tokens = layers === '' ? [] : layers.split(',');
    if (d.config.model.hidden.length !== Math.min(tokens.length, MAX_HIDDEN_LAYERS))
      out.push(`model.hidden: ${tokens.length} tokens, ${d.config.model.hidden.length} layers`);
    if (tokens.length > MAX_HIDDEN_LAYERS && !named('model.hidden')) out.push('model.hidden: too many, no notice');
    d.config.model.hidden.forEach((layer, i) => {
      const [units, activation, ...flags] = tokens[i].split(':');
      const given: Record<string, unknown> = {
        units: readNum(units),
        activation: activation ?? DEFAULT_LAYER.activation,
      };
      given.dropout = 0;
      given.batchNorm = false;
      for (const fl of flags)
        if (fl === 'bn') given.batchNorm = true;
        else if (fl.startsWith('d')) given.dropout = readNum(fl.slice(1));
      for (const f of LAYER_FIELDS) {
        const path = `model.hidden[${i}].${f.path}`;
        const valid = validFor(f, given[f.path]);
        const expected = valid ? given[f.path] : valueAt(DEFAULT_LAYER, f.path);
        const actual = valueAt(layer, f.path);
        if (!same(actual, expected)) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
        if (!valid && !named(path)) out.push(`${path}: bad link value ${show(given[f.path])} without a notice`);
      }
    });
  }
  for (const p of d.extras.hide ?? [])
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(p)) out.push(`hide: panel name ${show(p)} let through`);
  for (const k of ['lesson', 'compare', 'view', 'present'] as const)
    if ((d.extras[k]?.length ?? 0) > 2000) out.push(`${k}: ${d.extras[k]?.length} characters kept`);
  return verdict(out, d.notices);
}

/** Oracle for decodeCompare: 2..8 slots, '#rrggbb' colours, optimizer fields that validate. */
export function checkCompare(text: string): Verdict {
  const { compare, notices } = decodeCompare(text);
  const out = [...noticeViolations(notices)];
  const n = compare.slots.length;
  if (n < MIN_SLOTS || n > MAX_SLOTS) out.push(`compare: ${n} slots`);
  if (!(Number.isFinite(compare.targetLoss) && compare.targetLoss > 0))
    out.push(`compare.targetLoss: ${compare.targetLoss}`);
  const colors = new Set<string>();
  compare.slots.forEach((s, i) => {
    if (!isHexColor(s.color)) out.push(`compare.slots[${i}].color: ${show(s.color)}`);
    colors.add(s.color.toLowerCase());
    for (const f of FIELDS.filter((x) => x.path.startsWith('optimizer.'))) {
      const v = valueAt({ optimizer: s.optimizer }, f.path);
      if (!validFor(f, v)) out.push(`compare.slots[${i}].${f.path}: ${show(v)} is not a valid value`);
    }
  });
  if (colors.size !== n) out.push('compare: two slots share a colour');
  return verdict(out, notices);
}

function verdict(violations: string[], notices: Notice[]): Verdict {
  if (violations.length > 0) return { outcome: 'violation', violations };
  return { outcome: notices.length > 0 ? 'repaired' : 'clean', violations };
}

function checkFile(text: string): Verdict {
  const r: ImportResult = configFromJson(text);
  if (!r.ok) {
    if (typeof r.message !== 'string' || r.message === '' || r.message.length > MAX_NOTICE_CHARS)
      return { outcome: 'violation', violations: [`refusal message of ${String(r.message).length} characters`] };
    return { outcome: 'refused', violations: [] };
  }
  return verdict(checkParsed(JSON.parse(text), r.config, r.notices), r.notices);
}

function checkObject(raw: unknown): Verdict {
  const { config, notices } = parseConfig(raw);
  return verdict(checkParsed(raw, config, notices), notices);
}

/** Runs one input through its channel; an exception is an outcome, never a crash of the suite. */
export function judge(channel: Channel, input: unknown): Verdict {
  try {
    switch (channel) {
      case 'object':
        return checkObject(input);
      case 'file':
        return checkFile(input as string);
      case 'hash':
        return checkHash(input as string);
      case 'compare':
        return checkCompare(input as string);
    }
  } catch (e) {
    return { outcome: 'exception', violations: [`threw ${e instanceof Error ? `${e.name}: ${e.message}` : show(e)}`] };
  }
}
