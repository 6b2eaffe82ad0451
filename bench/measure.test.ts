// timeChunks on a simulated clock: a trainer whose every unit takes 0.02 ms and whose epoch end
// (every S = 2,048 units) adds a 25 ms evaluation. Its steps/s must be the steps' own rate
// (50 units per ms), whatever the budget: the chunks that hold an epoch end are left out, so some
// chunks must fall between two epoch ends.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { timeChunks } from './measure';

const UNIT_MS = 0.02;
const EVAL_MS = 25;
const S = 2048;

/** The trainer, and the size of every chunk it was asked for with whether it held an epoch end. */
function simulatedTrainer() {
  let now = 0;
  let done = 0;
  const asked: { k: number; mixed: boolean }[] = [];
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  const chunk = async (k: number) => {
    const epochsBefore = Math.floor(done / S);
    done += k;
    const epochs = Math.floor(done / S) - epochsBefore;
    now += k * UNIT_MS + epochs * EVAL_MS;
    asked.push({ k, mixed: epochs > 0 });
    return epochs > 0;
  };
  return { chunk, asked };
}

describe('timeChunks', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const budget of [800, 2500, 10_000])
    it(`rates a trainer's steps without its evaluations at a ${budget} ms budget, chunks capped at half an epoch`, async () => {
      const { chunk, asked } = simulatedTrainer();
      const t = await timeChunks(chunk, budget, 3, S / 2);
      expect(t.bestRate).toBeCloseTo(1 / UNIT_MS, 6);
      expect(Math.max(...asked.map((a) => a.k))).toBeLessThanOrEqual(S / 2);
      // most of the window is in chunks long enough to be trusted and free of an epoch end
      const clean = asked.filter((a) => !a.mixed && a.k * UNIT_MS >= 10).length;
      expect(clean).toBeGreaterThan(asked.length / 3);
      // the mean keeps the evaluations in
      expect(t.units / t.ms).toBeLessThan(0.8 / UNIT_MS);
    });
});
