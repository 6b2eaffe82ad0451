// A sweep trained together in one backend: every cell of a 3-optimizer x 8-lr grid (24 runs in
// one CPU backend) has exactly the validation losses, and so the heatmap value, of its config
// trained alone; a diverged cell is marked, never given a value.
import { describe, expect, it } from 'vitest';
import { cellConfig, type SweepConfig, sweepCells } from '../src/compare/sweep';
import { cellResult } from '../src/compare/sweepResults';
import { defaultConfig } from '../src/engine';
import type { TrainerUpdate } from './protocol';
import { serviceWithLog } from './testDoubles';

const valLosses = (updates: TrainerUpdate[], r: number): number[] =>
  updates.flatMap((u) => u.metrics.filter((m) => m.run === r).flatMap((m) => [...m.epochs.valLoss]));

describe('a sweep trained together', () => {
  it('3 x 8 cells: each equals its config trained alone', async () => {
    const base = defaultConfig();
    base.data.name = 'xor';
    base.data.samples = 200;
    base.maxEpochs = 3;
    const s: SweepConfig = {
      optimizers: ['sgd', 'momentum', 'adam'],
      lrMin: 1e-3,
      lrMax: 10,
      lrCount: 8,
      extra: null,
      metric: 'final',
      epochs: 3,
    };
    const cells = sweepCells(s);
    const cfgs = cells.map((c) => cellConfig(base, c, s));
    const { svc, updates } = serviceWithLog();
    const r = await svc.create(cfgs);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.runs).toBe(24);
    const st = await svc.step(200);
    const together = cells.map((_, i) => cellResult(valLosses(updates, i), st.runs[i].state === 'diverged', s.metric));
    // the grid reaches from too small to too large: some cells diverge, most have a value
    expect(together.some((c) => c.diverged)).toBe(true);
    expect(together.filter((c) => Number.isFinite(c.value)).length).toBeGreaterThan(12);
    for (const i of [0, 5, 9, 14, 17, 23]) {
      const alone = serviceWithLog();
      await alone.svc.create([cfgs[i]]);
      const a = await alone.svc.step(200);
      expect(cellResult(valLosses(alone.updates, 0), a.runs[0].state === 'diverged', s.metric)).toEqual(together[i]);
    }
  });
});
