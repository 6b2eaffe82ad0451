import { describe, expect, it } from 'vitest';
import { type EarlyStopState, earlyStopUpdate, initialEarlyStop } from './earlyStopping';
import type { EarlyStopConfig } from './types';

const cfg: EarlyStopConfig = { enabled: true, patience: 2, minDelta: 0.01, restoreBest: true };

function feed(losses: number[], c: EarlyStopConfig = cfg) {
  let st: EarlyStopState = initialEarlyStop();
  return losses.map((l, i) => {
    const r = earlyStopUpdate(st, l, i + 1, c);
    st = r.state;
    return { ...r };
  });
}

describe('earlyStopUpdate', () => {
  it('tracks the best epoch and loss, and stops after `patience` epochs without improvement', () => {
    const r = feed([1.0, 0.8, 0.85, 0.79, 0.9]);
    // 0.79 is not better than 0.8 by more than minDelta = 0.01: epochs 3 and 4 fail, stop at 4.
    expect(r.map((x) => x.improved)).toEqual([true, true, false, false, false]);
    expect(r.map((x) => x.stop)).toEqual([false, false, false, true, true]);
    expect(r[3].state.bestEpoch).toBe(2);
    expect(r[3].state.bestLoss).toBe(0.8);
  });

  it('does not stop one epoch early, and an improvement resets the count', () => {
    const r = feed([1.0, 1.0, 0.5, 0.6, 0.6]);
    expect(r.map((x) => x.stop)).toEqual([false, false, false, false, true]);
    expect(r[4].state.bestEpoch).toBe(3);
  });

  it('never stops when disabled but still tracks the best epoch', () => {
    const r = feed([1, 2, 3, 4, 5, 6], { ...cfg, enabled: false });
    expect(r.some((x) => x.stop)).toBe(false);
    expect(r[5].state.bestEpoch).toBe(1);
  });

  it('treats a non-finite loss as no improvement', () => {
    const r = feed([1, Number.NaN, Number.POSITIVE_INFINITY]);
    expect(r.map((x) => x.improved)).toEqual([true, false, false]);
    expect(r[2].stop).toBe(true);
  });

  it('rejects bad config fields by name', () => {
    expect(() => earlyStopUpdate(initialEarlyStop(), 1, 1, { ...cfg, patience: 0 })).toThrow(/earlyStop\.patience/);
    expect(() => earlyStopUpdate(initialEarlyStop(), 1, 1, { ...cfg, minDelta: -1 })).toThrow(/earlyStop\.minDelta/);
  });
});
