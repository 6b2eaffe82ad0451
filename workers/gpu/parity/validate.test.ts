import { describe, expect, it } from 'vitest';
import { validateResult } from './validate';

describe('validateResult', () => {
  it('accepts values within atol + rtol*|ref| and reports the worst ratio', () => {
    const v = validateResult('t', [1.0005, -2, 0], [1, -2.001, 1e-7], 1e-6, 1e-3);
    expect(v.ok).toBe(true);
    expect(v.worst).toBeGreaterThan(0.4);
    expect(v.worst).toBeLessThanOrEqual(1);
  });

  it('lists the first mismatches with index, both values and the tolerance', () => {
    const v = validateResult('matmul', [0, 1, 5, 3], [0, 1, 2, 3], 1e-6, 1e-5);
    expect(v.ok).toBe(false);
    expect(v.mismatches).toBe(1);
    expect(v.message).toContain('[2] got 5.000000 ref 2.000000');
  });

  it('treats a NaN (a poisoned, unwritten element) as a mismatch', () => {
    const v = validateResult('t', [Number.NaN, 1], [0.5, 1], 1, 1);
    expect(v.ok).toBe(false);
    expect(v.message).toContain('[0] got NaN');
  });

  it('counts missing values as mismatches', () => {
    expect(validateResult('t', [1], [1, 2], 0, 0).mismatches).toBe(1);
  });
});
