// The GPU parity suite's end-to-end scenarios by name (functions cannot cross page.evaluate, names
// can): 200 steps of a GpuBackend against the engine's Run, same seeds (training.ts). Kept apart
// from suite.ts so that Node tests can read them without a GPU.
import { GPU_OPTIMIZER_NAMES, OPTIMIZERS } from '../../../src/engine/optimizers/registry';
import type { OptimizerName, TrainConfig } from '../../../src/engine/types';
import type { TrainingParityOptions } from './training';

const optimizerCase = (name: OptimizerName, lr: number) => (c: TrainConfig) => {
  c.optimizer.name = name;
  c.optimizer.lr = lr;
};

// Each optimizer's cases come from its spec (`parity`: the lr of its own case, [lr, zeta1] of its
// L1 case), so a registered optimizer is checked here without an edit to this file.
const spec = (name: OptimizerName) => OPTIMIZERS.find((o) => o.name === name) as (typeof OPTIMIZERS)[number];
const l1Case = (name: OptimizerName) => (c: TrainConfig) => {
  const [lr, l1] = spec(name).parity.l1;
  optimizerCase(name, lr)(c);
  c.reg.l1 = l1;
};
const ownCase = (name: OptimizerName) => optimizerCase(name, spec(name).parity.lr);
/** 2-12-5-2: hidden W[12, 2] (rows > cols) and W[5, 12] (rows < cols), for Muon's two orientations. */
const muonNet = (c: TrainConfig) => {
  c.model.hidden = [
    { units: 12, activation: 'relu', dropout: 0, batchNorm: false },
    { units: 5, activation: 'tanh', dropout: 0, batchNorm: false },
  ];
};

/** One case per registered optimizer the GPU runs (GPU_OPTIMIZER_NAMES), named after it. */
const OPTIMIZER_CASES: Record<string, TrainingParityOptions> = Object.fromEntries(
  GPU_OPTIMIZER_NAMES.map((n) => [n, { patch: ownCase(n) }]),
);

