import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './defaults';
import { TrainLoop } from './loop';
import { initialPlateau, learningRateAt, type PlateauState, plateauUpdate, scheduleCurve } from './schedules';
import type { ScheduleConfig, TrainConfig } from './types';

const base: ScheduleConfig = { ...DEFAULT_CONFIG.schedule };
const sched = (over: Partial<ScheduleConfig>): ScheduleConfig => ({ ...base, ...over });
const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThan(tol);

describe('learningRateAt', () => {
  it('constant: eps0 at every step', () => {
    for (const s of [0, 1, 99, 12345]) expect(learningRateAt(sched({ kind: 'constant' }), 0.3, s, 10)).toBe(0.3);
  });

  it('step: x factor every `every` epochs, at epoch boundaries exactly', () => {
    const s = sched({ kind: 'step', every: 2, factor: 0.5 });
    // 10 steps per epoch: epochs 0-1 are steps 0..19, epochs 2-3 are steps 20..39.
    expect(learningRateAt(s, 0.1, 0, 10)).toBe(0.1);
    expect(learningRateAt(s, 0.1, 19, 10)).toBe(0.1);
    expect(learningRateAt(s, 0.1, 20, 10)).toBe(0.05);
    expect(learningRateAt(s, 0.1, 39, 10)).toBe(0.05);
    expect(learningRateAt(s, 0.1, 40, 10)).toBe(0.025);
  });

  it('exponential: eps0 * eta^t with t in fractional epochs', () => {
    const s = sched({ kind: 'exponential', eta: 0.9 });
    close(learningRateAt(s, 0.2, 0, 10), 0.2);
    close(learningRateAt(s, 0.2, 5, 10), 0.2 * Math.sqrt(0.9)); // t = 0.5
    close(learningRateAt(s, 0.2, 30, 10), 0.2 * 0.729); // t = 3
  });

  it('inverse (smooth decay): eps0 / (1 + K t)', () => {
    const s = sched({ kind: 'inverse', k: 0.5 });
    close(learningRateAt(s, 0.1, 30, 10), 0.1 / 2.5); // t = 3
    close(learningRateAt(s, 0.1, 5, 10), 0.1 / 1.25); // t = 0.5
  });

  it('warmup: linear ramp to eps0 over warmupSteps, then constant', () => {
    const s = sched({ kind: 'warmup', warmupSteps: 4 });
    // (step + 1) / 4 of eps0 until step 3, where it reaches eps0.
    const want = [0.2, 0.4, 0.6, 0.8, 0.8, 0.8];
    for (const [i, k] of [0, 1, 2, 3, 4, 100].entries()) close(learningRateAt(s, 0.8, k, 10), want[i]);
  });

  it('cosine: eps0 -> minLr over totalSteps, then minLr', () => {
    const s = sched({ kind: 'cosine', totalSteps: 100, minLr: 0.01 });
    close(learningRateAt(s, 0.1, 0, 10), 0.1);
    close(learningRateAt(s, 0.1, 50, 10), 0.055); // midpoint: (0.1 + 0.01) / 2
    close(learningRateAt(s, 0.1, 25, 10), 0.01 + (0.09 * (1 + Math.SQRT1_2)) / 2);
    close(learningRateAt(s, 0.1, 100, 10), 0.01);
    close(learningRateAt(s, 0.1, 5000, 10), 0.01);
  });

  it('plateau: eps0 times the reducer scale', () => {
    const s = sched({ kind: 'plateau' });
    expect(learningRateAt(s, 0.1, 7, 10)).toBe(0.1);
    expect(learningRateAt(s, 0.1, 7, 10, { ...initialPlateau(), scale: 0.25 })).toBe(0.025);
  });

  it('rejects bad fields with a message naming them', () => {
    expect(() => learningRateAt(sched({ kind: 'step', every: 0 }), 0.1, 0, 10)).toThrow(/schedule\.every/);
    expect(() => learningRateAt(sched({ kind: 'exponential', eta: 1.5 }), 0.1, 0, 10)).toThrow(/schedule\.eta/);
    expect(() => learningRateAt(sched({ kind: 'warmup', warmupSteps: 0 }), 0.1, 0, 10)).toThrow(
      /schedule\.warmupSteps/,
    );
    expect(() => learningRateAt(sched({ kind: 'bogus' as 'constant' }), 0.1, 0, 10)).toThrow(/schedule\.kind/);
    expect(() => learningRateAt(base, 0.1, 0, 0)).toThrow(/stepsPerEpoch/);
  });
});

