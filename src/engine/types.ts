// The serializable configuration of one training run, shared by the engine, the worker,
// the URL hash and the UI. Plain data only (no functions), so it can cross postMessage,
// be written to JSON and be validated field by field.

export type Activation = 'relu' | 'leakyRelu' | 'elu' | 'tanh' | 'sigmoid' | 'linear';
export const ACTIVATION_NAMES: readonly Activation[] = ['relu', 'leakyRelu', 'elu', 'tanh', 'sigmoid', 'linear'];

export type Dataset2DName = 'circle' | 'xor' | 'blobs' | 'spiral' | 'moons' | 'checkerboard';
export type RegressionName = 'regPlane' | 'regGauss';
export type DatasetName = Dataset2DName | RegressionName | 'digits';

export type Preprocess = 'none' | 'standardize' | 'whiten';

/** Order of the training rows as the dataset delivers them (before any per-epoch shuffle). */
export type DataOrder = 'random' | 'byClass';
export const DATA_ORDERS: readonly DataOrder[] = ['random', 'byClass'];

export interface DataConfig {
  name: DatasetName;
  /** Label/position noise of the generator, 0..1 (2D sets). */
  noise: number;
  /** Total samples before the train/validation split. */
  samples: number;
  /** Classes for `blobs` (2..5); ignored elsewhere. */
  classes: number;
  /** Fraction of samples held out for validation, 0..0.9. */
  valFraction: number;
  preprocess: Preprocess;
  /** Reshuffle the training set at the start of every epoch. */
  shuffle: boolean;
  /**
   * Training-set order as delivered: 'random' (a seeded permutation) or 'byClass' (sorted by
   * label, as real datasets often arrive; with shuffle off each minibatch then holds one class).
   * Same split and validation set either way. Ignored for regression sets (no classes).
   */
  order: DataOrder;
  /** Std of Gaussian noise added to each training input every step (0 = off). */
  augmentNoise: number;
  /** Random affine (shift, rotation, scale) on digit images (ignored for 2D sets). */
  augmentAffine: boolean;
}

export type DropoutKind = 'bernoulli' | 'gaussian';

export interface LayerConfig {
  units: number;
  activation: Activation;
  /** Drop probability 1-p of the lecture's keep probability p; 0 = no dropout. Applied after the activation. */
  dropout: number;
  /** Batch normalization between the linear map and the activation. */
  batchNorm: boolean;
}

export type InitScheme = 'xavier' | 'he';
export type LossName = 'softmaxCE' | 'mse';

export interface ModelConfig {
  /** Hidden layers, input to output. The output layer is implied by the dataset (classes or targets). */
  hidden: LayerConfig[];
  init: InitScheme;
  /** Multiplies the scheme's standard deviation (the lecture's init-scale demos). */
  initScale: number;
  /**
   * Which initial weights: 0 draws them from the master seed's 'init' stream; k > 0 draws the
   * weights master seed + k would give, with this seed's data and minibatch order (one member
   * of a seed band: rng.ts initStreamSeed).
   */
  initSeed: number;
  loss: LossName;
  dropoutKind: DropoutKind;
  /** Batch norm running-statistics momentum: run = m*run + (1-m)*batch. */
  bnMomentum: number;
  bnEps: number;
}

export interface RegConfig {
  /** eta in eta*||w||^2 (lecture eq. 1). */
  l2: number;
  /** zeta1 in zeta1*||w||_1 (eq. 2). */
  l1: number;
  /** zeta2 in zeta2*||h||_1 over hidden activations, averaged over the batch (eq. 3). */
  l1Act: number;
  /** Apply L2/L1 to biases and batch-norm gamma/beta too (default false). */
  decayBiases: boolean;
}

// The optimizer's name and hyperparameters come from the registry (optimizers/registry.ts, with
// each hyperparameter's meaning in optimizers/hypers.ts).
import type { OptimizerConfig } from './optimizers/registry';

export type { HyperKey, OptimizerHypers } from './optimizers/hypers';
export { OPTIMIZER_NAMES, type OptimizerConfig, type OptimizerName } from './optimizers/registry';

export type ScheduleKind = 'constant' | 'step' | 'plateau' | 'exponential' | 'inverse' | 'warmup' | 'cosine';

export interface ScheduleConfig {
  kind: ScheduleKind;
  /** step: multiply by `factor` every `every` epochs. plateau: multiply by `factor`. */
  every: number;
  factor: number;
  /** plateau: epochs without validation improvement (by more than minDelta of early stopping) before reducing. */
  patience: number;
  /** exponential: eps_t = eps0 * eta^t, t in epochs (fractional). */
  eta: number;
  /** inverse: eps_t = eps0 / (1 + K t), t in epochs (fractional). */
  k: number;
  /** warmup: linear from 0 to eps0 over warmupSteps steps, then constant. */
  warmupSteps: number;
  /** cosine: from eps0 to minLr over totalSteps steps, then minLr. */
  totalSteps: number;
  minLr: number;
}

export interface EarlyStopConfig {
  enabled: boolean;
  /** Epochs without improvement of validation loss by more than minDelta before stopping. */
  patience: number;
  minDelta: number;
  restoreBest: boolean;
}

export interface TrainConfig {
  version: 1;
  /** Master seed; per-purpose streams are derived from it (see rng.ts). */
  seed: number;
  data: DataConfig;
  model: ModelConfig;
  reg: RegConfig;
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
  earlyStop: EarlyStopConfig;
  batchSize: number;
  /** Clip the global gradient L2 norm to this value (0 = off). */
  clipNorm: number;
  /** Stop after this many epochs (0 = no limit). */
  maxEpochs: number;
}

/** Seeded streams: one per purpose, so changing e.g. the dropout seed never changes the data. */
export type StreamName = 'data' | 'init' | 'shuffle' | 'dropout' | 'augment';
