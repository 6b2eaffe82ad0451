// The config in the URL hash, readable like TensorFlow Playground's links:
//   #seed=1&data=circle&noise=0.1&…&hidden=8:tanh,16:relu:d0.2:bn&…&v=1
// Every field is written (a link never depends on today's defaults); `v` comes last so a link
// cut short by a chat client or a QR reader is noticed. Decoding builds a raw object from the
// field table and hands it to parseConfig, so the URL and imported files share one validator.
import { DEFAULT_LAYER } from '../engine/defaults';
import type { LayerConfig, TrainConfig } from '../engine/types';
import { FIELDS, type Field } from './fields';
import { CONFIG_VERSION, describeValue, type Notice, parseConfig } from './schema';

/** Hash keys that are not config fields, kept for other features (presenter mode, lessons, compare, sweep, predict, changes). */
export const RESERVED_KEYS = ['hide', 'lesson', 'compare', 'sweep', 'view', 'present', 'ask', 'chg'] as const;
export type ReservedKey = (typeof RESERVED_KEYS)[number];

/** Longer hashes are refused whole: no real config needs a tenth of this. */
export const MAX_HASH_LENGTH = 8192;

export interface HashExtras {
  /** Panels hidden in presenter mode, e.g. ['network', 'histograms']. */
  hide?: string[];
  lesson?: string;
  compare?: string;
  /** The hyperparameter sweep (compare/sweepHash.ts). */
  sweep?: string;
  view?: string;
  /** Presenter mode ('1'): large type, thick lines, high contrast. */
  present?: string;
  /** Mid-run changes of the settings, replayed at their steps (changes.ts); the config fields are then the start. */
  chg?: string;
  /** A question to answer before the run (src/predict/questions.ts: `kind:key=value…`, never the answer). */
  ask?: string;
}

export interface DecodedHash {
  config: TrainConfig;
  notices: Notice[];
  /** True when the hash held at least one config field (otherwise the caller may use local storage). */
  hasConfig: boolean;
  extras: HashExtras;
}

// --- encoding ------------------------------------------------------------------------------

/** Percent-encodes, but keeps ',' and ':' (legal in a fragment) so layer lists stay readable. */
const enc = (s: string) => encodeURIComponent(s).replace(/%2C/gi, ',').replace(/%3A/gi, ':');

function encodeValue(f: Field, v: unknown): string {
  if (f.kind === 'boolean') return v ? '1' : '0';
  return enc(String(v)); // String(number) round-trips every double exactly
}

export function encodeLayer(l: LayerConfig): string {
  let s = `${l.units}:${l.activation}`;
  if (l.dropout !== 0) s += `:d${l.dropout}`;
  if (l.batchNorm) s += ':bn';
  return s;
}

function valueAt(cfg: TrainConfig, path: string): unknown {
  let cur: unknown = cfg;
  for (const p of path.split('.')) cur = (cur as Record<string, unknown>)[p];
  return cur;
}

/** The hash for a config (without the leading '#'). */
export function encodeHash(cfg: TrainConfig, extras: HashExtras = {}): string {
  const parts: string[] = [];
  for (const f of FIELDS) parts.push(`${f.key}=${encodeValue(f, valueAt(cfg, f.path))}`);
  parts.push(`hidden=${cfg.model.hidden.map(encodeLayer).join(',')}`);
  if (extras.hide && extras.hide.length > 0) parts.push(`hide=${extras.hide.map(enc).join(',')}`);
  for (const k of ['lesson', 'compare', 'sweep', 'view', 'present', 'ask', 'chg'] as const) {
    const v = extras[k];
    if (v !== undefined && v !== '') parts.push(`${k}=${enc(v)}`);
  }
  parts.push(`v=${CONFIG_VERSION}`);
  return parts.join('&');
}

// --- decoding ------------------------------------------------------------------------------

const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** Text -> number when it is one (NaN/Infinity included, so the schema can name them); else the text. */
function readNumber(s: string): unknown {
  if (NUMBER_RE.test(s)) return Number(s);
  if (s === 'NaN') return Number.NaN;
  if (s === 'Infinity' || s === '+Infinity') return Number.POSITIVE_INFINITY;
  if (s === '-Infinity') return Number.NEGATIVE_INFINITY;
  return s;
}