describe('plateauUpdate (reduce on plateau)', () => {
  const feed = (losses: number[], patience: number, minDelta = 0) => {
    let st: PlateauState = initialPlateau();
    return losses.map((l) => {
      const r = plateauUpdate(st, l, minDelta, patience, 0.5);
      st = r.state;
      return { reduced: r.reduced, scale: st.scale };
    });
  };

  it('reduces exactly after `patience` epochs without improvement, not one earlier', () => {
    // Epoch 1 sets best = 1.0; epochs 2, 3, 4 do not improve: the 3rd of them (epoch 4) reduces.
    const r = feed([1.0, 1.0, 1.0, 1.0, 1.0], 3);
    expect(r.map((x) => x.reduced)).toEqual([false, false, false, true, false]);
    expect(r.map((x) => x.scale)).toEqual([1, 1, 1, 0.5, 0.5]);
  });

  it('an improvement resets the wait', () => {
    const r = feed([1.0, 1.1, 1.2, 0.9, 1.0, 1.0, 1.0], 3);
    // Without the improvement at epoch 4 the reduction would come at epoch 4; it comes at epoch 7.
    expect(r.map((x) => x.reduced)).toEqual([false, false, false, false, false, false, true]);
  });

  it('keeps reducing every `patience` epochs while the plateau lasts', () => {
    const r = feed([1, 1, 1, 1, 1, 1, 1], 2);
    expect(r.map((x) => x.scale)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25, 0.125]);
  });

  it('improvements smaller than minDelta do not count', () => {
    const r = feed([1.0, 0.99995, 0.9999], 2, 1e-3);
    expect(r.map((x) => x.reduced)).toEqual([false, false, true]);
  });

  it('a NaN validation loss counts as no improvement', () => {
    const r = feed([1.0, Number.NaN], 1);
    expect(r[1].reduced).toBe(true);
  });
});

describe('scheduleCurve', () => {
  it('samples learningRateAt at evenly spaced steps including the first and last', () => {
    const s = sched({ kind: 'step', every: 1, factor: 0.5 });
    const c = scheduleCurve(s, 1, 10, 50, 11);
    expect(c.steps[0]).toBe(0);
    expect(c.steps[10]).toBe(49);
    for (let i = 0; i < c.steps.length; i++) expect(c.lr[i]).toBe(learningRateAt(s, 1, c.steps[i], 10));
    expect(c.lr[10]).toBe(0.0625); // step 49 is in epoch 4: 0.5^4
  });

  it('never returns more points than steps', () => {
    expect(scheduleCurve(base, 1, 10, 3, 200).steps).toEqual(new Float64Array([0, 1, 2]));
  });
});

