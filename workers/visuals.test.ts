// What the charts get besides the curves: boundary grids, histograms, snapshots, losses at
// given weights. Checked against the engine's own Run, computed independently here.
import { describe, expect, it } from 'vitest';
import { defaultConfig, Run } from '../src/engine';
import type { TrainConfig } from '../src/engine/types';
import { backendOps, serviceWithLog } from './testDoubles';
import { boundaryInputs, SnapshotStore } from './visuals';

const cfg = (): TrainConfig => {
  const c = defaultConfig();
  c.data.name = 'moons';
  c.data.samples = 200;
  c.data.preprocess = 'standardize'; // the grid is in raw coordinates: preprocessing must be applied once
  return c;
};

describe('visuals', () => {
  it('streams boundary grids, histograms and weights that match the engine', async () => {
    const { svc, updates } = serviceWithLog();
    await svc.create([cfg()]);
    await svc.setVisuals({ boundary: true, boundaryRes: 16, histograms: true, histogramBins: 10, weights: true });
    await svc.step(25);
    const v = updates[updates.length - 1].visuals!;
    const ref = new Run(cfg(), undefined, { ops: await backendOps() });
    ref.step(25);
    const g = v.boundaries[0];
    expect(g.res).toBe(16);
    expect(g.channels).toBe(2);
    const b = ref.dataset.bounds!;
    expect(g.bounds).toEqual([b.xMin, b.xMax, b.yMin, b.yMax]);
    expect(g.values).toEqual(ref.predict(boundaryInputs(ref.dataset, 16), 256));
    // Cell (i=3, j=5) is centred where the protocol says.
    const x = boundaryInputs(ref.dataset, 16);
    expect(x[(5 * 16 + 3) * 2]).toBeCloseTo(b.xMin + (3.5 * (b.xMax - b.xMin)) / 16, 5);
    expect(x[(5 * 16 + 3) * 2 + 1]).toBeCloseTo(b.yMin + (5.5 * (b.yMax - b.yMin)) / 16, 5);

    const theta = ref.getParams();
    expect(v.weights[0].theta).toEqual(theta);
    const h = v.histograms[0];
    ref.layout.layers.forEach((l, k) => {
      const w = theta.subarray(l.w, l.w + l.inDim * l.outDim);
      const counts = h.counts.subarray(k * 10, (k + 1) * 10);
      expect(counts.reduce((a, c) => a + c, 0)).toBe(w.length);
      expect(h.lo[k]).toBe(Math.min(...w));
      expect(h.hi[k]).toBe(Math.max(...w));
    });
  });

  it('keeps snapshots from step 0 to now, and evaluates losses at given weights', async () => {
    const { svc } = serviceWithLog();
    await svc.create([cfg()]);
    const init = (await svc.getParams(0))!;
    await svc.step(45);
    const snaps = (await svc.getSnapshots(0))!;
    const P = snaps.params;
    expect(snaps.steps[0]).toBe(0);
    expect(Array.from(snaps.steps)).toEqual([0, 10, 20, 30, 40, 45]);
    expect(snaps.thetas.subarray(0, P)).toEqual(init);
    const now = (await svc.getParams(0))!;
    expect(snaps.thetas.subarray((snaps.count - 1) * P)).toEqual(now);
    const both = new Float32Array(2 * P);
    both.set(init);
    both.set(now, P);
    const losses = (await svc.lossAt(both, 2, 'train'))!;
    const ref = new Run(cfg(), undefined, { ops: await backendOps() });
    expect(losses[0]).toBeCloseTo(ref.evaluate('train').loss, 6);
    ref.step(45);
    expect(losses[1]).toBeCloseTo(ref.evaluate('train').loss, 6);
    expect(losses[1]).toBeLessThan(losses[0]);
  });

  it('bounds the snapshot count by thinning and doubling the interval', () => {
    const s = new SnapshotStore(3, 10, 8);
    const t = new Float32Array(3);
    for (let step = 0; step <= 1000; step++) s.add(step, t);
    const e = s.export(0);
    expect(e.count).toBeLessThanOrEqual(8);
    expect(e.steps[0]).toBe(0);
    const gaps = Array.from(e.steps.subarray(1), (v, i) => v - e.steps[i]);
    expect(new Set(gaps).size).toBe(1); // evenly spaced
    expect(s.every).toBe(gaps[0]);
  });
});
