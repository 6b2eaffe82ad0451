// The sweep in the URL hash, as the value of the reserved `sweep` key (urlHash.ts keeps it
// verbatim), readable like the rest of the link:
//   sweep=sgd,momentum,adam:lr_0.001_1_8:mom_0.5_0.9:ep_20:best:lines
// Parts, ':'-separated: the optimizers (','-separated), `lr_<min>_<max>_<count>`, the extra axis
// as `<its URL key>_<v1>_<v2>…` (mom, b2, wd: the keys of the optimizer field table), `ep_<epochs>`,
// the metric (`final` or `best`) and, for the line view, `lines`. Decoding builds a raw object and
// hands it to parseSweepConfig, so the link and the view's fields share one validator.
import { describeValue, type Notice } from '../config/schema';
import { hyperDef } from '../engine/optimizers/hypers';
import { parseSweepConfig, SWEEP_AXES, type SweepAxis, type SweepConfig } from './sweep';

export type SweepDisplay = 'heatmap' | 'lines';

const AXIS_BY_URL_KEY = new Map<string, SweepAxis>(SWEEP_AXES.map((k) => [hyperDef(k).urlKey, k]));

export function encodeSweep(s: SweepConfig, display: SweepDisplay = 'heatmap'): string {
  const parts = [s.optimizers.join(','), `lr_${s.lrMin}_${s.lrMax}_${s.lrCount}`];
  if (s.extra) parts.push([hyperDef(s.extra.key).urlKey, ...s.extra.values].join('_'));
  parts.push(`ep_${s.epochs}`, s.metric);
  if (display === 'lines') parts.push('lines');
  return parts.join(':');
}

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
