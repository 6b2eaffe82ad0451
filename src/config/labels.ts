// Display names of enum values: the one place they are spelled, for the controls, the compare
// set's slot labels, the status line and exports. Plain data without React, so non-UI modules
// (src/compare, src/state) import it too.
import type { DatasetName } from '../engine/types';

/** Optimizer display names: each spec's label (src/engine/optimizers/registry.ts). */
export { OPTIMIZER_LABELS } from '../engine/optimizers/registry';

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
