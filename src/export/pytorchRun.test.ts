// The exported "Continue in PyTorch" script, RUN in PyTorch and compared step by step with the
// engine's Run. Each config's script embeds the run's initial weights and minibatch order; dropout
// and input noise are off, so both sides compute the same sequence of float32 numbers up to
// rounding. Every optimizer, every schedule and each variant (batch norm, L2, L1, clipping, early
// stopping) appears in at least two configs. All scripts run in one Python process.
//
// PyTorch here is Debian's python3-torch for /usr/bin/python3. When it is missing this test FAILS
// (it does not skip) and says which command installs it.
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../engine/data/dataset';
import { defaultConfig } from '../engine/defaults';
import { epochOrder } from '../engine/rng';
import { Run } from '../engine/trainer';
import { OPTIMIZER_NAMES, type ScheduleKind, type TrainConfig } from '../engine/types';
import { runTorchScripts, torchMissing } from './pythonHarness';
import { pytorchScript } from './pytorch';

const STEPS = 200;
const LOSS_RTOL = 1e-4;
const THETA_ATOL = 1e-3;

type Variant = 'batchNorm' | 'l2' | 'l1' | 'clip' | 'earlyStop';

interface Case {
  name: string;
  variants: Variant[];
  cfg: TrainConfig;
}

/** A config of the covering set: optimizer, schedule, variants, on a small 2D set. */
function makeCase(
  opt: TrainConfig['optimizer']['name'],
  kind: ScheduleKind,
  variants: Variant[],
  tweak: (cfg: TrainConfig) => void = () => {},
): Case {
  const cfg = defaultConfig();
  cfg.seed = 11;
  cfg.data = { ...cfg.data, name: 'moons', samples: 80, valFraction: 0.25, preprocess: 'standardize' };
  cfg.batchSize = 15; // 60 training points: 4 steps per epoch
  cfg.maxEpochs = STEPS / 4;
  cfg.model.hidden = [
    { units: 8, activation: 'tanh', dropout: 0, batchNorm: variants.includes('batchNorm') },
    { units: 6, activation: 'relu', dropout: 0, batchNorm: false },
  ];
  const lr: Record<string, number> = { sgd: 0.2, momentum: 0.05, nesterov: 0.05, adagrad: 0.1, muon: 0.02 };
  cfg.optimizer = { ...cfg.optimizer, name: opt, lr: lr[opt] ?? 0.01 };
  cfg.schedule = { ...cfg.schedule, kind, every: 10, factor: 0.5, eta: 0.97, k: 0.1, warmupSteps: 40 };
  cfg.schedule.totalSteps = 150;
  cfg.schedule.minLr = 1e-3;
  cfg.schedule.patience = 2;
  if (variants.includes('l2')) cfg.reg.l2 = 1e-3;
  if (variants.includes('l1')) cfg.reg.l1 = 5e-3;
  if (variants.includes('clip')) cfg.clipNorm = 0.3;
  // minDelta large enough that progress stalls by its measure within the run, so the stop fires
  if (variants.includes('earlyStop')) cfg.earlyStop = { enabled: true, patience: 3, minDelta: 0.01, restoreBest: true };
  if (kind === 'plateau') cfg.earlyStop.minDelta = 0.01;
  tweak(cfg);
  return { name: `${opt}/${kind}/${variants.join('+') || 'plain'}`, variants, cfg };
}

