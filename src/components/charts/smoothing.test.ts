import { describe, expect, it } from 'vitest';
import { annealingEvents, debiasedEma } from './smoothing';

describe('debiased EMA', () => {
  it('starts at the first sample and follows the recurrence', () => {
    const w = 0.6;
    const ys = [2, 4, 1, 3];
    const s = debiasedEma(ys, w);
    expect(s[0]).toBeCloseTo(2, 12);
    // Direct weighted average: sum_j w^(k-j) (1-w) y_j / (1 - w^k).
    for (let k = 1; k <= ys.length; k++) {
      let num = 0;
      for (let j = 1; j <= k; j++) num += w ** (k - j) * (1 - w) * ys[j - 1];
      expect(s[k - 1]).toBeCloseTo(num / (1 - w ** k), 12);
    }
  });

  it('keeps a constant series constant and passes weight 0 through', () => {
    expect(Array.from(debiasedEma([5, 5, 5, 5], 0.9)).every((v) => Math.abs(v - 5) < 1e-12)).toBe(true);
    expect(Array.from(debiasedEma([1, 7, 3], 0))).toEqual([1, 7, 3]);
  });

  it('lets non-finite samples through without poisoning later values', () => {
    const s = debiasedEma([1, Number.NaN, 1, Number.POSITIVE_INFINITY, 1], 0.5);
    expect(Number.isNaN(s[1])).toBe(true);
    expect(s[3]).toBe(Number.POSITIVE_INFINITY);
    expect(s[4]).toBeCloseTo(1, 12);
  });
});

describe('annealing events', () => {
  it('marks abrupt drops once, not smooth decay', () => {
    expect(annealingEvents([1, 1, 0.5, 0.5, 0.25])).toEqual([2, 4]);
    expect(annealingEvents([1, 0.7, 0.5])).toEqual([1]); // one drop spread over two merged points
    const smooth = Array.from({ length: 100 }, (_, i) => 0.97 ** i);
    expect(annealingEvents(smooth)).toEqual([]);
  });
});
