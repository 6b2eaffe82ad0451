// Reading a sweep: the link's `sweep` value (written by sweep.ts encodeSweep, the format is
// there) and the view's edits go through one validator, parseSweepConfig, which never throws and
// names every bad field (`sweep.lrCount`, `sweep.extra.momentum[1]`, ...), replacing it by the
// default's. Loaded on demand (a sweep link, the sweep view), not on the first screen.
import { describeValue, type Notice } from '../config/schema';
import { hyperDef } from '../engine/optimizers/hypers';
import { OPTIMIZER_NAMES, optimizerSpec } from '../engine/optimizers/registry';
import type { OptimizerName } from '../engine/types';
import {
  defaultSweepConfig,
  MAX_EXTRA,
  MAX_LRS,
  MAX_SWEEP_EPOCHS,
  MAX_SWEEP_RUNS,
  MIN_EXTRA,
  MIN_LRS,
  SWEEP_AXES,
  type SweepAxis,
  type SweepConfig,
  type SweepDisplay,
  sweepCells,
} from './sweep';

export { encodeSweep } from './sweep';
export type { SweepDisplay };

const AXIS_BY_URL_KEY = new Map<string, SweepAxis>(SWEEP_AXES.map((k) => [hyperDef(k).urlKey, k]));

const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const num = (s: string | undefined): unknown => (s !== undefined && NUMBER_RE.test(s) ? Number(s) : s);

/** Reads the `sweep` value of a link; never throws, names every bad part in a notice. */
export function decodeSweep(text: string): { sweep: SweepConfig; display: SweepDisplay; notices: Notice[] } {
  const notices: Notice[] = [];
  const raw: Record<string, unknown> = {};
  let display: SweepDisplay = 'heatmap';
  const [names, ...parts] = text.split(':');
  if (names !== undefined && names !== '') raw.optimizers = names.split(',').filter((n) => n !== '');
  for (const p of parts) {
    const [key, ...vals] = p.split('_');
    if (key === 'lr') {
      if (vals.length !== 3) {
        notices.push({
          path: 'sweep.lr',
          message: `${describeValue(p)} is not lr_<min>_<max>_<count>; using the default`,
        });
        continue;
      }
      [raw.lrMin, raw.lrMax, raw.lrCount] = vals.map(num);
    } else if (key === 'ep') raw.epochs = num(vals[0]);
    else if (p === 'final' || p === 'best') raw.metric = p;
    else if (p === 'lines' || p === 'heatmap') display = p;
    else if (AXIS_BY_URL_KEY.has(key)) raw.extra = { key: AXIS_BY_URL_KEY.get(key), values: vals.map(num) };
    else notices.push({ path: 'sweep', message: `unknown part ${describeValue(p)}, ignored` });
  }
  const parsed = parseSweepConfig(raw);
  return { sweep: parsed.sweep, display, notices: [...notices, ...parsed.notices] };
}

// ---------------------------------------------------------------------------------------------
// The validator of links and edits.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const LR = hyperDef('lr');

