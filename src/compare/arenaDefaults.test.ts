import { describe, expect, it } from 'vitest';
import { runArena } from '../engine/arena';
import { makeTestFunction, TEST_FUNCTION_NAMES } from '../engine/data/testFunctions';
import { defaultArenaSlots, retuneSlots } from './arenaDefaults';

describe('arena default racers', () => {
  for (const name of TEST_FUNCTION_NAMES) {
    it(`all six make progress on ${name} from its first start point`, () => {
      const fn = makeTestFunction(name, { kappa: 20 });
      const start = fn.starts[0];
      const f0 = fn.f(start[0], start[1]);
      for (const slot of defaultArenaSlots(name)) {
        const path = runArena(fn, slot.optimizer, start, 300);
        const fEnd = path.f[path.f.length - 1];
        const label = `${slot.optimizer.name} lr=${slot.optimizer.lr}`;
        // The saddle has no minimum: escaping downhill (to -infinity) is the right behaviour there.
        if (name === 'saddle') {
          expect(fEnd, label).toBeLessThan(f0 - 1);
          continue;
        }
        expect(path.diverged, label).toBe(false);
        expect(fEnd, label).toBeLessThan(f0);
      }
    });
  }

  it('retuning for another function changes only the learning rates', () => {
    const slots = defaultArenaSlots('quadratic').map((s) => ({ ...s, optimizer: { ...s.optimizer, momentum: 0.7 } }));
    const tuned = retuneSlots(slots, 'rosenbrock');
    tuned.forEach((t, i) => {
      expect(t.color).toBe(slots[i].color);
      expect({ ...t.optimizer, lr: 0 }).toEqual({ ...slots[i].optimizer, lr: 0 });
    });
    expect(tuned[0].optimizer.lr).toBe(1e-3);
  });
});
