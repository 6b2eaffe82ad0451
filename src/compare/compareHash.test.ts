import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/defaults';
import { decodeCompare, encodeCompare } from './compareHash';
import { addSlot, defaultCompareConfig, removeSlot } from './compareSet';

describe('compare set in the URL', () => {
  it('writes a readable value and reads it back unchanged', () => {
    const c = defaultCompareConfig();
    const text = encodeCompare(c);
    expect(text).toBe(
      'sgd:lr_0.1,momentum:lr_0.03:mom_0.9,nesterov:lr_0.03:mom_0.9,adagrad:lr_0.1:eps_1e-8:acc0_0,' +
        'rmsprop:lr_0.01:rho_0.9:eps_1e-8,adam:lr_0.01:b1_0.9:b2_0.999:eps_1e-8,target_0.2',
    );
    expect(decodeCompare(text)).toEqual({ compare: c, notices: [] });
  });

  it('keeps non-default colours and AdamW decay through a round trip', () => {
    let c = removeSlot(defaultCompareConfig(), 0); // every colour is now off its positional default
    c = addSlot(c, { ...DEFAULT_CONFIG.optimizer, name: 'adamw', lr: 0.002, weightDecay: 0.05 });
    c = { ...c, targetLoss: 0.05 };
    const back = decodeCompare(encodeCompare(c));
    expect(back.notices).toEqual([]);
    expect(back.compare).toEqual(c);
  });

  it('reads a link written before Adagrad had c0 (acc0): the default 0, no notice', () => {
    const { compare, notices } = decodeCompare('sgd:lr_0.1,adagrad:lr_0.1:eps_1e-8,target_0.2');
    expect(notices).toEqual([]);
    expect(compare.slots[1].optimizer).toMatchObject({ name: 'adagrad', lr: 0.1, initialAccumulator: 0 });
    const tf = decodeCompare('sgd:lr_0.1,adagrad:lr_0.1:acc0_0.1,target_0.2');
    expect(tf.compare.slots[1].optimizer.initialAccumulator).toBe(0.1);
  });

  it('keeps the seed band (seeds_N) and names a bad seed count', () => {
    const c = { ...defaultCompareConfig(), seeds: 5 };
    const text = encodeCompare(c);
    expect(text.endsWith(',target_0.2,seeds_5')).toBe(true);
    expect(decodeCompare(text)).toEqual({ compare: c, notices: [] });
    for (const bad of ['0', '17', '2.5', 'many']) {
      const d = decodeCompare(`sgd:lr_0.1,adam:lr_0.01,seeds_${bad}`);
      expect(d.compare.seeds).toBe(1);
      expect(d.notices).toEqual([
        {
          path: 'compare.seeds',
          message: expect.stringMatching(/is not a whole number of seeds from 1 to 16; using 1$/),
        },
      ]);
    }
  });

  it('names bad and unknown parts of a hand-edited link', () => {
    const { compare, notices } = decodeCompare('sgd:lr_fast,adam:zz_1:lr_0.001,target_x');
    expect(notices.map((n) => n.path)).toEqual([
      'compare.slots[1]',
      'compare.targetLoss',
      'compare.slots[0].optimizer.lr',
    ]);
    expect(notices[0].message).toMatch(/unknown setting "zz_1"/);
    expect(compare.slots[1].optimizer).toMatchObject({ name: 'adam', lr: 0.001 });
  });
});