/** Reads a sweep from any value; bad fields take the default's value, each with a notice naming it. */
export function parseSweepConfig(raw: unknown): { sweep: SweepConfig; notices: Notice[] } {
  const def = defaultSweepConfig();
  const notices: Notice[] = [];
  if (raw === undefined) return { sweep: def, notices };
  if (!isObj(raw)) {
    notices.push({ path: 'sweep', message: `${describeValue(raw)} is not a sweep; using the default` });
    return { sweep: def, notices };
  }
  const bad = (field: string, message: string) => notices.push({ path: `sweep.${field}`, message });
  const out: SweepConfig = { ...def };

  if (raw.optimizers !== undefined) {
    const list = Array.isArray(raw.optimizers) ? raw.optimizers : [raw.optimizers];
    const names: OptimizerName[] = [];
    for (const n of list) {
      if (typeof n !== 'string' || !(OPTIMIZER_NAMES as readonly string[]).includes(n))
        bad('optimizers', `${describeValue(n)} is not an optimizer (one of ${OPTIMIZER_NAMES.join(', ')}); left out`);
      else if (names.includes(n as OptimizerName)) bad('optimizers', `${n} is listed twice; once is enough`);
      else names.push(n as OptimizerName);
    }
    if (names.length > 0) out.optimizers = names;
    else bad('optimizers', `no optimizer to sweep; using ${def.optimizers.join(', ')}`);
  }

  const lrOk = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= LR.min && v <= LR.max;
  const lrWhy = (v: unknown) => `${describeValue(v)} is not a learning rate from ${LR.min} to ${LR.max}`;
  let lrMin = def.lrMin;
  let lrMax = def.lrMax;
  if (raw.lrMin !== undefined) {
    if (lrOk(raw.lrMin)) lrMin = raw.lrMin;
    else bad('lrMin', `${lrWhy(raw.lrMin)}; using ${def.lrMin}`);
  }
  if (raw.lrMax !== undefined) {
    if (lrOk(raw.lrMax)) lrMax = raw.lrMax;
    else bad('lrMax', `${lrWhy(raw.lrMax)}; using ${def.lrMax}`);
  }
  if (lrMin < lrMax) Object.assign(out, { lrMin, lrMax });
  else
    bad('lrMax', `the largest lr (${lrMax}) must be above the smallest (${lrMin}); using ${def.lrMin} to ${def.lrMax}`);

  if (raw.lrCount !== undefined) {
    const n = raw.lrCount;
    if (typeof n === 'number' && Number.isInteger(n) && n >= MIN_LRS && n <= MAX_LRS) out.lrCount = n;
    else
      bad(
        'lrCount',
        `${describeValue(n)} is not a whole number of learning rates from ${MIN_LRS} to ${MAX_LRS}; using ${def.lrCount}`,
      );
  }

  if (raw.epochs !== undefined) {
    const n = raw.epochs;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_SWEEP_EPOCHS) out.epochs = n;
    else
      bad(
        'epochs',
        `${describeValue(n)} is not a whole number of epochs from 1 to ${MAX_SWEEP_EPOCHS}; using ${def.epochs}`,
      );
  }

  if (raw.metric !== undefined) {
    if (raw.metric === 'final' || raw.metric === 'best') out.metric = raw.metric;
    else bad('metric', `${describeValue(raw.metric)} is not final or best; using ${def.metric}`);
  }

  if (raw.extra !== undefined && raw.extra !== null) out.extra = parseExtra(raw.extra, out.optimizers, bad);

  const runs = sweepCells(out).length;
  if (runs > MAX_SWEEP_RUNS) {
    notices.push({
      path: 'sweep',
      message: `${runs} runs; at most ${MAX_SWEEP_RUNS} train together (fewer optimizers, lr values or extra values); using the default sweep`,
    });
    return { sweep: def, notices };
  }
  return { sweep: out, notices };
}

function parseExtra(
  raw: unknown,
  optimizers: readonly OptimizerName[],
  bad: (field: string, message: string) => void,
): SweepConfig['extra'] {
  if (!isObj(raw) || typeof raw.key !== 'string' || !(SWEEP_AXES as readonly string[]).includes(raw.key)) {
    const key = isObj(raw) ? raw.key : raw;
    bad('extra', `${describeValue(key)} is not a sweep axis (one of ${SWEEP_AXES.join(', ')}); no extra axis`);
    return null;
  }
  const key = raw.key as SweepAxis;
  const h = hyperDef(key);
  if (!optimizers.some((o) => optimizerSpec(o).hypers.includes(key))) {
    bad('extra', `none of ${optimizers.join(', ')} uses ${key}; no extra axis`);
    return null;
  }
  const list = Array.isArray(raw.values) ? raw.values : [];
  const values: number[] = [];
  list.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < h.min || v > h.max)
      bad(`extra.${key}[${i}]`, `${describeValue(v)} is not a ${key} from ${h.min} to ${h.max}; left out`);
    else if (values.includes(v)) bad(`extra.${key}[${i}]`, `${v} is listed twice; once is enough`);
    else values.push(v);
  });
  if (values.length < MIN_EXTRA || values.length > MAX_EXTRA) {
    bad(
      `extra.${key}`,
      `${values.length} usable values; an extra axis takes ${MIN_EXTRA} to ${MAX_EXTRA}; no extra axis`,
    );
    return null;
  }
  return { key, values: values.sort((a, b) => a - b) };
}
