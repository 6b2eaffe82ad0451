// The benchmark's bookkeeping: rounds interleaved, medians with min-max, ratios paired by round,
// and a target met only when its worst round meets it.
import { describe, expect, it } from 'vitest';
import { planTasks } from './plan';
import { roundRatio, stat, target } from './report';
import { IMPLS } from './tasks';

describe('planTasks', () => {
  it('runs every task once per round, the implementations in a different order each round', () => {
    const { tasks, rounds, filtered } = planTasks(['--workload=a-sgd', '--kind=train']);
    expect(rounds).toBe(3);
    expect(filtered).toBe(true);
    const orders = [0, 1, 2].map((r) => tasks.filter((t) => t.round === r).map((t) => t.impl));
    for (const o of orders) expect([...o].sort()).toEqual([...IMPLS].sort());
    // no implementation starts every round, and the sequences differ round to round
    expect(new Set(orders.map((o) => o[0])).size).toBe(3);
    expect(new Set(orders.map((o) => o.join())).size).toBe(3);
  });

  it('reverses the order of the task groups on odd rounds and rejects bad flags', () => {
    const { tasks } = planTasks(['--impl=descent-cpu', '--rounds=2']);
    const kinds = (r: number) =>
      tasks.filter((t) => t.round === r).map((t) => (t.kind === 'matmul' ? 'mm' : t.workload.id));
    expect(kinds(1)).toEqual([...kinds(0)].reverse());
    expect(() => planTasks(['--rounds=0'])).toThrow(/--rounds/);
    expect(() => planTasks(['--impl=numpy'])).toThrow(/numpy/);
  });
});

describe('stat and roundRatio', () => {
  it('gives the median and min-max of the finite values', () => {
    expect(stat([3, 1, null, 2])).toMatchObject({ median: 2, min: 1, max: 3 });
    expect(stat([4, 1])).toMatchObject({ median: 2.5 });
    expect(stat([undefined, Number.NaN])).toBeNull();
  });

  it('pairs the two sides by round, skipping rounds where either is missing', () => {
    const r = roundRatio([10, 20, undefined, 40], [5, 4, 2, undefined]);
    expect(r?.values).toEqual([2, 5, null, null]);
    expect(r).toMatchObject({ median: 3.5, min: 2, max: 5 });
  });
});

describe('target', () => {
  it('is met only when the worst round meets a lower bound', () => {
    expect(target('t', stat([2, 3, 1.4]), 'min', 1.5).met).toBe(false);
    expect(target('t', stat([2, 3, 1.4]), 'min', 1.5).verdict).toMatch(/some rounds met it/);
    expect(target('t', stat([2, 3, 1.6]), 'min', 1.5).met).toBe(true);
  });

  it('is met only when the worst round meets an upper bound', () => {
    expect(target('t', stat([1.5, 2.6, 2]), 'max', 2.5).met).toBe(false);
    expect(target('t', stat([1.5, 2.4, 2]), 'max', 2.5).met).toBe(true);
  });

  it('says why it was not measured', () => {
    const t = target('t', null, 'min', 1, 'jax-wasm failed');
    expect(t.met).toBeNull();
    expect(t.verdict).toBe('not measured: jax-wasm failed');
  });
});
