import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../engine/defaults';
import { OPTIMIZER_NAMES } from '../engine/types';
import { type CellResult, cellConfig, lrGrid, type SweepConfig, sweepCells } from './sweep';
import { bestCells, cellResult, sweepCsv, sweepLines } from './sweepResults';

const sweep = (over: Partial<SweepConfig> = {}): SweepConfig => ({
  optimizers: ['sgd', 'momentum', 'adam'],
  lrMin: 1e-3,
  lrMax: 1,
  lrCount: 8,
  extra: null,
  metric: 'final',
  epochs: 5,
  ...over,
});
const ok = (value: number): CellResult => ({ value, diverged: false });
const bad: CellResult = { value: Number.NaN, diverged: true };

describe('sweep grid', () => {
  it('log-spaced lr: ends exact, constant ratio between neighbours (to 3 digits)', () => {
    const g = lrGrid(1e-4, 1, 9);
    expect(g[0]).toBe(1e-4);
    expect(g[8]).toBe(1);
    expect(g[4]).toBe(0.01);
    for (let i = 1; i < g.length; i++) expect(g[i] / g[i - 1]).toBeCloseTo(10 ** 0.5, 2);
    expect(() => lrGrid(1, 0.1, 8)).toThrow(/sweep\.lr/);
  });

  it('cells are optimizer-major, then lr; the extra axis only for optimizers that use it', () => {
    const cells = sweepCells(sweep());
    expect(cells).toHaveLength(24);
    expect(cells.slice(7, 9).map((c) => c.optimizer)).toEqual(['sgd', 'momentum']);
    const withMom = sweepCells(sweep({ extra: { key: 'momentum', values: [0.5, 0.9] } }));
    // sgd and adam ignore momentum: 8 cells each; momentum: 2 x 8.
    expect(withMom).toHaveLength(32);
    expect(withMom.filter((c) => c.optimizer === 'momentum').map((c) => c.extra)).toEqual([
      ...Array(8).fill(0.5),
      ...Array(8).fill(0.9),
    ]);
    expect(withMom.filter((c) => c.optimizer === 'adam').every((c) => c.extra === null)).toBe(true);
  });

  it('a cell config differs from the base only in the optimizer section and its epochs', () => {
    const base = defaultConfig();
    const s = sweep({ extra: { key: 'beta2', values: [0.99, 0.999] } });
    const cell = sweepCells(s).find((c) => c.optimizer === 'adam' && c.extra === 0.99)!;
    const c = cellConfig(base, cell, s);
    expect(c.optimizer).toMatchObject({ name: 'adam', lr: cell.lr, beta2: 0.99 });
    expect(c.maxEpochs).toBe(s.epochs);
    expect({ ...c, optimizer: base.optimizer, maxEpochs: base.maxEpochs }).toEqual(base);
  });

  it('works for every optimizer in the registry', () => {
    const cells = sweepCells(sweep({ optimizers: [...OPTIMIZER_NAMES], lrCount: 6 }));
    expect(cells).toHaveLength(OPTIMIZER_NAMES.length * 6);
  });
});

describe('sweep aggregation', () => {
  it('final = last finite validation loss, best = its minimum; diverged has no value', () => {
    expect(cellResult([0.9, 0.4, 0.5], false, 'final')).toEqual(ok(0.5));
    expect(cellResult([0.9, 0.4, 0.5], false, 'best')).toEqual(ok(0.4));
    expect(cellResult([0.9, 0.3], true, 'best')).toEqual(bad);
    expect(Number.isNaN(cellResult([], false, 'final').value)).toBe(true);
  });

  it('best cell per optimizer: lowest value, diverged cells never win, ties go to the smaller lr', () => {
    const s = sweep({ lrCount: 6, optimizers: ['sgd', 'adam'] });
    const cells = sweepCells(s);
    const results = cells.map((c) => (c.optimizer === 'sgd' ? ok(1 / (1 + c.lr)) : ok(0.3)));
    results[5] = bad; // sgd's largest lr (the lowest value) diverged
    const best = bestCells(cells, results);
    expect(best.get('sgd')).toBe(4);
    expect(best.get('adam')).toBe(6);
    expect(
      bestCells(
        cells,
        cells.map(() => bad),
      ).size,
    ).toBe(0);
  });

  it('lines: value against lr per optimizer, NaN where a run diverged', () => {
    const s = sweep({ lrCount: 6, optimizers: ['sgd', 'adam'] });
    const cells = sweepCells(s);
    const results = cells.map((_, i) => (i === 2 ? bad : ok(i)));
    const lines = sweepLines(cells, results);
    expect(lines.map((l) => l.optimizer)).toEqual(['sgd', 'adam']);
    expect(lines[0].lrs).toEqual(lrGrid(1e-3, 1, 6));
    expect(lines[0].values.slice(0, 4)).toEqual([0, 1, Number.NaN, 3]);
    expect(lines[1].values).toEqual([6, 7, 8, 9, 10, 11]);
  });

  it('CSV: a header and one row per cell, empty value and diverged=1 for a diverged run', () => {
    const s = sweep({ lrCount: 6, optimizers: ['sgd'] });
    const cells = sweepCells(s);
    const csv = sweepCsv(
      s,
      cells,
      cells.map((_, i) => (i === 5 ? bad : ok(0.25))),
    ).split('\n');
    expect(csv[0]).toBe('optimizer,lr,extra,final_val_loss,diverged');
    expect(csv[1]).toBe('sgd,0.001,,0.25,0');
    expect(csv[6]).toBe('sgd,1,,,1');
    expect(csv).toHaveLength(8); // header, 6 rows, trailing newline
  });
});
