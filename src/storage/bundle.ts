// A kept run as a file: the run bundle, versioned JSON that another browser (or this one after
// clearing its storage) imports back as the same kept run. Format, version 1:
//   { "format": "descent-run", "version": 1, "exportedAt": "<ISO time>",
//     "run": { "label", "notes", "keptAt" (ms since 1970), "config" (TrainConfig, schema.ts),
//              "status": { state, step, epoch, statusStep, bestValLoss, bestEpoch },
//              "steps": { <scalar per-step metric>: number[] }  (engine/metricsSchema.ts STEP_METRICS),
//              "epochs": { <per-epoch metric>: number[] }       (EPOCH_METRICS),
//              "params": number[] | null (theta[P], float32 values), "bnStats": number[] | null,
//              "points": { x: number[2n], labels: number[n], classes, classNames } | null,
//              "start": TrainConfig | null, "changes": [{ "step", "config" }] } }
// JSON has no NaN: a missing value (a diverged step, an epoch without validation) is written as
// null and read back as NaN. Reading is strict: every problem is named by its path in the file
// and why (`run.steps.loss[12]: not a number`), and a file with any problem is refused whole
// (nothing half-imported); the config goes through the schema, whose notices become problems.
import type { ConfigChange } from '../config/changes';
import { parseConfig } from '../config/schema';
import { EPOCH_METRICS, fieldsOf, type MetricSpec, STEP_METRICS } from '../engine/metricsSchema';
import type { TrainConfig } from '../engine/types';
import { type KeptRun, MAX_LABEL, MAX_NOTES, newId } from './keptRuns';

export const BUNDLE_FORMAT = 'descent-run';
export const BUNDLE_VERSION = 1;
/** Larger files are refused before parsing (a kept run is at most a few megabytes). */
export const MAX_BUNDLE_BYTES = 64 << 20;

export interface BundleProblem {
  /** Where in the file, e.g. "run.config.optimizer.lr", "run.steps.loss[12]"; "file" for the whole file. */
  path: string;
  reason: string;
}

export type BundleRead = { ok: true; run: KeptRun } | { ok: false; problems: BundleProblem[] };

const STEP_COLUMNS = fieldsOf(STEP_METRICS).filter((k) => !(STEP_METRICS[k] as MetricSpec).perLayer);
const EPOCH_COLUMNS = fieldsOf(EPOCH_METRICS);

const numbers = (a: ArrayLike<number>): (number | null)[] => Array.from(a, (v) => (Number.isFinite(v) ? v : null));

const columns = (c: Record<string, Float64Array>) =>
  Object.fromEntries(Object.entries(c).map(([k, v]) => [k, numbers(v)]));

/** The bundle of a kept run, as JSON text. */
export function bundleText(run: KeptRun, now = new Date()): string {
  const body = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    exportedAt: now.toISOString(),
    run: {
      label: run.label,
      notes: run.notes,
      keptAt: run.keptAt,
      config: run.config,
      status: run.status,
      steps: columns(run.steps),
      epochs: columns(run.epochs),
      params: run.params ? Array.from(run.params) : null,
      bnStats: run.bnStats ? Array.from(run.bnStats) : null,
      points: run.points
        ? {
            x: Array.from(run.points.x),
            labels: Array.from(run.points.labels),
            classes: run.points.classes,
            classNames: run.points.classNames,
          }
        : null,
      start: run.start,
      changes: run.changes,
    },
  };
  // numbers as JSON writes them: the float32 weights' shortest decimal round-trips through Math.fround
  return JSON.stringify(body);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v);

