import { beforeEach, describe, expect, it } from 'vitest';
import { encodeCompare } from '../compare/compareHash';
import { defaultCompareConfig } from '../compare/compareSet';
import { defaultConfig } from '../engine/defaults';
import {
  addCompareSlot,
  compareHashExtras,
  loadCompareExtras,
  removeCompareSlot,
  runConfigs,
  setView,
  toggleRun,
  useCompare,
} from './compareSlice';

describe('view and compare set state', () => {
  beforeEach(() => useCompare.setState({ view: 'train', compare: defaultCompareConfig(), hidden: [] }));

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

  it('writes the link keys only outside the playground, and reads them back', () => {
    expect(compareHashExtras()).toEqual({});
    setView('arena');
    expect(compareHashExtras()).toEqual({ view: 'arena' });
    setView('compare');
    const e = compareHashExtras();
    expect(e).toEqual({ view: 'compare', compare: encodeCompare(defaultCompareConfig()) });
    useCompare.setState({ view: 'train' });
    expect(loadCompareExtras(e)).toEqual([]);
    expect(useCompare.getState().view).toBe('compare');
  });

  it('names a bad view in a link and shows the playground', () => {
    setView('compare');
    const notices = loadCompareExtras({ view: 'race' });
    expect(notices).toEqual([
      { path: 'view', message: expect.stringMatching(/"race" is not one of train, compare, arena/) },
    ]);
    expect(useCompare.getState().view).toBe('train');
  });

  it('keeps legend toggles aligned with the slots when slots are added and removed', () => {
    toggleRun(2);
    expect(useCompare.getState().hidden).toEqual([false, false, true, false, false, false]);
    removeCompareSlot(0);
    expect(useCompare.getState().hidden).toEqual([false, true, false, false, false]);
    addCompareSlot(defaultConfig().optimizer);
    expect(useCompare.getState().hidden).toEqual([false, true, false, false, false, false]);
  });
});
