// The steppable Run: determinism, bookkeeping, clipping, the per-layer metrics, live changes,
// reset, early stopping with restore-best, and divergence detection.
import { describe, expect, it } from 'vitest';
import { SharedBatch } from './augment';
import { makeDataset } from './data/dataset';
import { defaultConfig } from './defaults';
import { allFinite, l2Norm } from './floatArray';
import { stepsPerEpoch, TrainLoop } from './loop';
import { epochOrder } from './rng';
import { needsRebuild, Run, type StepRecord } from './trainer';
import type { TrainConfig } from './types';

const losses = (steps: StepRecord[]) => steps.map((s) => s.loss);

/** A small run that exercises every random stream: shuffling, dropout, augmentation noise. */
function noisyConfig(): TrainConfig {
  const cfg = defaultConfig();
  cfg.model.hidden = [
    { units: 8, activation: 'tanh', dropout: 0.3, batchNorm: true },
    { units: 6, activation: 'relu', dropout: 0.2, batchNorm: false },
  ];
  cfg.data.augmentNoise = 0.05;
  cfg.optimizer.name = 'adam';
  cfg.optimizer.lr = 0.01;
  return cfg;
}

describe('determinism', () => {
  it('same seeds give identical loss sequences (shuffle, dropout, batch norm, noise all on)', () => {
    const a = new Run(noisyConfig()).step(60);
    const b = new Run(noisyConfig()).step(60);
    expect(losses(a.steps)).toEqual(losses(b.steps));
    expect(a.epochs.map((e) => e.valLoss)).toEqual(b.epochs.map((e) => e.valLoss));
  });

  it('a different dropout seed (same data and initial weights) gives a different sequence', () => {
    const a = new Run(noisyConfig());
    const b = new Run(noisyConfig(), a.dataset, { seeds: { dropout: a.seeds.dropout + 1 } });
    expect(Array.from(b.getParams())).toEqual(Array.from(a.getParams()));
    const la = losses(a.step(30).steps);
    const lb = losses(b.step(30).steps);
    expect(lb).not.toEqual(la);
    // and it is dropout that differs: without dropout the two seeds agree exactly
    const cfg = noisyConfig();
    for (const h of cfg.model.hidden) h.dropout = 0;
    const c = new Run(cfg, a.dataset);
    const d = new Run(cfg, a.dataset, { seeds: { dropout: 999 } });
    expect(losses(d.step(30).steps)).toEqual(losses(c.step(30).steps));
  });

  it('reset() replays the run from the same initial weights and data', () => {
    const run = new Run(noisyConfig());
    const first = losses(run.step(40).steps);
    run.reset();
    expect(run.stepCount).toBe(0);
    expect(losses(run.step(40).steps)).toEqual(first);
  });
});

