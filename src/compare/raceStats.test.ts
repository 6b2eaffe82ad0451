import { describe, expect, it } from 'vitest';
import { bestOf, firstStepAtOrBelow, leaders } from './raceStats';

describe('race table numbers', () => {
  it('finds the first epoch at or below the target loss, and its step', () => {
    const loss = [0.9, 0.5, 0.31, 0.3, 0.2, 0.35];
    const steps = [18, 36, 54, 72, 90, 108];
    expect(firstStepAtOrBelow(loss, steps, 0.3)).toBe(72);
    expect(firstStepAtOrBelow(loss, steps, 0.1)).toBe(-1);
    expect(firstStepAtOrBelow([Number.NaN, 0.2], [1, 2], 0.3)).toBe(2); // a NaN never counts as reached
  });

  it('takes the best accuracy over finite values only', () => {
    expect(bestOf([0.5, Number.NaN, 0.8, 0.7])).toBe(0.8);
    expect(bestOf([Number.NaN])).toBeNaN();
  });

  it('picks the leaders of a column, all of them on a tie, ignoring runs without a value', () => {
    expect(leaders([0.4, Number.NaN, 0.2, 0.3], 'min')).toEqual(new Set([2]));
    expect(leaders([0.4, Number.NaN, 0.2, 0.9], 'max')).toEqual(new Set([3]));
    expect(leaders([1, 0.5, 1], 'max')).toEqual(new Set([0, 2]));
    expect(leaders([Number.NaN], 'max').size).toBe(0);
  });
});
