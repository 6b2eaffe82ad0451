// The learning-rate range test through the worker's API (TrainerService over the CPU backend):
// it reads a copy of the run's state, so the run's next steps are the ones of a twin service that
// never ran it (weights, momentum, batch-norm statistics, cosine schedule position all intact).
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/engine';
import type { TrainConfig } from '../src/engine/types';
import { lossesOf, serviceWithLog } from './testDoubles';

const cfg = (): TrainConfig => {
  const c = defaultConfig();
  c.model.hidden = [{ units: 8, activation: 'relu', dropout: 0, batchNorm: true }];
  c.optimizer = { ...c.optimizer, name: 'momentum', lr: 0.05 };
  c.schedule = { ...c.schedule, kind: 'cosine', totalSteps: 200, minLr: 0.001 };
  return c;
};

describe('TrainerService.lrRangeTest', () => {
  it('returns the curve and a suggestion, and the run continues exactly as its twin', async () => {
    const a = serviceWithLog();
    const b = serviceWithLog();
    for (const s of [a, b]) {
      const r = await s.svc.create([cfg()]);
      if (!r.ok) throw new Error(r.message);
      await s.svc.step(40);
    }
    const before = await a.svc.getParams(0);
    const r = await a.svc.lrRangeTest(0, { startLr: 1e-4, endLr: 10, steps: 120 });
    if (!r?.ok) throw new Error('range test failed');
    expect(r.value.lrs.length).toBe(r.value.smoothed.length);
    expect(r.value.steepest?.rule).toBe('steepest');
    expect(await a.svc.getParams(0)).toEqual(before);
    await a.svc.step(30);
    await b.svc.step(30);
    expect(lossesOf(a.updates)).toEqual(lossesOf(b.updates));
    expect(await a.svc.getParams(0)).toEqual(await b.svc.getParams(0));
    expect((await a.svc.getStatus()).runs[0].step).toBe(70);
  });

  it('rejects a bad option naming its field, and answers null without runs', async () => {
    const { svc } = serviceWithLog();
    expect(await svc.lrRangeTest(0)).toBeNull();
    await svc.create([cfg()]);
    const r = await svc.lrRangeTest(0, { steps: 1 });
    expect(r?.ok).toBe(false);
    if (r && !r.ok) expect(r.problems[0].field).toBe('rangeTest.steps');
  });
});
