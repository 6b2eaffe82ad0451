// The field table of TrainConfig: one row per leaf, read by the parser (schema.ts), the URL
// codec (urlHash.ts) and the controls (label + one-line help). Adding a field to TrainConfig
// means adding one row here; the defaults stay in src/engine/defaults.ts.

import { HYPERS } from '../engine/optimizers/hypers';
import {
  ACTIVATION_NAMES,
  DATA_ORDERS,
  type DatasetName,
  type InitScheme,
  type LossName,
  OPTIMIZER_NAMES,
  type Preprocess,
  type ScheduleKind,
} from '../engine/types';

interface FieldBase {
  /** Dotted path inside TrainConfig, e.g. 'optimizer.lr'; layer fields are relative to one layer. */
  path: string;
  /** Short key in the URL hash (TensorFlow Playground style: readable, stable). */
  key: string;
  label: string;
  /** One line, shown on hover and focus. */
  help: string;
}
export interface NumberField extends FieldBase {
  kind: 'number';
  min: number;
  max: number;
  integer?: boolean;
  /** Controls use a log slider (learning rates, epsilons, penalties). */
  log?: boolean;
}
export interface EnumField extends FieldBase {
  kind: 'enum';
  values: readonly string[];
}
export interface BooleanField extends FieldBase {
  kind: 'boolean';
}
export type Field = NumberField | EnumField | BooleanField;

export const DATASET_NAMES: readonly DatasetName[] = [
  'circle',
  'xor',
  'blobs',
  'spiral',
  'moons',
  'checkerboard',
  'regPlane',
  'regGauss',
  'digits',
];
export const REGRESSION_DATASETS: readonly DatasetName[] = ['regPlane', 'regGauss'];
const PREPROCESS: readonly Preprocess[] = ['none', 'standardize', 'whiten'];
const INITS: readonly InitScheme[] = ['xavier', 'he'];
const LOSSES: readonly LossName[] = ['softmaxCE', 'mse'];
export const SCHEDULE_KINDS: readonly ScheduleKind[] = [
  'constant',
  'step',
  'plateau',
  'exponential',
  'inverse',
  'warmup',
  'cosine',
];

/** Limits of the network builder (the issue: up to 8 hidden layers of up to 512 units). */
export const MAX_HIDDEN_LAYERS = 8;
export const MAX_UNITS = 512;

const num = (
  path: string,
  key: string,
  min: number,
  max: number,
  label: string,
  help: string,
  opts: { integer?: boolean; log?: boolean } = {},
): NumberField => ({ kind: 'number', path, key, min, max, label, help, ...opts });
const int = (path: string, key: string, min: number, max: number, label: string, help: string) =>
  num(path, key, min, max, label, help, { integer: true });
const en = (path: string, key: string, values: readonly string[], label: string, help: string): EnumField => ({
  kind: 'enum',
  path,
  key,
  values,
  label,
  help,
});
const bool = (path: string, key: string, label: string, help: string): BooleanField => ({
  kind: 'boolean',
  path,
  key,
  label,
  help,
});

