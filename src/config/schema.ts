// parseConfig: any JSON-ish value -> a valid TrainConfig plus notices naming every field that
// was bad, missing or unknown. It never throws: a bad field gets its own default and nothing
// else changes, so one typo in a shared link never throws away the rest of the experiment.
import { DEFAULT_CONFIG, DEFAULT_LAYER } from '../engine/defaults';
import { OPTIMIZER_NAMES, optimizerDefaults } from '../engine/optimizers/registry';
import type { LayerConfig, TrainConfig } from '../engine/types';
import { FIELDS, type Field, LAYER_FIELDS, MAX_HIDDEN_LAYERS, REGRESSION_DATASETS } from './fields';

/** The config version this build writes. Older/newer/unknown versions are read field by field. */
export const CONFIG_VERSION = 1;

export interface Notice {
  /** Field path, e.g. 'model.hidden[2].units', or 'config' / 'link' for the whole input. */
  path: string;
  /** Plain text (never markup): what was wrong and what was used instead. */
  message: string;
}

export const noticeText = (n: Notice): string => `${n.path}: ${n.message}`;

export interface ParseOptions {
  /** Report missing fields (true for imported JSON; false for hand-written partial URLs). */
  reportMissing?: boolean;
}

export interface ParseResult {
  config: TrainConfig;
  notices: Notice[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A short, plain-text rendering of any value for a notice (strings quoted and cut at 40 chars). */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') {
    const s = v.length > 40 ? `${v.slice(0, 40)}…` : v;
    return JSON.stringify(s);
  }
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** Checks one value against its field; returns the problem in words, or null when it is valid. */
export function checkField(f: Field, v: unknown): string | null {
  const got = describeValue(v);
  switch (f.kind) {
    case 'number':
      if (typeof v !== 'number') return `${got} is not a number`;
      if (!Number.isFinite(v)) return `${got} is not a finite number`;
      if (f.integer && !Number.isInteger(v)) return `${got} is not a whole number`;
      if (v < f.min) return `${got} is below the minimum ${f.min}`;
      if (v > f.max) return `${got} is above the maximum ${f.max}`;
      return null;
    case 'enum':
      if (typeof v !== 'string' || !f.values.includes(v)) return `${got} is not one of ${f.values.join(', ')}`;
      return null;
    case 'boolean':
      return typeof v === 'boolean' ? null : `${got} is not true or false`;
  }
}

function getPath(root: unknown, parts: string[]): unknown {
  let cur = root;
  for (const p of parts) {
    if (!isObj(cur) || !Object.hasOwn(cur, p)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function setPath(root: Obj, parts: string[], v: unknown): void {
  let cur = root;
  for (const p of parts.slice(0, -1)) cur = cur[p] as Obj;
  cur[parts[parts.length - 1]] = v;
}

/** Reads each field from `raw` into `target` (which holds defaults); notices for the bad ones. */
function readFields(
  fields: readonly Field[],
  raw: unknown,
  target: Obj,
  prefix: string,
  out: Notice[],
  reportMissing: boolean,
): void {
  for (const f of fields) {
    const parts = f.path.split('.');
    const v = getPath(raw, parts);
    const fallback = describeValue(getPath(target, parts));
    if (v === undefined) {
      if (reportMissing) out.push({ path: prefix + f.path, message: `missing; using the default ${fallback}` });
      continue;
    }
    const problem = checkField(f, v);
    if (problem) out.push({ path: prefix + f.path, message: `${problem}; using the default ${fallback}` });
    else setPath(target, parts, v);
  }
}

/** Notices for keys of `raw` that the schema does not know (typos in hand-edited links or files). */
function unknownKeys(raw: Obj, known: Set<string>, prefix: string, out: Notice[]): void {
  const extra = Object.keys(raw).filter((k) => !known.has(k));
  // The key is user text: an empty one still needs a visible name, a huge one is cut (as values are).
  const name = (k: string) => (k === '' ? '""' : k.length > 40 ? `${k.slice(0, 40)}…` : k);
  for (const k of extra.slice(0, 5)) out.push({ path: prefix + name(k), message: 'unknown field, ignored' });
  if (extra.length > 5)
    out.push({ path: prefix || 'config', message: `${extra.length - 5} more unknown fields ignored` });
}

const SECTIONS = ['data', 'model', 'reg', 'optimizer', 'schedule', 'earlyStop'] as const;
const ROOT_KEYS = new Set(['version', ...FIELDS.map((f) => f.path.split('.')[0])]);

function parseLayers(raw: unknown, out: Notice[], reportMissing: boolean): LayerConfig[] {
  if (raw === undefined) {
    if (reportMissing) out.push({ path: 'model.hidden', message: 'missing; using the default layers' });
    return structuredClone(DEFAULT_CONFIG.model.hidden);
  }
  if (!Array.isArray(raw)) {
    out.push({
      path: 'model.hidden',
      message: `${describeValue(raw)} is not a list of layers; using the default layers`,
    });
    return structuredClone(DEFAULT_CONFIG.model.hidden);
  }
  let items = raw;
  if (raw.length > MAX_HIDDEN_LAYERS) {
    out.push({
      path: 'model.hidden',
      message: `${raw.length} layers is above the maximum ${MAX_HIDDEN_LAYERS}; keeping the first ${MAX_HIDDEN_LAYERS}`,
    });
    items = raw.slice(0, MAX_HIDDEN_LAYERS);
  }
  const known = new Set(LAYER_FIELDS.map((f) => f.path));
  return items.map((item, i) => {
    const layer: LayerConfig = { ...DEFAULT_LAYER };
    const prefix = `model.hidden[${i}].`;
    if (!isObj(item)) {
      out.push({
        path: `model.hidden[${i}]`,
        message: `${describeValue(item)} is not a layer; using the default layer`,
      });
      return layer;
    }
    readFields(LAYER_FIELDS, item, layer as unknown as Obj, prefix, out, reportMissing);
    unknownKeys(item, known, prefix, out);
    return layer;
  });
}

function readVersion(raw: Obj, out: Notice[], reportMissing: boolean): void {
  const v = raw.version;
  if (v === CONFIG_VERSION) return;
  if (v === undefined) {
    if (reportMissing) out.push({ path: 'version', message: `missing; read as version ${CONFIG_VERSION}` });
  } else if (typeof v === 'number' && Number.isInteger(v) && v > CONFIG_VERSION) {
    out.push({
      path: 'version',
      message: `${v} is newer than this Descent (version ${CONFIG_VERSION}); fields it knows were read, the rest ignored`,
    });
  } else {
    out.push({
      path: 'version',
      message: `${describeValue(v)} is not a known version; fields were read as version ${CONFIG_VERSION}`,
    });
  }
}

/** Rules that involve more than one field. `lossGiven`: the input named a loss (else fix it silently). */
function crossCheck(cfg: TrainConfig, out: Notice[], lossGiven: boolean): void {
  if (REGRESSION_DATASETS.includes(cfg.data.name) && cfg.model.loss !== 'mse') {
    if (lossGiven)
      out.push({
        path: 'model.loss',
        message: `${describeValue(cfg.model.loss)} cannot fit the regression dataset ${cfg.data.name}; using "mse"`,
      });
    cfg.model.loss = 'mse';
  }
}

function parseUnsafe(json: unknown, reportMissing: boolean): ParseResult {
  const notices: Notice[] = [];
  const config = structuredClone(DEFAULT_CONFIG);
  if (!isObj(json)) {
    notices.push({ path: 'config', message: `${describeValue(json)} is not a config object; using the defaults` });
    return { config, notices };
  }
  readVersion(json, notices, reportMissing);
  unknownKeys(json, ROOT_KEYS, '', notices);
  // A missing or wrong-typed section gets one notice, not one per field inside it.
  const quiet = new Set<string>();
  for (const s of SECTIONS) {
    const sec = json[s];
    if (sec === undefined) {
      if (reportMissing) notices.push({ path: s, message: `missing; using the defaults for ${s}` });
      quiet.add(s);
    } else if (!isObj(sec)) {
      notices.push({ path: s, message: `${describeValue(sec)} is not an object; using the defaults for ${s}` });
      quiet.add(s);
    } else {
      const known = new Set(FIELDS.filter((f) => f.path.startsWith(`${s}.`)).map((f) => f.path.slice(s.length + 1)));
      if (s === 'model') known.add('hidden');
      unknownKeys(sec, known, `${s}.`, notices);
    }
  }
  // The named rule's own defaults (Lion's beta2 0.99) for the values the input leaves out or gets wrong.
  const named = getPath(json, ['optimizer', 'name']);
  if (typeof named === 'string' && (OPTIMIZER_NAMES as readonly string[]).includes(named))
    Object.assign(config.optimizer, optimizerDefaults(named));
  for (const f of FIELDS) {
    const section = f.path.includes('.') ? f.path.split('.')[0] : '';
    if (quiet.has(section)) continue;
    readFields([f], json, config as unknown as Obj, '', notices, reportMissing);
  }
  if (!quiet.has('model'))
    config.model.hidden = parseLayers(getPath(json, ['model', 'hidden']), notices, reportMissing);
  crossCheck(config, notices, getPath(json, ['model', 'loss']) !== undefined);
  return { config, notices };
}

/**
 * Reads a config from any value (parsed JSON, a decoded URL, an imported file). Never throws;
 * bad fields get their own defaults and one notice each, naming the field path.
 */
export function parseConfig(json: unknown, opts: ParseOptions = {}): ParseResult {
  try {
    return parseUnsafe(json, opts.reportMissing ?? true);
  } catch (e) {
    // Exotic inputs (throwing getters, proxies) land here: defaults, and say so.
    const why = e instanceof Error ? e.message : describeValue(e);
    return {
      config: structuredClone(DEFAULT_CONFIG),
      notices: [{ path: 'config', message: `could not be read (${why.slice(0, 80)}); using the defaults` }],
    };
  }
}

/** The problems of an in-memory config (empty when it is valid). */
export function validateConfig(cfg: TrainConfig): Notice[] {
  return parseConfig(cfg).notices;
}
