// Mid-run changes of a run's settings as a list, and that list in a link (`chg=` in the hash).
// A change is { step, config }: before the run takes step `step` (0-based), it continues with
// `config` (hyperparameters only; what would rebuild the network cannot change mid-run). The link
// carries the config the run STARTED with (the usual hash fields) and, in `chg`, each change as
// the hash fields it altered:
//   chg=120:lr:0.03,120:mom:0.9,300:lr:0.01
// entries `step:key:value` (keys and values exactly as in the hash, urlHash.ts; the hidden-layer list
// writes '|' for its ',' so entries stay comma-separated), in step order. Decoding re-applies them
// one by one through the same codec (decodeHash), so every value is validated as a link's would be;
// a bad entry is dropped with a notice naming it (`chg[2].optimizer.lr: …`).
import { needsRebuild } from '../engine/rebuild';
import type { TrainConfig } from '../engine/types';
import { FIELDS } from './fields';
import { describeValue, type Notice } from './schema';
import { decodeHash, encodeHash } from './urlHash';

export interface ConfigChange {
  /** 0-based index of the first step trained with `config`. */
  step: number;
  config: TrainConfig;
}

/** Hash keys of the config (the field table and the layer list), in the table's order. */
const CONFIG_KEYS = [...FIELDS.map((f) => f.key), 'hidden'];
const LABELS = new Map<string, string>([...FIELDS.map((f) => [f.key, f.label] as const), ['hidden', 'Layers']]);
/** At most this many changes are read from a link. */
export const MAX_CHANGES = 200;

function pairs(cfg: TrainConfig): Map<string, string> {
  const p = new URLSearchParams(encodeHash(cfg));
  return new Map(CONFIG_KEYS.map((k) => [k, p.get(k) ?? '']));
}

/** The hash fields that differ from a to b: [key, value in b]. */
export function changedFields(a: TrainConfig, b: TrainConfig): [string, string][] {
  const pa = pairs(a);
  const pb = pairs(b);
  return CONFIG_KEYS.filter((k) => pa.get(k) !== pb.get(k)).map((k) => [k, pb.get(k) ?? '']);
}

/** "Learning rate 0.05 → 0.02, L2 0 → 0.001": what a change did, for marks and lists. */
export function describeChange(prev: TrainConfig, next: TrainConfig): string {
  const pa = pairs(prev);
  return changedFields(prev, next)
    .map(([k, v]) => `${LABELS.get(k) ?? k} ${pa.get(k)} → ${v}`)
    .join(', ');
}

/** The `chg` value for a run that started as `start` and changed as `changes` ('' for none). */
export function encodeChanges(start: TrainConfig, changes: readonly ConfigChange[]): string {
  const out: string[] = [];
  let prev = start;
  for (const c of changes) {
    for (const [k, v] of changedFields(prev, c.config)) out.push(`${c.step}:${k}:${v.replaceAll(',', '|')}`);
    prev = c.config;
  }
  return out.join(',');
}

/**
 * The changes a `chg` value describes, applied from `start`. Never throws: an entry that cannot be
 * read is left out with a notice naming it and why (entries at one step form one change).
 */
export function decodeChanges(start: TrainConfig, text: string): { changes: ConfigChange[]; notices: Notice[] } {
  const notices: Notice[] = [];
  const changes: ConfigChange[] = [];
  const entries = text === '' ? [] : text.split(',');
  let prev = start;
  let lastStep = 0;
  for (let i = 0; i < entries.length; i++) {
    const at = `chg[${i}]`;
    if (changes.length >= MAX_CHANGES) {
      notices.push({ path: at, message: `more than ${MAX_CHANGES} changes; the rest are ignored` });
      break;
    }
    const m = /^(\d{1,9}):([A-Za-z0-9]+):(.*)$/.exec(entries[i]);
    if (!m) {
      notices.push({ path: at, message: `${describeValue(entries[i])} is not step:key:value; ignored` });
      continue;
    }
    const step = Number(m[1]);
    const [key, value] = [m[2], m[3].replaceAll('|', ',')];
    if (!CONFIG_KEYS.includes(key)) {
      notices.push({ path: at, message: `unknown setting ${describeValue(key)}; ignored` });
      continue;
    }
    if (step < lastStep) {
      notices.push({
        path: `${at}.step`,
        message: `step ${step} comes after step ${lastStep}; the list must be in order, ignored`,
      });
      continue;
    }
    const p = new URLSearchParams(encodeHash(prev));
    p.set(key, value);
    const d = decodeHash(p.toString());
    if (d.notices.length > 0) {
      for (const n of d.notices)
        notices.push({ path: `${at}.${n.path}`, message: `${n.message.replace(/; using .*$/s, '')}; ignored` });
      continue;
    }
    if (needsRebuild(prev, d.config)) {
      notices.push({
        path: at,
        message: `${describeValue(key)} cannot change during a run (it rebuilds the network); ignored`,
      });
      continue;
    }
    const last = changes[changes.length - 1];
    if (last && last.step === step) last.config = d.config;
    else changes.push({ step, config: d.config });
    prev = d.config;
    lastStep = step;
  }
  return { changes, notices };
}
