// Whole-state export and import (snapshot.ts, Run.exportState / importState): a run exported at
// step 100 and imported into a fresh Run continues bit for bit as the undisturbed run, for every
// optimizer, with batch norm, dropout, input noise, a plateau schedule and early stopping on; a
// snapshot that does not fit is refused, naming the field, and the run is left as it was.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { appliedLr, OPTIMIZER_NAMES, optimizerSpec } from './optimizers/registry';
import { type RunSnapshot, validateSnapshot } from './snapshot';
import { Run } from './trainer';
import type { TrainConfig } from './types';

function config(name: string): TrainConfig {
  const cfg = defaultConfig();
  cfg.model.hidden = [
    { units: 8, activation: 'tanh', dropout: 0.2, batchNorm: true },
    { units: 6, activation: 'relu', dropout: 0, batchNorm: true },
  ];
  cfg.data.augmentNoise = 0.05;
  cfg.optimizer = { ...cfg.optimizer, name: name as TrainConfig['optimizer']['name'] };
  cfg.optimizer.lr = name === 'sgd' || name === 'adagrad' ? 0.1 : 0.01;
  cfg.schedule = { ...cfg.schedule, kind: 'plateau', patience: 1, factor: 0.5 };
  // a large minDelta makes both plateau reductions and an early stop happen within 300 steps
  cfg.earlyStop = { enabled: true, patience: 4, minDelta: 0.02, restoreBest: true };
  if (name === 'schedulefree') {
    // it ignores the plateau schedule and its loss keeps falling: a coarser minDelta stops it in time
    cfg.optimizer.lr = 0.003;
    cfg.earlyStop.minDelta = 0.05;
    cfg.optimizer.warmupSteps = 20; // its recorded lr is the warm-up lr it applies
  }
  return cfg;
}

const STEPS = 300;
const SPLIT = 100;

/** The run's trace: every step's loss and lr, every epoch end's losses, and the final weights. */
function trace(run: Run, n: number) {
  const { steps, epochs } = run.step(n);
  return {
    loss: steps.map((s) => s.loss),
    lr: steps.map((s) => s.lr),
    val: epochs.map((e) => e.valLoss),
  };
}

describe('Run.exportState / importState', () => {
  for (const name of OPTIMIZER_NAMES) {
    it(`${name}: export at step ${SPLIT}, import into a fresh Run, continue = the undisturbed run, bit for bit`, () => {
      const cfg = config(name);
      // a live batch-size change at the move anchors the schedule clock (LoopState.clock)
      const cfg2 = { ...cfg, batchSize: 20 };
      const whole = new Run(cfg);
      const w1 = trace(whole, SPLIT);
      whole.setHyper(cfg2);
      const w2 = trace(whole, STEPS - SPLIT);

      const first = new Run(cfg, whole.dataset);
      const a = trace(first, SPLIT);
      first.setHyper(cfg2);
      const snap = structuredClone(first.exportState()); // as it crosses a worker boundary
      const second = new Run(cfg2, whole.dataset);
      second.importState(snap);
      const c = trace(second, STEPS - SPLIT);
      const all = { loss: [...w1.loss, ...w2.loss], lr: [...w1.lr, ...w2.lr], val: [...w1.val, ...w2.val] };

      expect([...a.loss, ...c.loss]).toEqual(all.loss);
      expect([...a.lr, ...c.lr]).toEqual(all.lr);
      expect([...a.val, ...c.val]).toEqual(all.val);
      expect(Array.from(second.getParams())).toEqual(Array.from(whole.getParams()));
      expect(Array.from(second.getBnStats())).toEqual(Array.from(whole.getBnStats()));
      expect(second.status).toBe(whole.status);
      expect(second.stepCount).toBe(whole.stepCount);
      // the features under test did act: the lr was reduced (unless the rule ignores the schedule,
      // as Schedule-Free: then it is its own warm-up lr), and early stopping (restoring the best
      // weights, kept before the move) fired after it
      if (optimizerSpec(name).ignoresSchedule)
        expect(all.lr).toEqual(all.lr.map((_, t) => appliedLr(cfg.optimizer, t + 1, cfg.optimizer.lr)));
      else expect(new Set(all.lr).size).toBeGreaterThan(2);
      expect(snap.loop.clock).not.toBeNull();
      expect(whole.status).toBe('early-stopped');
      expect(whole.statusStep).toBeGreaterThan(SPLIT);
      expect(snap.best).not.toBeNull();
      expect(snap.opt.t).toBe(SPLIT);
    });
  }

  it('the snapshot is a copy: training on after export does not change it', () => {
    const run = new Run(config('adam'));
    run.step(20);
    const s = run.exportState();
    const theta = Array.from(s.theta);
    const m = Array.from(s.opt.m);
    run.step(5);
    expect(Array.from(s.theta)).toEqual(theta);
    expect(Array.from(s.opt.m)).toEqual(m);
    expect(s.loop.step).toBe(20);
  });
});

describe('validateSnapshot', () => {
  const run = new Run(config('adam'));
  run.step(30);
  const good = () => structuredClone(run.exportState());
  const bad: [string, (s: RunSnapshot) => void, RegExp][] = [
    ['theta', (s) => (s.theta = new Float32Array(3)), /snapshot\.theta: 3 values, the network needs \d+/],
    ['bnStats', (s) => (s.bnStats = s.bnStats.subarray(1)), /snapshot\.bnStats: \d+ values/],
    ['opt.m', (s) => (s.opt.m = new Float32Array(1)), /snapshot\.opt\.m: 1 values/],
    ['opt.v', (s) => ((s.opt as { v: unknown }).v = [1, 2]), /snapshot\.opt\.v: not a Float32Array/],
    ['opt.t', (s) => (s.opt.t = -1), /snapshot\.opt\.t: -1 is not a step count/],
    ['opt.extra', (s) => (s.opt.extra = { z: s.theta }), /snapshot\.opt\.extra\.z: 'adam' has no such buffer/],
    ['optimizer', (s) => (s.optimizer = 'sgd'), /snapshot\.optimizer: state of 'sgd', the run uses 'adam'/],
    ['version', (s) => (s.version = 99), /snapshot\.version: 99/],
    ['loop.step', (s) => (s.loop.step = 1.5), /snapshot\.loop\.step: 1\.5 is not a count/],
    ['loop.status', (s) => ((s.loop as { status: string }).status = 'x'), /snapshot\.loop\.status/],
    ['best.theta', (s) => (s.best = { theta: new Float32Array(2), bnStats: s.bnStats }), /snapshot\.best\.theta/],
  ];
  for (const [field, spoil, message] of bad) {
    it(`refuses a bad ${field}, naming it, and leaves the run unchanged`, () => {
      const s = good();
      spoil(s);
      const target = new Run(config('adam'), run.dataset);
      const before = target.exportState();
      expect(() => target.importState(s)).toThrow(message);
      expect(target.exportState()).toEqual(before);
    });
  }

  it('accepts a good snapshot', () => {
    const s = good();
    expect(validateSnapshot(s, { P: s.theta.length, SS: s.bnStats.length, optimizer: 'adam', extra: [] })).toBe(s);
  });
});