/** Named end-to-end scenarios. */
export const TRAINING_CASES: Record<string, TrainingParityOptions> = {
  ...OPTIMIZER_CASES,
  // every registered optimizer racing in one compare set (each run its own rule: OPT_EACH_RUN)
  'all-optimizers': { runs: GPU_OPTIMIZER_NAMES.map(ownCase) },
  // per-segment rules in a mixed set: LAMB's trust ratio with decayed biases and L1, and under a
  // schedule, Lion with clipping, beside element-wise rules in the same dispatch
  'compare-modern': {
    runs: [
      (c) => {
        optimizerCase('lion', 0.002)(c);
        c.clipNorm = 0.5;
      },
      (c) => {
        optimizerCase('lamb', 0.01)(c);
        c.reg.decayBiases = true;
        c.reg.l1 = 1e-3;
      },
      (c) => {
        optimizerCase('lamb', 0.02)(c);
        c.schedule.kind = 'cosine';
        c.schedule.totalSteps = 150;
      },
      optimizerCase('adam', 0.01),
      optimizerCase('momentum', 0.05),
    ],
  },
  // Muon on hidden layers of both shapes (W[12, 2]: more rows than columns; W[5, 12]: fewer), its
  // AdamW part on the biases, batch-norm gamma/beta and the output layer
  'muon-batchnorm': {
    patch: (c) => {
      muonNet(c);
      c.model.hidden = c.model.hidden.map((h) => ({ ...h, batchNorm: true }));
      optimizerCase('muon', 0.02)(c);
    },
  },
  // Muon racing other rules in one dispatch (OPT_EACH_RUN): with clipping, with decoupled decay on
  // decayed biases under a schedule, beside Adam, SGD, LAMB's per-segment trust ratio and momentum
  'compare-muon': {
    runs: [
      (c) => {
        muonNet(c);
        optimizerCase('muon', 0.02)(c);
        c.clipNorm = 0.5;
      },
      (c) => {
        muonNet(c);
        optimizerCase('muon', 0.01)(c);
        c.optimizer.weightDecay = 0.05;
        c.reg.decayBiases = true;
        c.schedule.kind = 'cosine';
        c.schedule.totalSteps = 150;
      },
      (c) => {
        muonNet(c);
        optimizerCase('adam', 0.01)(c);
      },
      (c) => {
        muonNet(c);
        optimizerCase('sgd', 0.1)(c);
      },
      (c) => {
        muonNet(c);
        optimizerCase('lamb', 0.01)(c);
      },
      (c) => {
        muonNet(c);
        optimizerCase('momentum', 0.05)(c);
        c.reg.l2 = 1e-3;
      },
    ],
  },
  // a live switch to Muon halfway (no rebuild): its Newton-Schulz scratch is allocated then, its
  // momentum and Adam moments start from zero as the engine's setConfig does
  'muon-switch': {
    patch: optimizerCase('sgd', 0.1),
    midway: (c) => {
      c.optimizer.name = 'muon';
      c.optimizer.lr = 0.02;
    },
  },
  dropout: {
    patch: (c) => {
      c.model.hidden = c.model.hidden.map((h) => ({ ...h, dropout: 0.2 }));
    },
  },
  batchnorm: {
    patch: (c) => {
      c.model.hidden = c.model.hidden.map((h) => ({ ...h, batchNorm: true, activation: 'relu' }));
      c.optimizer.name = 'momentum';
      c.optimizer.lr = 0.05;
    },
  },
  // compare mode: six runs, each its own optimizer and regularization, one set of dispatches
  compare: {
    runs: [
      optimizerCase('sgd', 0.1),
      (c) => {
        optimizerCase('momentum', 0.05)(c);
        c.reg.l2 = 1e-3;
      },
      (c) => {
        optimizerCase('nesterov', 0.05)(c);
        c.reg.l1 = 1e-3;
        c.clipNorm = 0.5;
      },
      (c) => {
        optimizerCase('adagrad', 0.05)(c);
        c.reg.l1Act = 1e-3;
      },
      (c) => {
        optimizerCase('rmsprop', 0.005)(c);
        c.reg.decayBiases = true;
        c.reg.l2 = 1e-3;
      },
      (c) => {
        optimizerCase('adam', 0.01)(c);
        c.schedule.kind = 'cosine';
        c.schedule.totalSteps = 150;
      },
    ],
  },
  // regression with MSE, Gaussian dropout and Gaussian input noise (host-augmented batches)
  regression: {
    patch: (c) => {
      c.data = { ...c.data, name: 'regGauss', augmentNoise: 0.05 };
      c.model.loss = 'mse';
      c.model.dropoutKind = 'gaussian';
      c.model.hidden = c.model.hidden.map((h) => ({ ...h, dropout: 0.1 }));
      c.optimizer.name = 'adam';
      c.optimizer.lr = 0.01;
    },
  },
  // decision points: reduce-on-plateau, early stopping with restore, a maxEpochs budget
  stopping: {
    runs: [
      (c) => {
        c.schedule.kind = 'plateau';
        c.schedule.patience = 1;
        c.earlyStop = { enabled: true, patience: 3, minDelta: 1e-3, restoreBest: true };
      },
      (c) => {
        c.maxEpochs = 12;
      },
    ],
  },
  // live changes halfway (setHyper on both sides): optimizer switch (state cleared), batch size,
  // dropout switched on, L2, learning rate
  live: {
    runs: [optimizerCase('sgd', 0.1), optimizerCase('momentum', 0.05)],
    midway: (c) => {
      c.optimizer.name = c.optimizer.name === 'sgd' ? 'adam' : 'momentum';
      c.optimizer.lr = 0.02;
      c.batchSize = 32;
      c.model.hidden = c.model.hidden.map((h) => ({ ...h, dropout: 0.15 }));
      c.reg.l2 = 1e-3;
    },
  },
  // the schedule's clock across a live batch-size change mid-epoch (16 -> 32 at step 81, epoch 8.1):
  // both sides keep the accumulated epoch progress, step by step the same lr (issue 11 §2)
  clock: {
    per: 27,
    runs: [
      (c) => Object.assign(c.schedule, { kind: 'exponential', eta: 0.8 }),
      (c) => Object.assign(c.schedule, { kind: 'step', every: 3, factor: 0.5 }),
      (c) => Object.assign(c.schedule, { kind: 'inverse', k: 0.5 }),
    ],
    midway: (c) => {
      c.batchSize = 32;
    },
  },
  // the same change with 16 samples left in the epoch (step 99, epoch 9.9): its last step takes the
  // epoch's last 32 samples, a full batch for the GPU's buffers, and the clock reaches epoch 10
  'clock-end': {
    per: 33,
    runs: [
      (c) => Object.assign(c.schedule, { kind: 'exponential', eta: 0.8 }),
      (c) => Object.assign(c.schedule, { kind: 'step', every: 3, factor: 0.5 }),
    ],
    midway: (c) => {
      c.batchSize = 32;
    },
  },
  // divergence: the windowed blow-up rule (lr 50, 1e6) stops the run at the same step; an update that
  // overflows the weights while the loss is still finite (momentum 1e38) restores the last finite ones
  divergence: {
    runs: [
      optimizerCase('sgd', 50),
      optimizerCase('sgd', 1e6),
      optimizerCase('sgd', 0.1),
      (c) => {
        optimizerCase('momentum', 1e20)(c);
        c.optimizer.momentum = 1e38;
      },
    ],
  },
  // L1 as a proximal step (the optimizer's own scale; momentum and Nesterov fold it into the
  // velocity): every optimizer in one compare set (OPT_EACH_RUN), then momentum and AdamW alone
  l1: { runs: GPU_OPTIMIZER_NAMES.map(l1Case) },
  'l1-momentum': { patch: l1Case('momentum') },
  'l1-adamw': { patch: l1Case('adamw') },
  // Adagrad's c0 (optimizer.initialAccumulator): from the start, and on a live switch to Adagrad
  'adagrad-c0': {
    runs: [
      (c) => {
        optimizerCase('adagrad', 0.05)(c);
        c.optimizer.initialAccumulator = 0.1;
      },
      (c) => {
        optimizerCase('sgd', 0.1)(c);
        c.optimizer.initialAccumulator = 0.1;
      },
    ],
    midway: (c) => {
      c.optimizer.name = 'adagrad';
      c.optimizer.lr = 0.05;
    },
  },
};
