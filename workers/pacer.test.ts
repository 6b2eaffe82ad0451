// The pacer's first turn on a new network or backend takes one step (its cost is unknown), so Play
// shows a step after one step's time on any network; afterwards the turns fill a slice.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/engine';
import { Pacer, SLICE_MS } from './pacer';
import { serviceWithLog, waitFor } from './testDoubles';

describe('pacer', () => {
  it('takes one step while the cost of a step is unknown, then fills a slice; forget() starts over', () => {
    const p = new Pacer();
    expect(p.plan(0, 0).steps).toBe(1);
    p.observe(1, 0.5); // the first measurement is taken as it is, not averaged with a guess
    expect(p.msPerStep).toBe(0.5);
    expect(p.plan(1, 1).steps).toBe(Math.floor(SLICE_MS / 0.5));
    p.observe(1, 400); // a slow net: at most one step per turn
    expect(p.sliceSteps()).toBe(1);
    p.forget();
    expect(p.sliceSteps()).toBe(1);
    expect(Number.isNaN(p.msPerStep)).toBe(true);
  });

  it('Play sends the first step to the page at once, alone, before the next turns', async () => {
    const { svc, updates } = serviceWithLog();
    const c = defaultConfig();
    c.data.name = 'xor';
    const r = await svc.create([c]);
    if (!r.ok) throw new Error(r.message);
    await svc.start();
    await waitFor(() => updates.some((u) => u.metrics.length > 0));
    await svc.pause();
    const first = updates.find((u) => u.metrics.length > 0)!;
    expect(Array.from(first.metrics[0].step)).toEqual([0]);
  });
});
