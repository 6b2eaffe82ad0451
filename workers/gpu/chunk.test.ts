import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/defaults';
import { TrainLoop } from '../../src/engine/loop';
import { cloneLoop, planChunk } from './chunk';

const loopOf = (patch: (c: ReturnType<typeof defaultConfig>) => void = () => {}, nTrain = 50) => {
  const c = defaultConfig();
  c.batchSize = 8;
  patch(c);
  return new TrainLoop(c, nTrain, 1234);
};

describe('planChunk', () => {
  it('takes the batches and learning rates the engine loop takes, and marks its epoch ends', () => {
    const plan = loopOf((c) => {
      c.schedule.kind = 'exponential';
      c.schedule.eta = 0.5;
    });
    const ref = cloneLoop(plan);
    const chunk = planChunk([plan], [true], 20, 8, 0, 100);
    expect(chunk.S).toBe(20);
    const ends: number[] = [];
    for (let s = 0; s < 20; s++) {
      expect(Array.from(chunk.rows[0].subarray(s * 8, (s + 1) * 8))).toEqual(Array.from(ref.nextBatch()));
      expect(chunk.lrs[s]).toBe(ref.nextLr());
      if (ref.afterStep()) ends.push(s);
    }
    expect(chunk.epochEnds[0]).toEqual(ends);
    expect(ends).toEqual([5, 11, 17]); // 50 samples, batch 8: 6 steps per epoch
    expect(chunk.evalSlots).toEqual(ends);
    expect(plan.state.step).toBe(20);
  });

  it('stops at an epoch end that decides the future (reduce-on-plateau)', () => {
    const plan = loopOf((c) => {
      c.schedule.kind = 'plateau';
    });
    const chunk = planChunk([plan], [true], 20, 8, 0, 100);
    expect(chunk.S).toBe(6);
    expect(chunk.decision).toBe(true);
  });

  it('keeps inactive runs out and leaves room for the evaluation entries', () => {
    const a = loopOf();
    const b = loopOf();
    const chunk = planChunk([a, b], [true, false], 20, 8, 30, 70);
    // two epoch ends use 60 of the 70 entries: the chunk stops right after the second one, since
    // the next step could end an epoch whose evaluation would not fit
    expect(chunk.S).toBe(12);
    expect(chunk.epochEnds[0]).toEqual([5, 11]);
    expect(chunk.activeSlots).toEqual([12, 0]);
    expect(b.state.step).toBe(0);
  });
});