// The schedule's clock is the loop's accumulated epoch progress (loop.ts header), so a live
// batch-size change does not move it. nTrain = 280 (the default split): 17 steps of 16 per epoch,
// 4 steps of 64.
describe('the schedule clock across a live batch-size change', () => {
  const cfgWith = (schedule: ScheduleConfig, batchSize: number): TrainConfig => ({
    ...DEFAULT_CONFIG,
    batchSize,
    optimizer: { ...DEFAULT_CONFIG.optimizer, lr: 0.1 },
    schedule,
  });
  const stepStep = sched({ kind: 'step', every: 2, factor: 0.5 });
  const stepExp = sched({ kind: 'exponential', eta: 0.5 });
  /** A loop trained for `steps` steps at batch 16 (bookkeeping only: the clock needs no weights). */
  const trained = (schedule: ScheduleConfig, steps: number) => {
    const loop = new TrainLoop(cfgWith(schedule, 16), 280, 7);
    for (let i = 0; i < steps; i++) if (loop.afterStep()) loop.endEpoch(1);
    return loop;
  };

  it("issue 11 §2: at epoch 3.12 a change from batch 16 to 64 keeps the step and exponential schedules' lr", () => {
    for (const [schedule, want] of [
      [stepStep, 0.05], // 2 epochs done of every 2: one halving (the bug gave 0.1 * 0.5^6 = 1.56e-3)
      [stepExp, 0.1 * 0.5 ** (53 / 17)], // 1.15e-2 (the bug gave 0.1 * 0.5^13.25 = 1.03e-5)
    ] as const) {
      const loop = trained(schedule, 53);
      const before = loop.nextLr();
      expect(before).toBeCloseTo(want, 12);
      loop.setConfig(cfgWith(schedule, 64));
      expect(loop.nextLr(), schedule.kind).toBe(before);
      expect(loop.epochProgress).toBe(53 / 17); // 3.118 epochs, before and after
    }
  });

  it('after a mid-epoch change the clock reaches the epoch end exactly, then runs at the new pace', () => {
    const loop = trained(stepExp, 53); // epoch 3, 2 of 17 steps done (32 samples)
    loop.setConfig(cfgWith(stepExp, 64));
    const ts = [loop.epochProgress];
    let ended = false;
    for (let i = 0; i < 3; i++) {
      ended = loop.afterStep(); // (280 - 32) / 64 = 3 full batches are left in epoch 3
      ts.push(loop.epochProgress);
    }
    expect(ended).toBe(true);
    expect(loop.state.epoch).toBe(4);
    expect(ts[3]).toBe(4);
    for (let i = 1; i < 4; i++) expect(ts[i] - ts[i - 1]).toBeCloseTo((4 - 53 / 17) / 3, 12); // even steps
    for (let i = 0; i < 4; i++) loop.afterStep();
    expect(loop.epochProgress).toBe(5); // one epoch = 4 steps of 64
    expect(loop.nextLr()).toBeCloseTo(0.1 * 0.5 ** 5, 15);
  });

  it('a copy of the loop state (GPU planning, another backend) keeps the clock', () => {
    const loop = trained(stepExp, 53);
    loop.setConfig(cfgWith(stepExp, 64));
    loop.afterStep();
    const copy = new TrainLoop(loop.cfg, 280, 7);
    copy.state = structuredClone(loop.state);
    expect(copy.epochProgress).toBe(loop.epochProgress);
    expect(copy.nextLr()).toBe(loop.nextLr());
  });

  it('without a batch-size change the lr is bit-identical to learningRateAt(step, stepsPerEpoch)', () => {
    const kinds = [
      stepStep,
      stepExp,
      sched({ kind: 'inverse', k: 0.3 }),
      sched({ kind: 'warmup', warmupSteps: 30 }),
      sched({ kind: 'cosine', totalSteps: 100, minLr: 0.001 }),
    ];
    for (const schedule of kinds) {
      const loop = new TrainLoop(cfgWith(schedule, 16), 280, 7);
      for (let step = 0; step < 120; step++) {
        expect(loop.nextLr()).toBe(learningRateAt(schedule, 0.1, step, 17));
        expect(loop.epochProgress).toBe(step / 17);
        if (step === 40) loop.setConfig({ ...cfgWith(schedule, 16), clipNorm: 1 }); // a live change, same batch
        if (loop.afterStep()) loop.endEpoch(1);
      }
      expect(loop.state.clock).toBeNull();
    }
  });

  it('the preview curve continues from the current point at the current batch size', () => {
    const loop = trained(stepExp, 53);
    loop.setConfig(cfgWith(stepExp, 64));
    for (let i = 0; i < 3; i++) loop.afterStep(); // to the end of epoch 3: step 56, t = 4
    const from = { step: loop.state.step, epochs: loop.epochProgress };
    const c = scheduleCurve(stepExp, 0.1, 4, 80, 200, null, from);
    expect(c.steps[0]).toBe(56);
    expect(c.steps[c.steps.length - 1]).toBe(79);
    for (let i = 0; i < c.steps.length; i++) {
      expect(c.lr[i]).toBe(loop.nextLr());
      loop.afterStep();
    }
  });
});
