// The sweep slice: the trainer gets one config per cell in the sweep view; the sweep and its
// display are in the link and read back; a bad edit is refused with its field and changes
// nothing; opening a cell gives the playground exactly that cell's config.
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultCompareConfig } from '../compare/compareSet';
import { cellConfig, defaultSweepConfig, sweepCells } from '../compare/sweep';
import { defaultConfig } from '../engine/defaults';
import { compareHashExtras, getCompare, loadCompareExtras, runConfigs, setCompareState } from './compareSlice';
import { useStore } from './store';
import { editSweep } from './sweepEdit';
import { getSweep, openCell, setSweepDisplay } from './sweepSlice';

describe('sweep slice', () => {
  beforeEach(() => {
    setCompareState({ view: 'sweep', compare: defaultCompareConfig(), hidden: [] });
    useStore.setState({ sweep: { config: defaultSweepConfig(), display: 'heatmap' }, config: defaultConfig() });
  });

  it('sends one config per cell in the sweep view, in cell order', () => {
    const base = defaultConfig();
    const cfgs = runConfigs(base);
    const cells = sweepCells(getSweep().config);
    expect(cfgs).toHaveLength(24);
    cfgs.forEach((c, i) => {
      expect(c.optimizer.name).toBe(cells[i].optimizer);
      expect(c.optimizer.lr).toBe(cells[i].lr);
      expect(c.maxEpochs).toBe(20);
    });
  });

  it('writes the sweep into the link in the sweep view only, and reads it back', async () => {
    expect(
      editSweep({ optimizers: ['momentum', 'adam'], extra: { key: 'momentum', values: [0.5, 0.9] }, metric: 'best' }),
    ).toBe('');
    setSweepDisplay('lines');
    const extras = compareHashExtras();
    expect(extras).toEqual({ view: 'sweep', sweep: 'momentum,adam:lr_0.001_1_8:mom_0.5_0.9:ep_20:best:lines' });
    const mine = getSweep();
    useStore.setState({ sweep: { config: defaultSweepConfig(), display: 'heatmap' } });
    setCompareState({ view: 'train' });
    expect(compareHashExtras()).toEqual({});
    let later: unknown = null;
    expect(loadCompareExtras(extras, (n) => (later = n))).toEqual([]);
    expect(getCompare().view).toBe('sweep');
    await expect.poll(() => later).toEqual([]);
    expect(getSweep()).toEqual(mine);
    expect(runConfigs(defaultConfig())).toHaveLength(8 + 2 * 8);
  });

  it('a bad link part is named; a bad edit is refused with its field and nothing changes', async () => {
    let notices: unknown = null;
    expect(loadCompareExtras({ view: 'sweep', sweep: 'sgd:lr_0.001_1_40:ep_20:final' }, (n) => (notices = n))).toEqual(
      [],
    );
    await expect
      .poll(() => notices)
      .toEqual([
        { path: 'sweep.lrCount', message: '40 is not a whole number of learning rates from 6 to 16; using 8' },
      ]);
    const before = getSweep().config;
    expect(editSweep({ lrCount: 17 })).toBe('sweep.lrCount: 17 is not a whole number of learning rates from 6 to 16');
    expect(editSweep({ lrMin: 2 })).toBe('sweep.lrMax: the largest lr (1) must be above the smallest (2)');
    expect(editSweep({ extra: { key: 'momentum', values: [0.9] } })).toBe('sweep.extra: none of sgd uses momentum');
    expect(getSweep().config).toBe(before);
  });

  it('opening a cell puts its config in the playground and leaves the sweep', () => {
    editSweep({ optimizers: ['sgd', 'momentum'], extra: { key: 'momentum', values: [0.5, 0.9] }, epochs: 7 });
    const base = useStore.getState().config;
    const s = getSweep().config;
    const i = 8 + 8 + 3; // momentum, mu = 0.9, the fourth lr
    const cell = sweepCells(s)[i];
    expect(cell).toMatchObject({ optimizer: 'momentum', extra: 0.9 });
    openCell(i);
    expect(getCompare().view).toBe('train');
    expect(useStore.getState().config).toEqual(cellConfig(base, cell, s));
    expect(useStore.getState().config).toMatchObject({
      maxEpochs: 7,
      optimizer: { name: 'momentum', momentum: 0.9, lr: cell.lr },
    });
  });
});