// Batch norm also runs under adaptive rules (Adam, AdamW): the dense bias before a batch norm has a
// gradient of exactly 0, which both the engine and the script write as 0 (float32 rounding noise there
// would otherwise be normalized into lr-sized random steps, different in each framework).
const CASES: Case[] = [
  makeCase('sgd', 'constant', ['batchNorm', 'l2']),
  makeCase('sgd', 'cosine', ['l1', 'clip']),
  makeCase('momentum', 'step', ['l2', 'earlyStop', 'batchNorm']),
  makeCase('momentum', 'warmup', ['l1']),
  makeCase('nesterov', 'exponential', ['clip', 'l2']),
  makeCase('nesterov', 'plateau', ['l1', 'earlyStop', 'batchNorm'], (c) => {
    c.earlyStop.patience = 5;
    c.reg.l1 = 0.01;
  }),
  makeCase('adagrad', 'inverse', ['clip'], (c) => {
    c.data = { ...c.data, name: 'regPlane', noise: 0.05 };
    c.model.loss = 'mse';
  }),
  makeCase('adagrad', 'constant', ['l1', 'l2'], (c) => {
    c.optimizer.initialAccumulator = 0.1; // TensorFlow's starting value
  }),
  makeCase('rmsprop', 'plateau', ['earlyStop'], (c) => {
    c.earlyStop.patience = 5;
  }),
  makeCase('rmsprop', 'warmup', ['l1', 'clip']),
  makeCase('adam', 'cosine', ['l1', 'l2', 'batchNorm']),
  makeCase('adam', 'step', ['earlyStop', 'clip']),
  makeCase('adamw', 'inverse', ['l1']),
  makeCase('adamw', 'exponential', ['l2', 'earlyStop', 'batchNorm'], (c) => {
    c.reg.decayBiases = true;
  }),
  // Lion: lr 3-10x below Adam's, its own beta2 and a larger decay (the rule's recommended ranges)
  makeCase('lion', 'cosine', ['l1', 'clip'], (c) => {
    c.optimizer = { ...c.optimizer, lr: 0.003, beta2: 0.99, weightDecay: 0.1 };
  }),
  makeCase('lion', 'warmup', ['l2', 'batchNorm'], (c) => {
    c.optimizer = { ...c.optimizer, lr: 0.002, beta2: 0.99, weightDecay: 0.3 };
  }),
  makeCase('lamb', 'step', ['l1', 'batchNorm'], (c) => {
    c.optimizer = { ...c.optimizer, lr: 0.02, eps: 1e-6, weightDecay: 0.01 };
    c.reg.decayBiases = true;
  }),
  makeCase('lamb', 'exponential', ['clip', 'earlyStop'], (c) => {
    c.optimizer = { ...c.optimizer, lr: 0.02, weightDecay: 0.1 };
  }),
  // Muon: the script's MuonWithAuxAdamW; momentum 0.95 as the reference's default
  makeCase('muon', 'cosine', ['l1', 'batchNorm'], (c) => {
    c.optimizer.momentum = 0.95;
  }),
  makeCase('muon', 'step', ['l2', 'clip'], (c) => {
    c.optimizer.momentum = 0.95;
    c.reg.decayBiases = true;
  }),
  // Schedule-Free ignores the cosine schedule; evaluated at x, batch-norm statistics recomputed there
  makeCase('schedulefree', 'cosine', ['batchNorm', 'l1'], (c) => {
    c.optimizer.warmupSteps = 20;
    c.optimizer.weightDecay = 0.05;
  }),
  // early stopping keeps and restores the best weights taken at x
  makeCase('schedulefree', 'warmup', ['earlyStop', 'l2', 'clip'], (c) => {
    c.optimizer.lr = 0.005;
    c.optimizer.warmupSteps = 10;
  }),
];

/** The engine's run of a case, with what the script needs to replay it. */
function engineRun(c: Case) {
  const ds = makeDataset(c.cfg.data, c.cfg.seed);
  const run = new Run(c.cfg, ds);
  const initialTheta = run.getParams();
  const spe = run.stepsPerEpoch;
  const epochs = Math.ceil(STEPS / spe);
  const batchOrder = Array.from({ length: epochs }, (_, e) =>
    epochOrder(run.seeds.shuffle, e, ds.nTrain, c.cfg.data.shuffle),
  );
  const { steps } = run.step(STEPS);
  // Evidence that each variant was exercised, not just configured.
  const exercised: Record<string, boolean> = {
    earlyStop: run.status === 'early-stopped',
    plateau: steps.some((s) => s.lr < c.cfg.optimizer.lr * 0.99),
    l1: run.getParams().some((w) => w === 0),
    // per-layer W norms before clipping bound the global norm from below
    clip: steps.some((s) => Math.hypot(...s.gradNorm) > c.cfg.clipNorm),
  };
  const script = pytorchScript(c.cfg, ds, { initialTheta, batchOrder });
  return { steps, theta: run.getParams(), bnStats: run.getBnStats(), script, exercised };
}

