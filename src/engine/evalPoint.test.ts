// A Schedule-Free run trains at y and is evaluated at x (optimizers/schedulefree.ts), with batch
// norm's statistics recomputed at x (evalPoint.ts); its step ignores the learning-rate schedule.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { BN_RECOMPUTE_BATCHES } from './evalPoint';
import { evaluateSplit } from './evaluate';
import { scheduleFreeX } from './optimizers/schedulefree';
import { Run } from './trainer';
import type { TrainConfig } from './types';

function sfConfig(batchNorm = false): TrainConfig {
  const cfg = defaultConfig();
  cfg.optimizer = { ...cfg.optimizer, name: 'schedulefree', lr: 0.01, warmupSteps: 10 };
  cfg.model.hidden = cfg.model.hidden.map((h) => ({ ...h, batchNorm }));
  return cfg;
}

describe('Schedule-Free in a Run', () => {
  it('evaluates at x = (y - (1-b1) z)/b1, not at the trained weights y', () => {
    const run = new Run(sfConfig());
    run.step(40);
    const s = run.exportState();
    const x = scheduleFreeX(s.theta, s.opt.m, 0.9, new Float32Array(s.theta.length));
    const ds = run.dataset;
    const atX = evaluateSplit(run.layout, x, s.bnStats, run.cfg.model, ds.xVal, ds.yVal, ds.nVal);
    const atY = evaluateSplit(run.layout, s.theta, s.bnStats, run.cfg.model, ds.xVal, ds.yVal, ds.nVal);
    expect(run.evaluate('val').loss).toBe(atX.loss);
    expect(atX.loss).not.toBe(atY.loss);
  });

  it('ignores the schedule: steps and records its own warm-up lr 0.01 min(1, t/10), whatever the schedule', () => {
    const cfg = sfConfig();
    cfg.schedule = { ...cfg.schedule, kind: 'cosine', totalSteps: 20 };
    const run = new Run(cfg);
    const { steps, epochs } = run.step(15);
    expect(steps.map((r) => r.lr)).toEqual(steps.map((_, i) => 0.01 * Math.min(1, (i + 1) / 10)));
    // the lr it applies: y after step 1 is y0 + lr_1 (b1 (1-c_1) - 1) d = y0 - lr_1 d with c_1 = 1
    const one = new Run(cfg);
    const y0 = one.getParams();
    one.step(1);
    const z1 = one.exportState().opt.m;
    const y1 = one.getParams();
    for (const k of [0, 5]) expect(y1[k] - y0[k]).toBeCloseTo(z1[k] - y0[k], 7); // c_1 = 1: y = z
    expect(steps[0].lr).toBeCloseTo(0.001, 15);
    // an epoch end records the lr of the step that follows it
    for (const e of epochs) expect(e.lr).toBe(0.01 * Math.min(1, (e.step + 1) / 10));
    cfg.optimizer.name = 'adam';
    const adam = new Run(cfg).step(15).steps;
    expect(adam[14].lr).toBeLessThan(0.005); // the same schedule does act on Adam
  });

  it('recomputes batch-norm statistics at x: the mean of the first batches’ statistics there', () => {
    const cfg = sfConfig(true);
    const run = new Run(cfg);
    run.step(30);
    const { theta: x, bnStats } = run.evalWeights();
    const ds = run.dataset;
    const L = run.layout.layers[0];
    const B = cfg.batchSize;
    const K = Math.min(BN_RECOMPUTE_BATCHES, Math.floor(ds.nTrain / B));
    // By hand: first hidden layer's pre-activations u = W x + b over the first K batches.
    const D = run.layout.inputDim;
    for (const o of [0, 3]) {
      let sumMean = 0;
      let sumVar = 0;
      for (let k = 0; k < K; k++) {
        const u = Array.from({ length: B }, (_, r) => {
          const row = (k * B + r) * D;
          let a = x[L.b + o];
          for (let d = 0; d < D; d++) a += x[L.w + o * D + d] * ds.xTrain[row + d];
          return a;
        });
        const mean = u.reduce((s, a) => s + a, 0) / B;
        sumMean += mean;
        sumVar += u.reduce((s, a) => s + (a - mean) ** 2, 0) / B;
      }
      expect(bnStats[L.stats + o]).toBeCloseTo(sumMean / K, 5);
      expect(bnStats[L.stats + L.outDim + o]).toBeCloseTo(((sumVar / K) * B) / (B - 1), 5);
    }
    // ... and they are not the running statistics gathered at y
    expect(bnStats[L.stats]).not.toBe(run.getBnStats()[L.stats]);
  });
});
