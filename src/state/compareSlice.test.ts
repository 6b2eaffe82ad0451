import { beforeEach, describe, expect, it } from 'vitest';
import { encodeCompare } from '../compare/compareHash';
import { defaultCompareConfig } from '../compare/compareSet';
import { defaultConfig } from '../engine/defaults';
import {
  addCompareSlot,
  compareHashExtras,
  getCompare,
  loadCompareExtras,
  removeCompareSlot,
  runConfigs,
  setCompareState,
  setSeeds,
  setView,
  toggleRun,
} from './compareSlice';

describe('view and compare set state', () => {
  beforeEach(() => setCompareState({ view: 'train', compare: defaultCompareConfig(), hidden: [] }));

  it('sends one config in the playground and the arena, one per racer in compare mode', () => {
    const base = defaultConfig();
    expect(runConfigs(base)).toEqual([base]);
    setView('arena');
    expect(runConfigs(base)).toEqual([base]);
    setView('compare');
    const cfgs = runConfigs(base);
    expect(cfgs.map((c) => c.optimizer.name)).toEqual(['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']);
    for (const c of cfgs) expect({ ...c, optimizer: base.optimizer }).toEqual(base);
  });

  it('a seed band sends seeds x racers runs, seed-major, differing only in model.initSeed', () => {
    setView('compare');
    expect(setSeeds(3)).toBe('');
    expect(setSeeds(40)).toMatch(/from 1 to 16/);
    const base = defaultConfig();
    base.model.initSeed = 10;
    const cfgs = runConfigs(base);
    expect(cfgs).toHaveLength(18);
    expect(cfgs.map((c) => c.model.initSeed)).toEqual([
      ...Array(6).fill(10),
      ...Array(6).fill(11),
      ...Array(6).fill(12),
    ]);
    expect(cfgs[7].optimizer.name).toBe('momentum');
    for (const c of cfgs) expect({ ...c, optimizer: base.optimizer, model: base.model }).toEqual(base);
  });

  it('writes the link keys only outside the playground, and reads them back', () => {
    expect(compareHashExtras()).toEqual({});
    setView('arena');
    expect(compareHashExtras()).toEqual({ view: 'arena' });
    setView('compare');
    const e = compareHashExtras();
    expect(e).toEqual({ view: 'compare', compare: encodeCompare(defaultCompareConfig()) });
    setCompareState({ view: 'train' });
    expect(loadCompareExtras(e)).toEqual([]);
    expect(getCompare().view).toBe('compare');
  });

  it('names a bad view in a link and shows the playground', () => {
    setView('compare');
    const notices = loadCompareExtras({ view: 'race' });
    expect(notices).toEqual([
      { path: 'view', message: expect.stringMatching(/"race" is not one of train, compare, sweep, arena/) },
    ]);
    expect(getCompare().view).toBe('train');
  });

  it('keeps legend toggles aligned with the slots when slots are added and removed', () => {
    toggleRun(2);
    expect(getCompare().hidden).toEqual([false, false, true, false, false, false]);
    removeCompareSlot(0);
    expect(getCompare().hidden).toEqual([false, true, false, false, false]);
    addCompareSlot(defaultConfig().optimizer);
    expect(getCompare().hidden).toEqual([false, true, false, false, false, false]);
  });
});
