// The GPU parity suite's end-to-end scenarios by name (functions cannot cross page.evaluate, names
// can): 200 steps of a GpuBackend against the engine's Run, same seeds (training.ts). Kept apart
// from suite.ts so that Node tests can read them without a GPU.
import { mergePatch } from '../../../src/engine/configPatch';
import { GPU_OPTIMIZER_NAMES, OPTIMIZERS } from '../../../src/engine/optimizers/registry';
import type { LayerConfig, OptimizerName, TrainConfig } from '../../../src/engine/types';
import type { TrainingParityOptions } from './training';

/** A run's settings as a deep partial of its config (config patch), written over the case's config. */
const patch = (p: Record<string, unknown>) => (c: TrainConfig) => {
  Object.assign(c, mergePatch(c, p));
};

/** A run of optimizer `name` at rate `lr`, with further settings `more` (a config patch). */
const optimizerCase =
  (name: OptimizerName, lr: number, more: Record<string, unknown> = {}) =>
  (c: TrainConfig) =>
    patch(mergePatch({ optimizer: { name, lr } }, more) as Record<string, unknown>)(c);

/** Every hidden layer with the fields `h` changed. */
const layers = (h: Partial<LayerConfig>) => (c: TrainConfig) => {
  c.model.hidden = c.model.hidden.map((l) => ({ ...l, ...h }));
};

/** Several changes, in order. */
const both =
  (...fs: ((c: TrainConfig) => void)[]) =>
  (c: TrainConfig) => {
    for (const f of fs) f(c);
  };

/** Schedules of the clock cases (lr by the accumulated epoch progress). */
const CLOCK_SCHEDULES = [
  patch({ schedule: { kind: 'exponential', eta: 0.8 } }),
  patch({ schedule: { kind: 'step', every: 3, factor: 0.5 } }),
  patch({ schedule: { kind: 'inverse', k: 0.5 } }),
];
const COSINE_150 = { schedule: { kind: 'cosine', totalSteps: 150 } };