/** Reads one bundle (text); never throws. */
export function readBundle(text: string): BundleRead {
  const problems: BundleProblem[] = [];
  const fail = (path: string, reason: string) => {
    if (problems.length < 20) problems.push({ path, reason });
  };
  if (text.length > MAX_BUNDLE_BYTES) return { ok: false, problems: [{ path: 'file', reason: 'larger than 64 MB' }] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      problems: [{ path: 'file', reason: `not JSON (${e instanceof Error ? e.message : String(e)})` }],
    };
  }
  if (!isObj(raw)) return { ok: false, problems: [{ path: 'file', reason: `expected an object, found ${kind(raw)}` }] };
  if (raw.format !== BUNDLE_FORMAT)
    return {
      ok: false,
      problems: [{ path: 'format', reason: `expected "${BUNDLE_FORMAT}" (is this a Descent run bundle?)` }],
    };
  if (!Number.isInteger(raw.version) || (raw.version as number) < 1)
    return { ok: false, problems: [{ path: 'version', reason: 'missing or not a whole number ≥ 1' }] };
  if ((raw.version as number) > BUNDLE_VERSION)
    return {
      ok: false,
      problems: [
        {
          path: 'version',
          reason: `${raw.version} is newer than this Descent reads (${BUNDLE_VERSION}); update the page`,
        },
      ],
    };
  const r = raw.run;
  if (!isObj(r)) return { ok: false, problems: [{ path: 'run', reason: `expected an object, found ${kind(r)}` }] };

  const str = (k: string, max: number): string => {
    const v = r[k];
    if (typeof v !== 'string') fail(`run.${k}`, `expected text, found ${kind(v)}`);
    else if (v.length > max) fail(`run.${k}`, `longer than ${max} characters`);
    return typeof v === 'string' ? v : '';
  };
  const label = str('label', MAX_LABEL);
  const notes = str('notes', MAX_NOTES);
  const keptAt = r.keptAt;
  if (!(typeof keptAt === 'number' && Number.isFinite(keptAt) && keptAt >= 0))
    fail('run.keptAt', 'expected a time (ms since 1970)');

  const config = (path: string, v: unknown): TrainConfig | null => {
    if (!isObj(v)) {
      fail(path, `expected a config object, found ${kind(v)}`);
      return null;
    }
    const p = parseConfig(v);
    for (const n of p.notices) fail(`${path}.${n.path}`, n.message.replace(/; using .*$/s, ''));
    return p.notices.length === 0 ? p.config : null;
  };
  const cfg = config('run.config', r.config);

  /** A list of numbers (null = NaN) as Float64Array, or null after naming what is wrong. */
  const list = (path: string, v: unknown, allowNull: boolean): number[] | null => {
    if (!Array.isArray(v)) {
      fail(path, `expected a list of numbers, found ${kind(v)}`);
      return null;
    }
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === 'number' && Number.isFinite(x)) out[i] = x;
      else if (x === null && allowNull) out[i] = Number.NaN;
      else {
        fail(`${path}[${i}]`, x === null ? 'missing (null) where a number is needed' : `not a number (${kind(x)})`);
        return null;
      }
    }
    return out;
  };
  const table = (key: 'steps' | 'epochs', names: readonly string[]): Record<string, Float64Array> => {
    const out: Record<string, Float64Array> = {};
    const v = r[key];
    if (!isObj(v)) {
      fail(`run.${key}`, `expected an object of columns, found ${kind(v)}`);
      return out;
    }
    let n = -1;
    for (const [k, col] of Object.entries(v)) {
      if (!names.includes(k)) {
        fail(`run.${key}.${k}`, `unknown column (known: ${names.join(', ')})`);
        continue;
      }
      const c = list(`run.${key}.${k}`, col, true);
      if (!c) continue;
      if (n >= 0 && c.length !== n) fail(`run.${key}.${k}`, `has ${c.length} values, the other columns ${n}`);
      n = c.length;
      out[k] = Float64Array.from(c);
    }
    if (key === 'steps') for (const need of ['step', 'loss']) if (!(need in v)) fail(`run.steps.${need}`, 'missing');
    return out;
  };
  const steps = table('steps', STEP_COLUMNS);
  const epochs = table('epochs', EPOCH_COLUMNS);

  const s = r.status;
  const status = { state: 'unknown', step: 0, epoch: 0, statusStep: -1, bestValLoss: Number.NaN, bestEpoch: 0 };
  if (!isObj(s)) fail('run.status', `expected an object, found ${kind(s)}`);
  else {
    if (
      typeof s.state !== 'string' ||
      !['training', 'paused', 'early-stopped', 'diverged', 'finished'].includes(s.state)
    )
      fail('run.status.state', 'expected one of training, paused, early-stopped, diverged, finished');
    else status.state = s.state;
    for (const k of ['step', 'epoch', 'statusStep', 'bestValLoss', 'bestEpoch'] as const) {
      const x = s[k];
      if (typeof x === 'number') status[k] = x;
      else if (x === null) status[k] = Number.NaN;
      else fail(`run.status.${k}`, `expected a number, found ${kind(x)}`);
    }
  }

  const f32 = (k: 'params' | 'bnStats'): Float32Array | null => {
    if (r[k] === null || r[k] === undefined) return null;
    const c = list(`run.${k}`, r[k], false);
    return c ? Float32Array.from(c) : null;
  };
  const params = f32('params');
  const bnStats = f32('bnStats');

  let points: KeptRun['points'] = null;
  if (r.points !== null && r.points !== undefined) {
    const p = r.points;
    if (!isObj(p)) fail('run.points', `expected an object or null, found ${kind(p)}`);
    else {
      const x = list('run.points.x', p.x, false);
      const labels = list('run.points.labels', p.labels, false);
      const classes = p.classes;
      const names = p.classNames;
      if (!(Number.isInteger(classes) && (classes as number) >= 2))
        fail('run.points.classes', 'expected a whole number ≥ 2');
      else if (!(Array.isArray(names) && names.length === classes && names.every((n) => typeof n === 'string')))
        fail('run.points.classNames', `expected ${classes} names`);
      else if (x && labels) {
        if (x.length !== 2 * labels.length)
          fail('run.points.x', `has ${x.length} values; 2 per label (${labels.length}) needed`);
        const bad = labels.findIndex((l) => !(Number.isInteger(l) && l >= 0 && l < (classes as number)));
        if (bad >= 0) fail(`run.points.labels[${bad}]`, `not a class index 0..${(classes as number) - 1}`);
        points = {
          x: Float32Array.from(x),
          labels: Int32Array.from(labels),
          classes: classes as number,
          classNames: names as string[],
        };
      }
    }
  }

  let start: TrainConfig | null = null;
  const changes: ConfigChange[] = [];
  if (r.changes !== undefined && r.changes !== null) {
    if (!Array.isArray(r.changes)) fail('run.changes', `expected a list, found ${kind(r.changes)}`);
    else if (r.changes.length > 0) {
      start = config('run.start', r.start);
      let last = 0;
      for (const [i, c] of r.changes.entries()) {
        if (!isObj(c)) {
          fail(`run.changes[${i}]`, `expected an object, found ${kind(c)}`);
          continue;
        }
        if (!(Number.isInteger(c.step) && (c.step as number) >= last)) {
          fail(`run.changes[${i}].step`, `expected a whole step, in order (≥ ${last})`);
          continue;
        }
        last = c.step as number;
        const cc = config(`run.changes[${i}].config`, c.config);
        if (cc) changes.push({ step: last, config: cc });
      }
    }
  }

  if (problems.length > 0 || !cfg) return { ok: false, problems };
  return {
    ok: true,
    run: {
      id: newId(),
      label,
      keptAt: keptAt as number,
      config: cfg,
      status,
      steps,
      epochs,
      params,
      bnStats,
      points,
      notes,
      changes,
      start,
    },
  };
}

/** "run.steps.loss[12]: not a number; run.config.optimizer.lr: …" (the first few, and how many more). */
export function problemsText(problems: readonly BundleProblem[]): string {
  const shown = problems.slice(0, 4).map((p) => `${p.path}: ${p.reason}`);
  const more = problems.length > 4 ? `; and ${problems.length - 4} more` : '';
  return `${shown.join('; ')}${more}`;
}
