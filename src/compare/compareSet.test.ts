import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/defaults';
import { SLOT_COLORS } from './colors';
import {
  addSlot,
  defaultCompareConfig,
  MAX_SLOTS,
  parseCompareConfig,
  removeSlot,
  slotConfig,
  slotLabels,
} from './compareSet';

describe('compare set', () => {
  it('defaults to the six classic optimizers, each with its own colour', () => {
    const c = defaultCompareConfig();
    expect(c.slots.map((s) => s.optimizer.name)).toEqual(['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']);
    expect(new Set(c.slots.map((s) => s.color)).size).toBe(6);
    expect(slotLabels(c.slots)).toEqual(['SGD', 'Momentum', 'Nesterov', 'Adagrad', 'RMSprop', 'Adam']);
  });

  it('labels same-optimizer slots by the hyperparameters that differ, and identical ones by number', () => {
    const c = defaultCompareConfig();
    const adam = c.slots[5].optimizer;
    let d = addSlot(c, { ...adam, lr: 0.001 });
    expect(slotLabels(d.slots).slice(5)).toEqual(['Adam lr=0.01', 'Adam lr=0.001']);
    d = addSlot(d, adam);
    expect(slotLabels(d.slots).slice(5)).toEqual(['Adam lr=0.01 #1', 'Adam lr=0.001', 'Adam lr=0.01 #2']);
    expect(d.slots[7].color).toBe(SLOT_COLORS[7]); // the next free colour
  });

  it('keeps between 2 and 12 slots', () => {
    let c = defaultCompareConfig();
    while (c.slots.length < MAX_SLOTS) c = addSlot(c, c.slots[0].optimizer);
    expect(c.slots.length).toBe(MAX_SLOTS);
    expect(() => addSlot(c, c.slots[0].optimizer)).toThrow(/at most 12/);
    let small = { ...c, slots: c.slots.slice(0, 2) };
    expect(() => removeSlot(small, 0)).toThrow(/at least 2/);
    small = removeSlot({ ...c, slots: c.slots.slice(0, 3) }, 1);
    expect(small.slots.map((s) => s.optimizer.name)).toEqual(['sgd', 'nesterov']);
  });

  it('builds each run config from the base config with only the optimizer replaced', () => {
    const c = defaultCompareConfig();
    const base = { ...structuredClone(DEFAULT_CONFIG), seed: 42 };
    const cfg = slotConfig(base, c.slots[5]);
    expect(cfg.optimizer).toEqual(c.slots[5].optimizer);
    expect({ ...cfg, optimizer: base.optimizer }).toEqual(base);
    cfg.optimizer.lr = 5;
    expect(c.slots[5].optimizer.lr).toBe(0.01); // no aliasing into the compare set
  });
});

describe('parseCompareConfig', () => {
  it('round-trips a valid set through JSON without notices', () => {
    const c = addSlot(defaultCompareConfig(), { ...DEFAULT_CONFIG.optimizer, name: 'adamw', lr: 0.003 });
    const { compare, notices } = parseCompareConfig(JSON.parse(JSON.stringify(c)));
    expect(notices).toEqual([]);
    expect(compare).toEqual(c);
  });

  it('replaces bad fields one by one and names each of them', () => {
    const raw = {
      targetLoss: -1,
      slots: [
        { color: 'red', optimizer: { name: 'adam', lr: 'fast' } },
        { color: '#123456', optimizer: { name: 'nadam', momentum: 0.5 } },
        7,
      ],
    };
    const { compare, notices } = parseCompareConfig(raw);
    const paths = notices.map((n) => n.path);
    expect(paths).toEqual([
      'compare.targetLoss',
      'compare.slots[0].optimizer.lr',
      'compare.slots[0].color',
      'compare.slots[1].optimizer.name',
      'compare.slots[2]',
    ]);
    expect(notices[1].message).toMatch(/"fast" is not a number/);
    expect(compare.slots[0].optimizer.name).toBe('adam');
    expect(compare.slots[0].color).toMatch(/^#[0-9a-f]{6}$/);
    expect(compare.slots[1].optimizer).toMatchObject({ name: 'momentum', momentum: 0.5 }); // slot 1's default name
    expect(compare.slots[1].color).toBe('#123456');
    expect(compare.slots.length).toBe(3);
    expect(compare.targetLoss).toBe(defaultCompareConfig().targetLoss);
  });

  it('gives a slot whose colour is already taken a free one (colours identify runs)', () => {
    const { compare, notices } = parseCompareConfig({
      slots: [
        { color: '#4E79A7', optimizer: { name: 'sgd' } },
        { color: '#4e79a7', optimizer: { name: 'adam' } },
      ],
    });
    expect(compare.slots[0].color).toBe('#4E79A7');
    expect(compare.slots[1].color).not.toBe('#4e79a7');
    expect(notices).toEqual([{ path: 'compare.slots[1].color', message: expect.stringMatching(/already used/) }]);
  });

  it('falls back to the default six for a list that is too short, and cuts one that is too long', () => {
    const one = parseCompareConfig({ slots: [{ optimizer: { name: 'sgd' } }] });
    expect(one.compare.slots.length).toBe(6);
    expect(one.notices[0].path).toBe('compare.slots');
    const many = parseCompareConfig({ slots: Array.from({ length: 14 }, () => ({ optimizer: { name: 'sgd' } })) });
    expect(many.compare.slots.length).toBe(12);
    expect(many.notices[0].message).toMatch(/keeping the first 12/);
    expect(new Set(many.compare.slots.map((s) => s.color)).size).toBe(12);
  });
});
