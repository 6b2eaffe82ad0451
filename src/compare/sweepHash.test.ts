// The sweep in the link: what is written reads back as the same sweep (and display), and every
// bad part of a hand-edited link is named by its field and replaced, never silently dropped.
import { describe, expect, it } from 'vitest';
import { defaultSweepConfig, encodeSweep, MAX_SWEEP_RUNS, type SweepConfig, sweepCells } from './sweep';
import { decodeSweep, parseSweepConfig } from './sweepHash';

const paths = (text: string) => decodeSweep(text).notices.map((n) => n.path);
const message = (text: string, path: string) => decodeSweep(text).notices.find((n) => n.path === path)?.message ?? '';

describe('sweep link', () => {
  it('round-trips the default, an extra axis, best-of-epochs and the line view', () => {
    const def = defaultSweepConfig();
    expect(encodeSweep(def)).toBe('sgd,momentum,adam:lr_0.001_1_8:ep_20:final');
    expect(decodeSweep(encodeSweep(def))).toEqual({ sweep: def, display: 'heatmap', notices: [] });
    const s: SweepConfig = {
      optimizers: ['momentum', 'nesterov', 'adamw'],
      lrMin: 3e-5,
      lrMax: 2.5,
      lrCount: 16,
      extra: { key: 'momentum', values: [0, 0.5, 0.99] },
      metric: 'best',
      epochs: 7,
    };
    const text = encodeSweep(s, 'lines');
    expect(text).toBe('momentum,nesterov,adamw:lr_0.00003_2.5_16:mom_0_0.5_0.99:ep_7:best:lines');
    expect(decodeSweep(text)).toEqual({ sweep: s, display: 'lines', notices: [] });
    for (const key of ['beta2', 'weightDecay'] as const) {
      const t: SweepConfig = { ...s, optimizers: ['adamw'], extra: { key, values: [0.9, 0.99] } };
      expect(decodeSweep(encodeSweep(t)).sweep).toEqual(t);
    }
  });

  it('names each bad part and keeps the rest', () => {
    const d = decodeSweep('sgd,foo,adam,sgd:lr_0.001_1_20:ep_0:worst:zz_1');
    expect(d.sweep.optimizers).toEqual(['sgd', 'adam']);
    expect(d.sweep.lrCount).toBe(8);
    expect(d.sweep.epochs).toBe(20);
    expect(d.notices.map((n) => n.path)).toEqual([
      'sweep',
      'sweep',
      'sweep.optimizers',
      'sweep.optimizers',
      'sweep.lrCount',
      'sweep.epochs',
    ]);
    expect(d.notices[0].message).toBe('unknown part "worst", ignored');
    expect(d.notices[1].message).toBe('unknown part "zz_1", ignored');
    expect(message('sgd,foo', 'sweep.optimizers')).toMatch(/^"foo" is not an optimizer \(one of sgd, .*\); left out$/);
    expect(message('sgd:lr_0.001_1_20', 'sweep.lrCount')).toBe(
      '20 is not a whole number of learning rates from 6 to 16; using 8',
    );
    expect(message('sgd:lr_0.001_1_8:ep_2.5', 'sweep.epochs')).toMatch(/^2\.5 is not a whole number of epochs/);
    expect(message('sgd:ep_20:worst', 'sweep')).toBe('unknown part "worst", ignored');
  });

  it('lr range: each end within the lr limits, min below max, three numbers', () => {
    expect(message('sgd:lr_0_1_8', 'sweep.lrMin')).toBe('0 is not a learning rate from 0.000001 to 10; using 0.001');
    expect(message('sgd:lr_1_0.1_8', 'sweep.lrMax')).toBe(
      'the largest lr (0.1) must be above the smallest (1); using 0.001 to 1',
    );
    expect(decodeSweep('sgd:lr_1_0.1_8').sweep).toMatchObject({ lrMin: 0.001, lrMax: 1 });
    expect(message('sgd:lr_x_1_8', 'sweep.lrMin')).toMatch(/^"x" is not a learning rate/);
    expect(paths('sgd:lr_0.1_1')).toEqual(['sweep.lr']);
  });

  it('extra axis: a known key, used by a chosen optimizer, 2 to 6 values within the limits', () => {
    expect(decodeSweep('sgd,momentum:lr_0.01_1_6:mom_0.9_0.5').sweep.extra).toEqual({
      key: 'momentum',
      values: [0.5, 0.9],
    });
    expect(message('sgd,adam:mom_0.5_0.9', 'sweep.extra')).toBe('none of sgd, adam uses momentum; no extra axis');
    const d = decodeSweep('momentum:mom_0.5_1.5_0.9');
    expect(d.sweep.extra).toEqual({ key: 'momentum', values: [0.5, 0.9] });
    expect(d.notices).toEqual([
      { path: 'sweep.extra.momentum[1]', message: '1.5 is not a momentum from 0 to 0.999; left out' },
    ]);
    expect(message('momentum:mom_0.5', 'sweep.extra.momentum')).toBe(
      '1 usable values; an extra axis takes 2 to 6; no extra axis',
    );
    expect(parseSweepConfig({ extra: { key: 'batchSize', values: [16, 32] } }).notices[0]).toEqual({
      path: 'sweep.extra',
      message: '"batchSize" is not a sweep axis (one of momentum, beta2, weightDecay); no extra axis',
    });
  });

  it('more runs than one backend trains together: refused whole, with the count', () => {
    const names = 'sgd,momentum,nesterov,adagrad,rmsprop,adam,adamw,lion,lamb';
    const text = `${names}:lr_0.001_1_16:wd_0_0.001_0.01_0.1_0.3_1`;
    const d = decodeSweep(text);
    expect(d.sweep).toEqual(defaultSweepConfig());
    const runs = 6 * 16 + 3 * 6 * 16; // the decoupled-decay rules (adamw, lion, lamb) x 6 values
    expect(runs).toBeGreaterThan(MAX_SWEEP_RUNS);
    expect(d.notices).toEqual([
      {
        path: 'sweep',
        message: `${runs} runs; at most ${MAX_SWEEP_RUNS} train together (fewer optimizers, lr values or extra values); using the default sweep`,
      },
    ]);
    expect(sweepCells(decodeSweep(`${names}:lr_0.001_1_16`).sweep)).toHaveLength(9 * 16);
  });
});