describe('loop bookkeeping', () => {
  it('drops the last partial batch: epochs end every floor(nTrain / B) steps', () => {
    const cfg = defaultConfig(); // 280 training samples, batch 16 -> 17 steps, 8 samples dropped
    const run = new Run(cfg);
    expect(run.stepsPerEpoch).toBe(stepsPerEpoch(16, 280));
    expect(run.stepsPerEpoch).toBe(17);
    const r = run.step(3 * 17);
    expect(r.epochs.map((e) => e.step)).toEqual([17, 34, 51]);
    expect(r.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(r.steps[16].epoch).toBe(1);
    expect(r.steps[7].epoch).toBeCloseTo(8 / 17, 12);
  });

  it('each epoch visits distinct samples in a fresh order; a live batch-size change continues the epoch', () => {
    const cfg = defaultConfig();
    const loop = new TrainLoop(cfg, 100, 77); // B = 16: 6 steps per epoch, 4 samples dropped
    const epoch = () => {
      const seen: number[] = [];
      do seen.push(...loop.nextBatch());
      while (!loop.afterStep());
      return seen;
    };
    const e0 = epoch();
    const e1 = epoch();
    expect(e0.length).toBe(96);
    expect(new Set(e0).size).toBe(96);
    expect(e1).not.toEqual(e0);
    // mid-epoch change from 16 to 40: 2 batches of 16, then one of 40 (72 + 40 > 100 ends the epoch)
    const seen = [...loop.nextBatch()];
    loop.afterStep();
    seen.push(...loop.nextBatch());
    loop.afterStep();
    loop.setConfig({ ...cfg, batchSize: 40 });
    seen.push(...loop.nextBatch());
    expect(loop.afterStep()).toBe(true);
    expect(seen.length).toBe(72);
    expect(new Set(seen).size).toBe(72);
    expect(loop.state.epoch).toBe(3);
  });

  it('a live batch-size increase near the epoch end: one full batch of the new size ends the epoch', () => {
    const cfg = defaultConfig();
    const loop = new TrainLoop(cfg, 100, 77); // B = 16: 6 steps per epoch
    for (let i = 0; i < 5; i++) loop.afterStep(); // 80 samples of epoch 0 taken, 20 left
    loop.setConfig({ ...cfg, batchSize: 40 });
    const batch = loop.nextBatch();
    expect(batch.length).toBe(40); // a short batch of 20 would not fit the GPU's buffers of 40
    expect(Array.from(batch)).toEqual(Array.from(epochOrder(77, 0, 100, true).subarray(60, 100)));
    expect(loop.afterStep()).toBe(true);
    expect(loop.epochProgress).toBe(1);
    expect(loop.nextBatch().length).toBe(40);
  });

  it('loops of a compare set share one order per epoch; other seeds, sizes and shuffle settings keep their own', () => {
    const cfg = defaultConfig();
    const noShuffle = { ...cfg, data: { ...cfg.data, shuffle: false } };
    // interleaved more than the shared cache holds, so a wrong key or eviction would show
    const loops = [
      new TrainLoop(cfg, 100, 77),
      new TrainLoop(cfg, 100, 77),
      new TrainLoop(cfg, 100, 78),
      new TrainLoop(cfg, 96, 77),
      new TrainLoop(noShuffle, 100, 77),
      new TrainLoop(cfg, 50, 5),
      new TrainLoop(cfg, 100, 77),
    ];
    for (let step = 0; step < 30; step++) {
      for (const l of loops) {
        const { epoch, sampleInEpoch } = l.state;
        const want = epochOrder(l.shuffleSeed, epoch, l.nTrain, l.cfg.data.shuffle).subarray(
          sampleInEpoch,
          sampleInEpoch + l.batchSize,
        );
        expect(Array.from(l.nextBatch())).toEqual(Array.from(want));
        l.afterStep();
      }
    }
    // same seed, size and shuffle: the very same array (computed once for the set)
    expect(loops[0].nextBatch().buffer).toBe(loops[1].nextBatch().buffer);
    expect(loops[0].nextBatch().buffer).not.toBe(loops[2].nextBatch().buffer);
  });
  it('maxEpochs finishes the run after exactly that many epochs', () => {
    const cfg = defaultConfig();
    cfg.maxEpochs = 2;
    const run = new Run(cfg);
    const r = run.step(1000);
    expect(run.status).toBe('finished');
    expect(r.steps.length).toBe(2 * run.stepsPerEpoch);
    expect(run.statusStep).toBe(2 * run.stepsPerEpoch - 1);
    expect(run.step(5).steps.length).toBe(0);
    // raising the budget resumes
    run.setHyper({ ...cfg, maxEpochs: 3 });
    expect(run.status).toBe('ok');
    expect(run.step(1000).epochs.length).toBe(1);
  });

  it('reduce-on-plateau lowers the learning rate seen by the next steps', () => {
    const cfg = defaultConfig();
    cfg.schedule = { ...cfg.schedule, kind: 'plateau', patience: 1, factor: 0.5 };
    cfg.earlyStop.minDelta = 10; // no epoch can improve by 10: reduce after every epoch
    const run = new Run(cfg);
    const r = run.step(2 * run.stepsPerEpoch + 1);
    // epoch 1 sets the first best (from Infinity), epoch 2 does not improve -> one reduction
    expect(r.epochs.map((e) => e.lr)).toEqual([0.1, 0.05]);
    expect(r.steps[0].lr).toBe(0.1);
    expect(r.steps[r.steps.length - 1].lr).toBe(0.05);
  });
});

describe('per-step metrics and clipping', () => {
  it('updateRatio is ||dW||/||W|| of the applied update; gradNorm is ||dL/dW|| (SGD: update = lr * grad)', () => {
    const run = new Run(defaultConfig());
    const before = run.getParams();
    const [s] = run.step(1).steps;
    const after = run.getParams();
    for (const L of run.layout.layers) {
      const n = L.outDim * L.inDim;
      const du = Float32Array.from({ length: n }, (_, k) => after[L.w + k] - before[L.w + k]);
      const w = l2Norm(before, L.w, n);
      expect(s.updateRatio[L.index]).toBeCloseTo(l2Norm(du) / w, 5);
      expect(s.updateRatio[L.index] * w).toBeCloseTo(s.lr * s.gradNorm[L.index], 5);
    }
  });

  it('clipping by global norm caps the whole update at lr * clipNorm', () => {
    const cfg = defaultConfig();
    cfg.clipNorm = 0.01; // far below the initial gradient norm
    const run = new Run(cfg);
    const before = run.getParams();
    const [s] = run.step(1).steps;
    const after = run.getParams();
    const delta = Float32Array.from(after, (v, k) => v - before[k]);
    expect(l2Norm(s.gradNorm)).toBeGreaterThan(0.01);
    expect(l2Norm(delta)).toBeCloseTo(0.1 * 0.01, 6);
  });
});

describe('live changes', () => {
  it('setHyper changes the learning rate from the next step; architectural changes are refused', () => {
    const cfg = defaultConfig();
    const run = new Run(cfg);
    run.step(3);
    const next = structuredClone(cfg);
    next.optimizer.lr = 0.02;
    run.setHyper(next);
    expect(run.step(1).steps[0].lr).toBe(0.02);
    const bigger = structuredClone(cfg);
    bigger.model.hidden[0].units = 9;
    expect(() => run.setHyper(bigger)).toThrow(/new Run/);
  });

  it("a live batch-size change keeps the schedule's clock: lr and epoch continue, epochs end on integers", () => {
    const cfg = defaultConfig(); // 280 training samples, batch 16: 17 steps per epoch
    cfg.schedule = { ...cfg.schedule, kind: 'exponential', eta: 0.5 };
    const run = new Run(cfg);
    const before = run.step(53).steps.at(-1)!;
    const bigger = structuredClone(cfg);
    bigger.batchSize = 64;
    run.setHyper(bigger);
    const after = run.step(3 + 4 * 2); // the rest of epoch 3, then two epochs of 4 steps
    const first = after.steps[0];
    // the first step at 64 runs at t = 53/17, one step of 16 after the last (step / stepsPerEpoch gave 53/4)
    expect(first.lr / before.lr).toBeCloseTo(0.5 ** (1 / 17), 12);
    expect(after.epochs.map((e) => [e.epoch, e.step])).toEqual([
      [4, 56],
      [5, 60],
      [6, 64],
    ]);
    expect(after.steps.map((s) => s.epoch).filter(Number.isInteger)).toEqual([4, 5, 6]);
    expect(after.epochs.at(-1)!.lr).toBeCloseTo(cfg.optimizer.lr * 0.5 ** 6, 15);
  });

  it('needsRebuild: data, architecture, init, loss and seed rebuild; optimizer, dropout, augmentation do not', () => {
    const a = defaultConfig();
    const change = (f: (c: TrainConfig) => void) => {
      const b = structuredClone(a);
      f(b);
      return needsRebuild(a, b);
    };
    expect(change((c) => (c.data.samples = 500))).toBe(true);
    expect(change((c) => (c.data.preprocess = 'standardize'))).toBe(true);
    expect(change((c) => (c.model.hidden[1].activation = 'relu'))).toBe(true);
    expect(change((c) => c.model.hidden.pop())).toBe(true);
    expect(change((c) => (c.model.hidden[0].batchNorm = true))).toBe(true);
    expect(change((c) => (c.model.init = 'he'))).toBe(true);
    expect(change((c) => (c.model.loss = 'mse'))).toBe(true);
    expect(change((c) => (c.seed = 2))).toBe(true);
    expect(change((c) => (c.optimizer.name = 'adam'))).toBe(false);
    expect(change((c) => (c.model.hidden[0].dropout = 0.5))).toBe(false);
    expect(change((c) => (c.data.augmentNoise = 0.1))).toBe(false);
    expect(change((c) => (c.data.shuffle = false))).toBe(false);
    expect(change((c) => (c.reg.l2 = 0.01))).toBe(false);
    expect(change((c) => (c.batchSize = 32))).toBe(false);
  });
});

describe('predict and evaluate', () => {
  it('predict() takes raw inputs through the preprocessing: its arg-max accuracy equals evaluate()', () => {
    const cfg = defaultConfig();
    cfg.data.preprocess = 'standardize';
    const run = new Run(cfg);
    run.step(5 * run.stepsPerEpoch);
    const ds = run.dataset;
    if (ds.kind !== 'classification') throw new Error('expected classification');
    const p = run.predict(ds.xValRaw, ds.nVal);
    let correct = 0;
    for (let n = 0; n < ds.nVal; n++) {
      const row = p.subarray(n * 2, n * 2 + 2);
      expect(row[0] + row[1]).toBeCloseTo(1, 5);
      if ((row[1] > row[0] ? 1 : 0) === ds.yVal[n]) correct++;
    }
    expect(correct / ds.nVal).toBe(run.evaluate('val').acc);
  });
});

describe('early stopping', () => {
  // A big network on 56 noisy XOR points overfits: validation loss turns up after ~10 epochs.
  function overfitting(restoreBest: boolean): TrainConfig {
    const cfg = defaultConfig();
    cfg.data = { ...cfg.data, name: 'xor', noise: 0.5, samples: 80 };
    cfg.model.hidden = [0, 1].map(() => ({ units: 32, activation: 'relu' as const, dropout: 0, batchNorm: false }));
    cfg.model.init = 'he';
    cfg.optimizer = { ...cfg.optimizer, name: 'adam', lr: 0.01 };
    cfg.earlyStop = { enabled: true, patience: 5, minDelta: 0, restoreBest };
    return cfg;
  }

  it('stops after `patience` epochs without improvement and restores the best weights', () => {
    const run = new Run(overfitting(true));
    const snapshots = new Map<number, Float32Array>();
    const valLoss = new Map<number, number>();
    while (run.status === 'ok') {
      const r = run.step(run.stepsPerEpoch);
      for (const e of r.epochs) valLoss.set(e.epoch, e.valLoss);
      if (run.status === 'ok') snapshots.set(r.epochs[0].epoch, run.getParams());
      if (run.stepCount > 5000) throw new Error('did not stop');
    }
    expect(run.status).toBe('early-stopped');
    const last = Math.max(...valLoss.keys());
    const best = run.best.epoch;
    expect(last - best).toBe(5);
    expect(valLoss.get(best)).toBe(Math.min(...valLoss.values()));
    expect(Array.from(run.getParams())).toEqual(Array.from(snapshots.get(best)!));
    expect(run.evaluate('val').loss).toBeCloseTo(valLoss.get(best)!, 10);
  });

  it('without restoreBest the last weights stay', () => {
    const a = new Run(overfitting(false));
    a.step(5000);
    const b = new Run(overfitting(true));
    b.step(5000);
    expect(a.status).toBe('early-stopped');
    expect(a.evaluate('val').loss).toBeGreaterThan(b.evaluate('val').loss);
  });
});

describe('divergence', () => {
  it('SGD with lr = 50 is detected as diverged, with the step, and training stops', () => {
    const cfg = defaultConfig();
    cfg.optimizer.lr = 50;
    const run = new Run(cfg);
    const r = run.step(500);
    expect(run.status).toBe('diverged');
    const last = r.steps[r.steps.length - 1];
    expect(run.statusStep).toBe(last.step);
    expect(run.statusStep).toBeLessThan(100);
    expect(run.step(10).steps.length).toBe(0);
    expect(allFinite(run.getParams())).toBe(true);
    // a sane learning rate on the same network never trips the detector
    const ok = new Run(defaultConfig());
    ok.step(500);
    expect(ok.status).toBe('ok');
  });

  it('a non-finite loss stops at that very step; the weights stay finite (never a silent NaN)', () => {
    const cfg = defaultConfig();
    for (const h of cfg.model.hidden) h.activation = 'linear';
    const run = new Run(cfg);
    const theta = run.getParams();
    // W of both hidden layers = 1e30: the second layer's outputs (~1e60) overflow float32
    theta.fill(1e30, 0, run.layout.layers[0].b);
    theta.fill(1e30, run.layout.layers[1].w, run.layout.layers[1].b);
    run.setParams(theta);
    const r = run.step(10);
    expect(r.steps.length).toBe(1);
    expect(Number.isFinite(r.steps[0].loss)).toBe(false);
    expect(run.status).toBe('diverged');
    expect(run.statusStep).toBe(0);
    expect(Array.from(run.getParams())).toEqual(Array.from(theta));
  });
});

describe("a race in lockstep sharing each step's batch (SharedBatch)", () => {
  it('trains every run bit for bit as alone, gathering each batch once; a diverged run drops out', () => {
    const base = defaultConfig();
    base.data = { ...base.data, name: 'circle', samples: 200, valFraction: 0.2, noise: 0.1, augmentNoise: 0.05 };
    base.data.shuffle = true;
    base.model.hidden = [8, 8].map((units) => ({ units, activation: 'tanh' as const, dropout: 0, batchNorm: false }));
    base.batchSize = 16; // 10 steps per epoch: the chunks below cross epoch ends
    const cfgs = (['sgd', 'adam', 'momentum', 'sgd'] as const).map((name, r) => {
      const c = structuredClone(base);
      c.optimizer = { ...c.optimizer, name, lr: r === 3 ? 1e6 : 0.05 }; // run 3 diverges
      return c;
    });
    const ds = makeDataset(base.data, base.seed);
    const alone = cfgs.map((c) => {
      const r = new Run(c, ds);
      const out = [r.train(7), r.train(30)];
      return { out, theta: r.getParams(), status: r.status };
    });
    const batches = new SharedBatch();
    const runs = cfgs.map((c) => new Run(c, ds, { batches }));
    const together = [7, 30].map((n) => {
      for (const r of runs) r.beginChunk();
      for (let i = 0; i < n; i++) for (const r of runs) r.stepOnce();
      return runs.map((r) => r.endChunk());
    });
    for (const [j, a] of alone.entries()) {
      expect(
        together.map((chunk) => chunk[j]),
        `run ${j}`,
      ).toEqual(a.out);
      expect(Array.from(runs[j].getParams())).toEqual(Array.from(a.theta));
      expect(runs[j].status).toBe(a.status);
    }
    expect(alone[3].status).toBe('diverged');
    expect(alone[0].out[1].epochs.n).toBeGreaterThan(0);
    // one gather per step of the runs still training, the others reuse it
    expect(batches.gathered).toBe(37);
    expect(batches.reused).toBe(3 * 37 - 37 + runs[3].stepCount);
  });
});
