// The schedule preview: before training it is the schedule from step 0 (learningRateAt at the
// fixed batch size); after a live batch-size change it continues from the run's clock.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../engine/defaults';
import { TrainLoop } from '../../engine/loop';
import { learningRateAt } from '../../engine/schedules';
import type { TrainConfig } from '../../engine/types';
import { previewCurve } from './schedulePreview';

function config(batchSize: number): TrainConfig {
  const c = defaultConfig(); // 400 samples, 30% validation: 280 training samples
  c.batchSize = batchSize;
  c.maxEpochs = 10;
  c.optimizer.lr = 0.1;
  c.schedule = { ...c.schedule, kind: 'step', every: 2, factor: 0.5 };
  return c;
}

describe('previewCurve', () => {
  it('before training: the schedule over maxEpochs from step 0', () => {
    const c = previewCurve(config(16), 0, 0);
    expect(c.spe).toBe(17);
    expect(c.total).toBe(170);
    expect(c.endEpoch).toBe(10);
    for (let i = 0; i < c.steps.length; i++)
      expect(c.lr[i]).toBe(learningRateAt(config(16).schedule, 0.1, c.steps[i], 17));
  });

  it('after a live change from batch 16 to 64 at step 53: from the run’s lr on, to epoch 10 at 4 steps an epoch', () => {
    const loop = new TrainLoop(config(16), 280, 1);
    for (let i = 0; i < 53; i++) if (loop.afterStep()) loop.endEpoch(1);
    loop.setConfig(config(64));
    const c = previewCurve(config(64), loop.state.step, loop.epochProgress);
    expect(c.steps[0]).toBe(53);
    expect(c.lr[0]).toBe(loop.nextLr()); // 0.05: one halving after 2 epochs (the jump gave 1.56e-3)
    expect(c.lr[0]).toBe(0.05);
    expect(c.total).toBe(53 + Math.round((10 - 53 / 17) * 4));
    expect(c.endEpoch).toBeCloseTo(10, 0);
    expect(c.lr.at(-1)).toBe(0.1 * 0.5 ** 4); // epoch 9.x: four halvings
  });
});
