// Compare mode is only fair if the runs differ in nothing but their optimizer settings: same
// data, same initial weights, same minibatch order, same dropout masks. Checked on the worker's
// own API object (the one trainer.worker.ts exposes) over the CPU engine.
import { describe, expect, it } from 'vitest';
import { lossesOf, serviceWithLog } from '../../workers/testDoubles';
import { defaultConfig } from '../engine/defaults';
import { OPTIMIZER_NAMES, optimizerDefaults } from '../engine/optimizers/registry';
import type { TrainConfig } from '../engine/types';
import { decodeCompare, encodeCompare } from './compareHash';
import { addSlot, defaultCompareConfig, MAX_SLOTS, slotConfig } from './compareSet';

/** A small net with dropout and shuffling on, so masks and batch order both matter. */
function base(): TrainConfig {
  const c = defaultConfig();
  c.data.name = 'moons';
  c.data.samples = 160;
  c.data.shuffle = true;
  c.model.hidden = [
    { units: 8, activation: 'relu', dropout: 0.25, batchNorm: false },
    { units: 8, activation: 'tanh', dropout: 0, batchNorm: false },
  ];
  return c;
}

/** Per-step losses of every run after `steps` steps of a compare set (one config per run). */
async function race(configs: TrainConfig[], steps: number): Promise<number[][]> {
  const { svc, updates } = serviceWithLog();
  const r = await svc.create(configs);
  if (!r.ok) throw new Error(r.message);
  await svc.step(steps);
  return configs.map((_, i) => lossesOf(updates, i));
}

describe('compare mode determinism', () => {
  const slots = defaultCompareConfig().slots; // sgd, momentum, nesterov, adagrad, rmsprop, adam
  const adam = slots[5];
  const STEPS = 120; // 120 steps of batch 16 over 112 training points: several reshuffled epochs

  it('two slots with the same optimizer produce identical curves, a third differs', async () => {
    const cfgs = [slotConfig(base(), adam), slotConfig(base(), adam), slotConfig(base(), slots[0])];
    const [a, b, sgd] = await race(cfgs, STEPS);
    expect(a.length).toBe(STEPS);
    expect(b).toEqual(a);
    // Same start: the first loss (before any update) is shared; then the optimizers part ways.
    expect(sgd[0]).toBe(a[0]);
    expect(sgd.slice(10)).not.toEqual(a.slice(10));
  });

  it('the same optimizer alone and inside a six-way race gives the same losses', async () => {
    const [alone] = await race([slotConfig(base(), adam)], STEPS);
    const six = await race(
      slots.map((s) => slotConfig(base(), s)),
      STEPS,
    );
    expect(alone.length).toBe(STEPS);
    expect(six[5]).toEqual(alone);
    // Every racer starts from the same weights on the same first minibatch.
    for (const curve of six) expect(curve[0]).toBe(alone[0]);
  });

  it('every registered optimizer races in one set, through a link, each exactly as it runs alone', async () => {
    let c = defaultCompareConfig();
    for (const name of OPTIMIZER_NAMES)
      if (!c.slots.some((s) => s.optimizer.name === name)) c = addSlot(c, { ...optimizerDefaults(name), name });
    expect(c.slots.length).toBeLessThanOrEqual(MAX_SLOTS);
    const { compare, notices } = decodeCompare(encodeCompare(c)); // the URL keeps every racer
    expect(notices).toEqual([]);
    expect(compare.slots).toEqual(c.slots);
    const steps = 30;
    const all = await race(
      compare.slots.map((s) => slotConfig(base(), s)),
      steps,
    );
    expect(new Set(compare.slots.map((s) => s.optimizer.name))).toEqual(new Set(OPTIMIZER_NAMES));
    expect(new Set(compare.slots.map((s) => s.color)).size).toBe(compare.slots.length);
    for (const [i, s] of compare.slots.entries()) {
      const [alone] = await race([slotConfig(base(), s)], steps);
      expect(all[i], s.optimizer.name).toEqual(alone);
      expect(alone.length).toBe(steps);
    }
  });
});