describe('the exported PyTorch script, run in PyTorch', () => {
  it('covers every optimizer, schedule and variant at least twice', () => {
    const count = (key: string) => CASES.filter((c) => c.name.split('/').some((p) => p.split('+').includes(key)));
    for (const name of OPTIMIZER_NAMES) expect(count(name).length, name).toBeGreaterThanOrEqual(2);
    const kinds: ScheduleKind[] = ['constant', 'step', 'exponential', 'inverse', 'warmup', 'cosine', 'plateau'];
    for (const k of kinds) expect(count(k).length, k).toBeGreaterThanOrEqual(2);
    for (const v of ['batchNorm', 'l2', 'l1', 'clip', 'earlyStop'])
      expect(count(v).length, v).toBeGreaterThanOrEqual(2);
    for (const c of CASES)
      expect(c.cfg.model.hidden.every((h) => h.dropout === 0) && c.cfg.data.augmentNoise === 0).toBe(true);
  });

  it(`reproduces the engine's per-step loss (${LOSS_RTOL} relative) and final weights (${THETA_ATOL})`, () => {
    const missing = torchMissing();
    if (missing) throw new Error(missing);
    const engine = CASES.map(engineRun);
    const t0 = performance.now();
    const torch = runTorchScripts(engine.map((e) => e.script));
    const seconds = (performance.now() - t0) / 1000;
    // Every case is measured before anything is asserted, so a failure shows the whole table.
    const report: string[] = [];
    const failures: string[] = [];
    for (const [i, c] of CASES.entries()) {
      const e = engine[i];
      const t = torch[i];
      const fail = (what: string) => failures.push(`${c.name}: ${what}`);
      if (t.losses.length !== e.steps.length)
        fail(`${t.losses.length} steps in torch, ${e.steps.length} in the engine; torch printed:\n${t.stdout}`);
      let worstLoss = 0;
      let worstStep = -1;
      for (const [k, s] of e.steps.entries()) {
        const rel = Math.abs(t.losses[k] - s.loss) / Math.max(Math.abs(s.loss), 1e-12);
        if (!(rel <= worstLoss)) [worstLoss, worstStep] = [rel, k];
      }
      if (!(worstLoss <= LOSS_RTOL))
        fail(`step ${worstStep}: loss torch ${t.losses[worstStep]} vs engine ${e.steps[worstStep]?.loss}`);
      let worstW = 0;
      if (t.theta.length !== e.theta.length || t.bnStats.length !== e.bnStats.length) fail('parameter counts differ');
      for (const [k, w] of e.theta.entries()) worstW = Math.max(worstW, Math.abs(t.theta[k] - w));
      for (const [k, s] of e.bnStats.entries()) worstW = Math.max(worstW, Math.abs(t.bnStats[k] - s));
      if (!(worstW <= THETA_ATOL)) fail(`final weights differ by ${worstW}`);
      for (const v of c.variants) if (v in e.exercised && !e.exercised[v]) fail(`${v} never acted in the engine run`);
      if (c.cfg.schedule.kind === 'plateau' && !e.exercised.plateau) fail('the plateau schedule never reduced lr');
      report.push(
        `${c.name.padEnd(34)} steps ${String(e.steps.length).padStart(3)}  loss rel ${worstLoss.toExponential(1)}  |dw| ${worstW.toExponential(1)}`,
      );
    }
    console.log(
      `PyTorch replay of ${CASES.length} exported scripts (${seconds.toFixed(1)} s in python):\n${report.join('\n')}`,
    );
    expect(failures).toEqual([]);
  }, 900_000); // a hang guard: 264 s was seen on a loaded 2-core machine
});
