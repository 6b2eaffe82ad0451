// Display names of enum values: the one place they are spelled, for the controls, the compare
// set's slot labels, the status line and exports. Plain data without React, so non-UI modules
// (src/compare, src/state) import it too.
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
