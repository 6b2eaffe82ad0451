// Trajectories end to end on the worker's own API object over the CPU engine: the snapshots it
// keeps, the shared PCA plane of a two-run race, and the loss surface filled in slices while
// training keeps running.
import { describe, expect, it } from 'vitest';
import { serviceWithLog } from '../../workers/testDoubles';
import { defaultConfig } from '../engine/defaults';
import { Run } from '../engine/trainer';
import type { TrainConfig } from '../engine/types';
import { defaultCompareConfig, slotConfig } from './compareSet';
import { planePoint } from './plane';
import { cellCenter } from './surface';
import { fillSurface, projectRuns, type TrajectorySource, WaitingForSnapshots } from './trajectory';

function base(): TrainConfig {
  const c = defaultConfig();
  c.data.name = 'xor';
  c.data.samples = 160;
  return c;
}

const OPTS = { mode: 'pca' as const, res: 7, slice: 8, blocks: [], seed: 1, split: 'train' as const };

describe('weight-space trajectories from the trainer', () => {
  it('projects two racers on one PCA plane and fills the surface in slices with the true loss', async () => {
    const { svc } = serviceWithLog();
    const slots = defaultCompareConfig().slots;
    const cfgs = [slotConfig(base(), slots[5]), slotConfig(base(), slots[0])]; // Adam, SGD
    const r = await svc.create(cfgs);
    if (!r.ok) throw new Error(r.message);
    await svc.step(120);

    const calls: number[] = [];
    const src: TrajectorySource = {
      getSnapshots: (run) => svc.getSnapshots(run),
      lossAt: (thetas, k, split) => {
        calls.push(k);
        return svc.lossAt(thetas, k, split);
      },
    };
    const tr = await projectRuns(src, { ...OPTS, runs: [0, 1] });
    expect(tr.paths.map((p) => p.run)).toEqual([0, 1]);
    for (const p of tr.paths) {
      expect(p.steps[0]).toBe(0);
      expect(p.steps[p.steps.length - 1]).toBe(120); // the path reaches the current weights
      expect(p.coords.length).toBe(2 * p.steps.length);
    }
    // Both racers start from the same weights, so their first points coincide on the plane.
    expect(tr.paths[1].coords[0]).toBeCloseTo(tr.paths[0].coords[0], 4);
    expect(tr.paths[1].coords[1]).toBeCloseTo(tr.paths[0].coords[1], 4);
    // The anchor's current weights are the origin.
    const a = tr.paths[0].coords;
    expect(Math.hypot(a[a.length - 2], a[a.length - 1])).toBeLessThan(1e-4);
    expect(tr.plane.explained[0] + tr.plane.explained[1]).toBeGreaterThan(0.5);

    const done = await fillSurface(src, tr.surface, OPTS);
    expect(done).toBe(true);
    expect(calls.every((k) => k <= OPTS.slice)).toBe(true);
    expect(calls.reduce((s, k) => s + k, 0)).toBe(49);
    // Each cell holds the engine's training loss at that point of the plane.
    const ref = new Run(cfgs[0]);
    for (const [i, j] of [
      [0, 0],
      [3, 3],
      [6, 2],
    ]) {
      const [u, v] = cellCenter(tr.surface.extent, 7, i, j);
      const want = ref.evaluate('train', planePoint(tr.plane, u, v)).loss;
      expect(tr.surface.values[j * 7 + i]).toBeCloseTo(want, 4);
    }
  });

  it('keeps training while the surface is evaluated', async () => {
    const { svc } = serviceWithLog();
    const r = await svc.create([base()]);
    if (!r.ok) throw new Error(r.message);
    await svc.step(30);
    await svc.start();
    const tr = await projectRuns(svc, { ...OPTS, runs: [0], res: 12, slice: 4 });
    const before = (await svc.getStatus()).runs[0].step;
    await fillSurface(svc, tr.surface, { slice: 4, split: 'train' });
    const after = (await svc.getStatus()).runs[0].step;
    await svc.pause();
    expect(tr.surface.done).toBe(true);
    expect(after).toBeGreaterThan(before);
  });

  it('waits (not fails) until training has left snapshots to project', async () => {
    const empty: TrajectorySource = { getSnapshots: async () => null, lossAt: async () => null };
    await expect(projectRuns(empty, { ...OPTS, runs: [0] })).rejects.toBeInstanceOf(WaitingForSnapshots);
    // Right after start: the worker holds only the initial weights (or the race's six identical
    // starts), so a PCA plane does not exist yet; that is the waiting state too.
    const { svc } = serviceWithLog();
    const slots = defaultCompareConfig().slots;
    const r = await svc.create([slotConfig(base(), slots[0]), slotConfig(base(), slots[5])]);
    if (!r.ok) throw new Error(r.message);
    const early = projectRuns(svc, { ...OPTS, runs: [0, 1] });
    await expect(early).rejects.toBeInstanceOf(WaitingForSnapshots);
    await expect(early).rejects.toMatchObject({ have: 2 });
    // Random directions need no path: one point is a picture.
    const blocks = r.value.layers.map((l) => ({ offset: l.wOffset, rows: l.units, cols: l.inputs }));
    const rnd = await projectRuns(svc, { ...OPTS, mode: 'random', runs: [0], blocks });
    expect(rnd.paths[0].coords.length).toBe(2);
    await svc.step(3);
    const tr = await projectRuns(svc, { ...OPTS, runs: [0, 1] });
    expect(tr.paths.map((p) => p.steps.length).every((n) => n >= 2)).toBe(true);
  });
});
