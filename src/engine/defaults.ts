// The default run: what a new user sees first. A small net on a 2D set that learns in seconds.
import { defaultHypers } from './optimizers/hypers';
import type { LayerConfig, TrainConfig } from './types';

export const DEFAULT_LAYER: LayerConfig = { units: 8, activation: 'tanh', dropout: 0, batchNorm: false };

export const DEFAULT_CONFIG: TrainConfig = {
  version: 1,
  seed: 1,
  data: {
    name: 'circle',
    noise: 0.1,
    samples: 400,
    classes: 3,
    valFraction: 0.3,
    preprocess: 'none',
    shuffle: true,
    order: 'random',
    augmentNoise: 0,
    augmentAffine: false,
  },
  model: {
    hidden: [
      { units: 8, activation: 'tanh', dropout: 0, batchNorm: false },
      { units: 8, activation: 'tanh', dropout: 0, batchNorm: false },
    ],
    init: 'xavier',
    initScale: 1,
    initSeed: 0,
    loss: 'softmaxCE',
    dropoutKind: 'bernoulli',
    bnMomentum: 0.9,
    bnEps: 1e-5,
  },
  reg: { l2: 0, l1: 0, l1Act: 0, decayBiases: false },
  // every hyperparameter at its default (optimizers/hypers.ts: lr 0.1, mu 0.9, b1 0.9, b2 0.999, ...)
  optimizer: { name: 'sgd', ...defaultHypers() },
  schedule: {
    kind: 'constant',
    every: 10,
    factor: 0.5,
    patience: 5,
    eta: 0.95,
    k: 0.05,
    warmupSteps: 100,
    totalSteps: 2000,
    minLr: 0,
  },
  earlyStop: { enabled: false, patience: 10, minDelta: 1e-4, restoreBest: true },
  batchSize: 16,
  clipNorm: 0,
  maxEpochs: 0,
};

/** A deep copy, so callers can mutate freely. */
export function defaultConfig(): TrainConfig {
  return structuredClone(DEFAULT_CONFIG);
}
