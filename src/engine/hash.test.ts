import { describe, expect, it } from 'vitest';
import { hashU32, hashUniform, lowbias32 } from './hash';

describe('counter-based hash', () => {
  it('lowbias32 matches known values of the reference C implementation', () => {
    // Golden values printed by the C reference (uint32_t arithmetic), so the JS and WGSL ports can be checked.
    expect(lowbias32(0)).toBe(0);
    expect(lowbias32(1)).toBe(1753845952);
    expect(lowbias32(123456789)).toBe(2834422664);
    expect(lowbias32(0xffffffff)).toBe(1734902346);
  });
  it('is a pure function of its coordinates and spreads uniformly', () => {
    expect(hashU32(1, 2, 3, 4, 5)).toBe(hashU32(1, 2, 3, 4, 5));
    expect(hashU32(1, 2, 3, 4, 5)).not.toBe(hashU32(1, 2, 3, 4, 6));
    let sum = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) sum += hashUniform(7, 0, 1, i, 3);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
  });
});
