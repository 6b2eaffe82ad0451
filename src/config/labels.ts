// Display names of enum values, shared by the controls, the status line and exports.
import type { DatasetName, OptimizerName } from '../engine/types';

export const OPTIMIZER_LABELS: Record<OptimizerName, string> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  nesterov: 'Nesterov',
  adagrad: 'Adagrad',
  rmsprop: 'RMSprop',
  adam: 'Adam',
  adamw: 'AdamW',
};

export const DATASET_LABELS: Record<DatasetName, string> = {
  circle: 'Circle',
  xor: 'XOR',
  blobs: 'Blobs',
  spiral: 'Spiral',
  moons: 'Moons',
  checkerboard: 'Checkerboard',
  regPlane: 'Plane (reg.)',
  regGauss: 'Bump (reg.)',
  digits: 'Digits',
};
