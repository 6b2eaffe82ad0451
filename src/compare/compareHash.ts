// The compare set in the URL hash, as the value of the reserved `compare` key (urlHash.ts keeps
// it verbatim). Readable like the rest of the link:
//   compare=sgd:lr_0.1,momentum:lr_0.03:mom_0.9,adam:lr_0.01:b1_0.9:b2_0.999:eps_1e-8,target_0.2,seeds_5
// (`seeds_N`, the seed band, only when N > 1.)
// One entry per slot: the optimizer name, then `key_value` for each hyperparameter it uses (keys
// of the field table: lr, mom, b1, b2, rho, eps, wd), and `c_rrggbb` when the slot's colour is
// not the default colour of its position. Decoding builds a raw object and hands it to
// parseCompareConfig, so links and imported files share one validator and one set of notices.
import { FIELDS } from '../config/fields';
import type { Notice } from '../config/schema';
import type { OptimizerConfig } from '../engine/types';
import { SLOT_COLORS } from './colors';
import { type CompareConfig, parseCompareConfig, relevantHypers } from './compareSet';

const OPT_KEYS = new Map(
  FIELDS.filter((f) => f.path.startsWith('optimizer.') && f.path !== 'optimizer.name').map((f) => [
    f.path.slice('optimizer.'.length) as keyof OptimizerConfig,
    f.key,
  ]),
);
const KEY_TO_FIELD = new Map([...OPT_KEYS].map(([field, key]) => [key, field]));

export function encodeCompare(c: CompareConfig): string {
  const slots = c.slots.map((s, i) => {
    const o = s.optimizer;
    const parts: string[] = [o.name];
    for (const k of relevantHypers(o.name)) parts.push(`${OPT_KEYS.get(k)}_${String(o[k])}`);
    if (s.color.toLowerCase() !== SLOT_COLORS[i]) parts.push(`c_${s.color.slice(1).toLowerCase()}`);
    return parts.join(':');
  });
  const seeds = c.seeds > 1 ? [`seeds_${c.seeds}`] : [];
  return [...slots, `target_${String(c.targetLoss)}`, ...seeds].join(',');
}

const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const num = (s: string): unknown => (NUMBER_RE.test(s) ? Number(s) : s);

/** Reads the `compare` value of a link; never throws, names every bad part in a notice. */
export function decodeCompare(text: string): { compare: CompareConfig; notices: Notice[] } {
  const notices: Notice[] = [];
  const slots: Record<string, unknown>[] = [];
  let targetLoss: unknown;
  let seeds: unknown;
  for (const entry of text.split(',').filter((e) => e !== '')) {
    if (entry.startsWith('target_')) {
      targetLoss = num(entry.slice('target_'.length));
      continue;
    }
    if (entry.startsWith('seeds_')) {
      seeds = num(entry.slice('seeds_'.length));
      continue;
    }
    const [name, ...fields] = entry.split(':');
    const prefix = `compare.slots[${slots.length}]`;
    const optimizer: Record<string, unknown> = { name };
    const slot: Record<string, unknown> = { optimizer };
    for (const f of fields) {
      const cut = f.indexOf('_');
      const key = cut < 0 ? f : f.slice(0, cut);
      const value = cut < 0 ? '' : f.slice(cut + 1);
      if (key === 'c') slot.color = `#${value}`;
      else if (KEY_TO_FIELD.has(key)) optimizer[KEY_TO_FIELD.get(key)!] = num(value);
      else notices.push({ path: prefix, message: `unknown setting ${JSON.stringify(f.slice(0, 20))}, ignored` });
    }
    slots.push(slot);
  }
  const parsed = parseCompareConfig({
    slots,
    ...(targetLoss === undefined ? {} : { targetLoss }),
    ...(seeds === undefined ? {} : { seeds }),
  });
  return { compare: parsed.compare, notices: [...notices, ...parsed.notices] };
}
