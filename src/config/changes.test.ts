// The change list of a link (changes.ts): written from a run's changes, read back to the same
// configs at the same steps (the round trip a shared link makes), and every bad entry named.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../engine/defaults';
import type { TrainConfig } from '../engine/types';
import { type ConfigChange, decodeChanges, describeChange, encodeChanges } from './changes';
import { decodeHash, encodeHash } from './urlHash';

const start = defaultConfig();
const edit = (c: TrainConfig, f: (x: TrainConfig) => void): TrainConfig => {
  const n = structuredClone(c);
  f(n);
  return n;
};
const a = edit(start, (c) => {
  c.optimizer.lr = 0.03;
  c.optimizer.momentum = 0.95;
});
const b = edit(a, (c) => {
  c.reg.l2 = 0.0001;
  c.model.hidden[0].dropout = 0.25; // a layer option: the layer list travels as one value
});
const c3 = edit(b, (c) => {
  c.optimizer.name = 'adam';
  c.optimizer.lr = 1e-3;
});
const changes: ConfigChange[] = [
  { step: 120, config: a },
  { step: 300, config: b },
  { step: 301, config: c3 },
];

describe('a change list in a link', () => {
  it('writes only what changed, step:key:value in step order', () => {
    const text = encodeChanges(start, changes);
    expect(text.startsWith('120:lr:0.03,120:mom:0.95,300:l2:0.0001,300:hidden:8:tanh:d0.25|8:tanh,')).toBe(true);
    expect(text).toMatch(/301:opt:adam/);
    expect(encodeChanges(start, [])).toBe('');
  });

  it('round-trips through a whole link: the same start, the same configs at the same steps', () => {
    const hash = encodeHash(start, { chg: encodeChanges(start, changes) });
    const d = decodeHash(hash);
    expect(d.notices).toEqual([]);
    expect(d.config).toEqual(start);
    const back = decodeChanges(d.config, d.extras.chg ?? '');
    expect(back.notices).toEqual([]);
    expect(back.changes).toEqual(changes);
    expect(encodeChanges(start, back.changes)).toBe(encodeChanges(start, changes));
  });

  it('names each bad entry (its index, the field, why) and keeps the good ones', () => {
    const text = [
      '10:lr:0.02', // fine
      'ten:lr:0.1', // not step:key:value
      '20:wat:1', // unknown key
      '30:lr:-5', // out of range
      '5:lr:0.2', // out of order
      '40:hidden:16:tanh|8:tanh', // rebuilds the network
      '50:mom:0.5', // fine
    ].join(',');
    const { changes: got, notices } = decodeChanges(start, text);
    expect(got.map((c) => [c.step, c.config.optimizer.lr, c.config.optimizer.momentum])).toEqual([
      [10, 0.02, start.optimizer.momentum],
      [50, 0.02, 0.5],
    ]);
    expect(notices.map((n) => n.path)).toEqual(['chg[1]', 'chg[2]', 'chg[3].optimizer.lr', 'chg[4].step', 'chg[5]']);
    expect(notices[1].message).toMatch(/unknown setting "wat"/);
    expect(notices[2].message).toMatch(/^-5 is below the minimum/);
    expect(notices[3].message).toMatch(/in order/);
    expect(notices[4].message).toMatch(/rebuilds the network/);
  });

  it('says what a change did in words', () => {
    expect(describeChange(start, a)).toMatch(
      new RegExp(`^Learning rate ${start.optimizer.lr} → 0\\.03, Momentum\\b.* ${start.optimizer.momentum} → 0\\.95$`),
    );
  });
});