// Each optimizer's cases come from its spec (`parity`: the lr of its own case, [lr, zeta1] of its
// L1 case), so a registered optimizer is checked here without an edit to this file.
const spec = (name: OptimizerName) => OPTIMIZERS.find((o) => o.name === name) as (typeof OPTIMIZERS)[number];
const l1Case = (name: OptimizerName) => {
  const [lr, l1] = spec(name).parity.l1;
  return optimizerCase(name, lr, { reg: { l1 } });
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
      optimizerCase('lion', 0.002, { clipNorm: 0.5 }),
      optimizerCase('lamb', 0.01, { reg: { decayBiases: true, l1: 1e-3 } }),
      optimizerCase('lamb', 0.02, COSINE_150),
      optimizerCase('adam', 0.01),
      optimizerCase('momentum', 0.05),
    ],
  },
  // Muon on hidden layers of both shapes (W[12, 2]: more rows than columns; W[5, 12]: fewer), its
  // AdamW part on the biases, batch-norm gamma/beta and the output layer
  'muon-batchnorm': { patch: both(muonNet, layers({ batchNorm: true }), optimizerCase('muon', 0.02)) },
  // Muon racing other rules in one dispatch (OPT_EACH_RUN): with clipping, with decoupled decay on
  // decayed biases under a schedule, beside Adam, SGD, LAMB's per-segment trust ratio and momentum
  'compare-muon': {
    runs: [
      optimizerCase('muon', 0.02, { clipNorm: 0.5 }),
      optimizerCase('muon', 0.01, { optimizer: { weightDecay: 0.05 }, reg: { decayBiases: true }, ...COSINE_150 }),
      optimizerCase('adam', 0.01),
      optimizerCase('sgd', 0.1),
      optimizerCase('lamb', 0.01),
      optimizerCase('momentum', 0.05, { reg: { l2: 1e-3 } }),
    ].map((run) => both(muonNet, run)),
  },
  // a live switch to Muon halfway (no rebuild): its Newton-Schulz scratch is allocated then, its
  // momentum and Adam moments start from zero as the engine's setConfig does
  'muon-switch': { patch: optimizerCase('sgd', 0.1), midway: patch({ optimizer: { name: 'muon', lr: 0.02 } }) },
  dropout: { patch: layers({ dropout: 0.2 }) },
  batchnorm: { patch: both(layers({ batchNorm: true, activation: 'relu' }), optimizerCase('momentum', 0.05)) },
  // Schedule-Free: trained at y, evaluated at x (epoch ends, evaluate, predict: workers/gpu/evalPoint.ts)
  // with batch-norm statistics recomputed there, its own warm-up under an ignored cosine schedule,
  // racing Adam and Lion in one dispatch (OPT_EACH_RUN); then a live switch to it (z starts at the
  // current weights) and early stopping that restores its best x
  'schedulefree-bn': {
    patch: layers({ batchNorm: true, activation: 'relu' }),
    runs: [
      optimizerCase('schedulefree', 0.02, { optimizer: { warmupSteps: 30 }, ...COSINE_150 }),
      optimizerCase('schedulefree', 0.01, { optimizer: { beta1: 0.95, weightDecay: 1e-3 }, reg: { l1: 1e-3 } }),
      optimizerCase('adam', 0.01),
      optimizerCase('lion', 0.002),
    ],
  },
  'schedulefree-live': {
    runs: [optimizerCase('adam', 0.01), optimizerCase('schedulefree', 0.01, { optimizer: { warmupSteps: 20 } })],
    midway: patch({ optimizer: { name: 'schedulefree', warmupSteps: 20 } }),
  },
  'schedulefree-stop': {
    patch: layers({ batchNorm: true }),
    runs: [
      optimizerCase('schedulefree', 0.02, {
        earlyStop: { enabled: true, patience: 2, minDelta: 0.02, restoreBest: true },
      }),
      optimizerCase('schedulefree', 0.01, { schedule: { kind: 'plateau', patience: 1 }, maxEpochs: 12 }),
      optimizerCase('adam', 0.01),
    ],
  },
  // compare mode: six runs, each its own optimizer and regularization, one set of dispatches
  compare: {
    runs: [
      optimizerCase('sgd', 0.1),
      optimizerCase('momentum', 0.05, { reg: { l2: 1e-3 } }),
      optimizerCase('nesterov', 0.05, { reg: { l1: 1e-3 }, clipNorm: 0.5 }),
      optimizerCase('adagrad', 0.05, { reg: { l1Act: 1e-3 } }),
      optimizerCase('rmsprop', 0.005, { reg: { decayBiases: true, l2: 1e-3 } }),
      optimizerCase('adam', 0.01, COSINE_150),
    ],
  },
  // regression with MSE, Gaussian dropout and Gaussian input noise (host-augmented batches)
  regression: {
    patch: both(
      layers({ dropout: 0.1 }),
      optimizerCase('adam', 0.01, {
        data: { name: 'regGauss', augmentNoise: 0.05 },
        model: { loss: 'mse', dropoutKind: 'gaussian' },
      }),
    ),
  },
  // decision points: reduce-on-plateau, early stopping with restore, a maxEpochs budget
  stopping: {
    runs: [
      patch({
        schedule: { kind: 'plateau', patience: 1 },
        earlyStop: { enabled: true, patience: 3, minDelta: 1e-3, restoreBest: true },
      }),
      patch({ maxEpochs: 12 }),
    ],
  },
  // live changes halfway (setHyper on both sides): optimizer switch (state cleared), batch size,
  // dropout switched on, L2, learning rate
  live: {
    runs: [optimizerCase('sgd', 0.1), optimizerCase('momentum', 0.05)],
    midway: both(
      (c) => {
        c.optimizer.name = c.optimizer.name === 'sgd' ? 'adam' : 'momentum';
      },
      patch({ optimizer: { lr: 0.02 }, batchSize: 32, reg: { l2: 1e-3 } }),
      layers({ dropout: 0.15 }),
    ),
  },
  // the schedule's clock across a live batch-size change mid-epoch (16 -> 32 at step 81, epoch 8.1):
  // both sides keep the accumulated epoch progress, step by step the same lr (issue 11 §2)
  clock: { per: 27, runs: CLOCK_SCHEDULES, midway: patch({ batchSize: 32 }) },
  // the same change with 16 samples left in the epoch (step 99, epoch 9.9): its last step takes the
  // epoch's last 32 samples, a full batch for the GPU's buffers, and the clock reaches epoch 10
  'clock-end': { per: 33, runs: CLOCK_SCHEDULES.slice(0, 2), midway: patch({ batchSize: 32 }) },
  // divergence: the windowed blow-up rule (lr 50, 1e6) stops the run at the same step; an update that
  // overflows the weights while the loss is still finite (momentum 1e38) restores the last finite ones
  divergence: {
    runs: [
      optimizerCase('sgd', 50),
      optimizerCase('sgd', 1e6),
      optimizerCase('sgd', 0.1),
      optimizerCase('momentum', 1e20, { optimizer: { momentum: 1e38 } }),
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
      optimizerCase('adagrad', 0.05, { optimizer: { initialAccumulator: 0.1 } }),
      optimizerCase('sgd', 0.1, { optimizer: { initialAccumulator: 0.1 } }),
    ],
    midway: patch({ optimizer: { name: 'adagrad', lr: 0.05 } }),
  },
};