function readBoolean(s: string): unknown {
  if (s === '1' || s === 'true' || s === 'on') return true;
  if (s === '0' || s === 'false' || s === 'off') return false;
  return s;
}

function readValue(f: Field, s: string): unknown {
  if (f.kind === 'number') return readNumber(s);
  if (f.kind === 'boolean') return readBoolean(s);
  return s;
}

/** 'units:activation[:d<dropout>][:bn]' -> a raw layer for parseConfig (bad parts stay raw so it names them). */
function readLayer(token: string, i: number, notices: Notice[]): Record<string, unknown> {
  const [units, activation, ...flags] = token.split(':');
  const layer: Record<string, unknown> = { units: readNumber(units), dropout: 0, batchNorm: false };
  layer.activation = activation === undefined ? DEFAULT_LAYER.activation : activation;
  for (const flag of flags) {
    if (flag === 'bn') layer.batchNorm = true;
    else if (flag.startsWith('d')) layer.dropout = readNumber(flag.slice(1));
    else notices.push({ path: `model.hidden[${i}]`, message: `unknown layer option ${describeValue(flag)}, ignored` });
  }
  return layer;
}

function setRaw(raw: Record<string, unknown>, path: string, v: unknown): void {
  const parts = path.split('.');
  let cur = raw;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[parts[parts.length - 1]] = v;
}

const BY_KEY = new Map(FIELDS.map((f) => [f.key, f]));
const PANEL_RE = /^[A-Za-z0-9_-]{1,40}$/;

/** Reads a hash ('#…' or '…'). Never throws; bad fields get defaults and a notice each. */
export function decodeHash(hash: string): DecodedHash {
  const text = typeof hash === 'string' ? hash.replace(/^#/, '') : '';
  const notices: Notice[] = [];
  const extras: HashExtras = {};
  if (text.length > MAX_HASH_LENGTH) {
    const { config } = parseConfig({}, { reportMissing: false });
    notices.push({
      path: 'link',
      message: `${text.length} characters is too long to be a Descent link; using the defaults`,
    });
    return { config, notices, hasConfig: false, extras };
  }
  const params = new URLSearchParams(text);
  const raw: Record<string, unknown> = {};
  const seen = new Set<string>();
  let hasConfig = false;
  let unknown = 0;
  for (const [key, value] of params) {
    if (seen.has(key)) {
      notices.push({ path: 'link', message: `${describeValue(key)} appears more than once; the first is used` });
      continue;
    }
    seen.add(key);
    const f = BY_KEY.get(key);
    if (f) {
      setRaw(raw, f.path, readValue(f, value));
      hasConfig = true;
    } else if (key === 'hidden') {
      const tokens = value === '' ? [] : value.split(',');
      setRaw(
        raw,
        'model.hidden',
        tokens.map((t, i) => readLayer(t, i, notices)),
      );
      hasConfig = true;
    } else if (key === 'v') {
      raw.version = readNumber(value);
    } else if (key === 'hide') {
      const panels = value.split(',').filter((p) => p !== '');
      extras.hide = panels.filter((p) => PANEL_RE.test(p));
      if (extras.hide.length < panels.length)
        notices.push({ path: 'hide', message: 'some panel names were not valid, ignored' });
    } else if ((RESERVED_KEYS as readonly string[]).includes(key)) {
      // the change list is bounded by the hash's length; the others by 2000 characters
      extras[key as Exclude<ReservedKey, 'hide'>] = key === 'chg' ? value : value.slice(0, 2000);
    } else if (++unknown <= 5) {
      notices.push({ path: 'link', message: `unknown parameter ${describeValue(key)}, ignored` });
    }
  }
  if (unknown > 5) notices.push({ path: 'link', message: `${unknown - 5} more unknown parameters ignored` });
  if (hasConfig && raw.version === undefined) {
    notices.push({
      path: 'version',
      message: 'the link has no v=…; it may be cut short, so missing fields use defaults',
    });
  }
  const parsed = parseConfig(raw, { reportMissing: false });
  return { config: parsed.config, notices: [...notices, ...parsed.notices], hasConfig, extras };
}