/** Every leaf of TrainConfig except `version` and the hidden-layer list. */
export const FIELDS: readonly Field[] = [
  int('seed', 'seed', 0, 4294967295, 'Seed', 'Master seed: the same seed gives the same data, weights and batches.'),
  // Data
  en('data.name', 'data', DATASET_NAMES, 'Dataset', 'Which problem to learn: 2D classification, regression or digits.'),
  num('data.noise', 'noise', 0, 1, 'Noise', 'How much the generator blurs the classes (0 = clean, 1 = very noisy).'),
  int('data.samples', 'n', 20, 5000, 'Samples', 'Total points generated, before the train/validation split.'),
  int('data.classes', 'classes', 2, 5, 'Classes', 'Number of blobs (only for the blobs dataset).'),
  num('data.valFraction', 'val', 0, 0.9, 'Validation', 'Fraction of the points held out to measure generalization.'),
  en(
    'data.preprocess',
    'prep',
    PREPROCESS,
    'Preprocess',
    'Standardize each input, or whiten (PCA), using train statistics only.',
  ),
  bool('data.shuffle', 'shuffle', 'Shuffle', 'Reshuffle the training set every epoch so batches differ.'),
  en(
    'data.order',
    'order',
    DATA_ORDERS,
    'Training order',
    'How the training set arrives: random, or sorted by class (regression sets: ignored).',
  ),
  num('data.augmentNoise', 'augNoise', 0, 2, 'Input noise', 'Gaussian noise added to every training input each step.'),
  bool(
    'data.augmentAffine',
    'augAffine',
    'Random affine',
    'Shift, rotate and scale digit images at random while training.',
  ),
  // Model
  en(
    'model.init',
    'init',
    INITS,
    'Init',
    'Xavier suits tanh/sigmoid, He suits ReLU: keeps activations from vanishing.',
  ),
  num(
    'model.initScale',
    'initScale',
    0,
    10,
    'Init scale',
    'Multiplies the initial weights: too small stalls, too big saturates.',
  ),
  int(
    'model.initSeed',
    'initSeed',
    0,
    65535,
    'Init seed',
    "Draw the initial weights of seed + this (same data and minibatches): 0 = the seed's own.",
  ),
  en('model.loss', 'loss', LOSSES, 'Loss', 'Softmax cross-entropy for classes, mean squared error for regression.'),
  en(
    'model.dropoutKind',
    'dropKind',
    ['bernoulli', 'gaussian'],
    'Dropout kind',
    'Drop units (Bernoulli) or multiply by Gaussian noise of the same variance.',
  ),
  num(
    'model.bnMomentum',
    'bnMom',
    0,
    0.999,
    'BN momentum',
    'How slowly batch norm running statistics follow the batch statistics.',
  ),
  num(
    'model.bnEps',
    'bnEps',
    1e-8,
    0.1,
    'BN epsilon',
    'Added to the batch variance so batch norm never divides by zero.',
    { log: true },
  ),
  // Regularization
  num('reg.l2', 'l2', 0, 1, 'L2 (η)', 'Weight decay η‖w‖²: pulls all weights towards zero, smooths the boundary.', {
    log: true,
  }),
  num('reg.l1', 'l1', 0, 1, 'L1 (ζ₁)', 'ζ₁‖w‖₁ on weights: drives many weights to exactly zero (sparsity).', {
    log: true,
  }),
  num('reg.l1Act', 'l1Act', 0, 1, 'L1 act. (ζ₂)', 'ζ₂‖h‖₁ on hidden activations: fewer units fire at once.', {
    log: true,
  }),
  bool(
    'reg.decayBiases',
    'decayBias',
    'Decay biases',
    'Apply L2/L1 to biases and batch-norm parameters too (usually off).',
  ),
  // Optimizer
  en('optimizer.name', 'opt', OPTIMIZER_NAMES, 'Optimizer', 'The rule that turns gradients into weight updates.'),
  // Each optimizer hyperparameter as the registry defines it (src/engine/optimizers/hypers.ts)
  ...HYPERS.map((h) =>
    num(`optimizer.${h.key}`, h.urlKey, h.min, h.max, h.label, h.help, {
      ...(h.log && { log: true }),
      ...(h.integer && { integer: true }),
    }),
  ),
  // Schedule
  en('schedule.kind', 'sched', SCHEDULE_KINDS, 'Schedule', 'How the learning rate changes over training (annealing).'),
  int(
    'schedule.every',
    'every',
    1,
    1000,
    'Every (epochs)',
    'Step decay: multiply the learning rate by the factor this often.',
  ),
  num('schedule.factor', 'factor', 0.01, 1, 'Factor', 'Step and plateau decay multiply the learning rate by this.'),
  int(
    'schedule.patience',
    'schedPatience',
    1,
    1000,
    'Plateau patience',
    'Epochs without validation improvement before reducing.',
  ),
  num('schedule.eta', 'eta', 0.5, 1, 'η (per epoch)', 'Exponential decay εₜ = ε₀·ηᵗ with t in epochs.'),
  num('schedule.k', 'k', 0, 10, 'K', 'Smooth decay εₜ = ε₀ / (1 + K·t) with t in epochs.', { log: true }),
  int('schedule.warmupSteps', 'warmup', 1, 100000, 'Warm-up steps', 'Rise linearly from 0 to ε₀ over this many steps.'),
  int(
    'schedule.totalSteps',
    'total',
    1,
    1000000,
    'Cosine steps',
    'Cosine decay from ε₀ to the minimum over this many steps.',
  ),
  num('schedule.minLr', 'minLr', 0, 10, 'Min. LR', 'Where cosine decay ends.', { log: true }),
  // Early stopping
  bool('earlyStop.enabled', 'es', 'Early stopping', 'Stop when validation loss has not improved for a while.'),
  int('earlyStop.patience', 'esPatience', 1, 1000, 'Patience', 'Epochs without improvement before stopping.'),
  num('earlyStop.minDelta', 'esDelta', 0, 1, 'Min. delta', 'An improvement smaller than this does not count.', {
    log: true,
  }),
  bool('earlyStop.restoreBest', 'esRestore', 'Restore best', 'On stopping, go back to the weights of the best epoch.'),
  // Loop
  int(
    'batchSize',
    'batch',
    1,
    1024,
    'Batch size',
    'Examples per gradient step: small is noisy, large is smooth and slower.',
  ),
  num('clipNorm', 'clip', 0, 1000, 'Clip norm', 'Rescale the gradient when its norm exceeds this (0 = off).'),
  int('maxEpochs', 'epochs', 0, 100000, 'Max. epochs', 'Stop after this many epochs (0 = no limit).'),
];

/** Fields of one hidden layer; paths are relative to `model.hidden[i]`. */
export const LAYER_FIELDS: readonly Field[] = [
  int('units', 'units', 1, MAX_UNITS, 'Units', 'Width of the layer: more units, more capacity (and more overfitting).'),
  en('activation', 'act', ACTIVATION_NAMES, 'Activation', 'The non-linearity after the linear map.'),
  num('dropout', 'd', 0, 0.9, 'Dropout', 'Probability of dropping each unit during training (0 = off).'),
  bool('batchNorm', 'bn', 'Batch norm', 'Normalize pre-activations with batch statistics (faster, higher LR).'),
];

/** Looks a field up by its path, e.g. fieldAt('optimizer.lr'). Throws on a typo: a programming error. */
export function fieldAt(path: string): Field {
  const f = FIELDS.find((x) => x.path === path) ?? LAYER_FIELDS.find((x) => x.path === path);
  if (!f) throw new Error(`no config field ${path}`);
  return f;
}
