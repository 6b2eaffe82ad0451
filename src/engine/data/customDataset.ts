// Imported points -> the engine's Dataset, split and preprocessed exactly as the built-in 2D
// sets are (src/engine/data/dataset.ts): a seeded permutation from the 'data' stream, the last
// valCount(n, valFraction) rows for validation, preprocessing fitted on the training rows only.
// The generator settings (name, noise, samples, classes) do not apply: the file is the data.
//
// Shapes: x[n, 2] raw points, labels[n]; xTrain[nTrain, 2], xVal[nVal, 2] after preprocessing.

import { applyPreprocess, fitPreprocess } from '../preprocess';
import { Rng, shuffleInPlace, streamSeed } from '../rng';
import type { DataConfig } from '../types';
import { type ClassificationDataset, valCount } from './dataset';
import type { ImportedPoints } from './points';

/** The view box: the points' extent plus 10% on each side (a flat axis gets +-1). */
export function pointBounds(x: Float32Array): { xMin: number; xMax: number; yMin: number; yMax: number } {
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < x.length; i += 2) {
    xMin = Math.min(xMin, x[i]);
    xMax = Math.max(xMax, x[i]);
    yMin = Math.min(yMin, x[i + 1]);
    yMax = Math.max(yMax, x[i + 1]);
  }
  const pad = (lo: number, hi: number): [number, number] => {
    const m = hi > lo ? 0.1 * (hi - lo) : 1;
    return [lo - m, hi + m];
  };
  const [x0, x1] = pad(xMin, xMax);
  const [y0, y1] = pad(yMin, yMax);
  return { xMin: x0, xMax: x1, yMin: y0, yMax: y1 };
}

/** Checks that `p` is a well-formed set of points (it may have crossed postMessage); throws naming the problem. */
export function validatePoints(p: ImportedPoints): void {
  const n = p.labels?.length ?? 0;
  if (!(p.x instanceof Float32Array) || !(p.labels instanceof Int32Array) || p.x.length !== 2 * n || n < 2)
    throw new Error('data.points: expected x[n, 2] and labels[n] with n >= 2');
  if (!(Number.isInteger(p.classes) && p.classes >= 2)) throw new Error('data.points: at least 2 classes are needed');
  for (const l of p.labels)
    if (!(l >= 0 && l < p.classes)) throw new Error(`data.points: label ${l} outside 0..${p.classes - 1}`);
  for (const v of p.x) if (!Number.isFinite(v)) throw new Error('data.points: a coordinate is not finite');
}

/** The dataset of imported points under the split and preprocessing settings of `cfg`. */
export function datasetFromPoints(p: ImportedPoints, cfg: DataConfig, masterSeed: number): ClassificationDataset {
  validatePoints(p);
  const n = p.labels.length;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  shuffleInPlace(perm, new Rng(streamSeed(masterSeed, 'data')));
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  perm.forEach((src, i) => {
    x[2 * i] = p.x[2 * src];
    x[2 * i + 1] = p.x[2 * src + 1];
    y[i] = p.labels[src];
  });
  const nVal = valCount(n, cfg.valFraction);
  const nTrain = n - nVal;
  const xTrainRaw = x.slice(0, 2 * nTrain);
  const xValRaw = x.slice(2 * nTrain);
  const preprocessor = cfg.preprocess === 'none' ? null : fitPreprocess(cfg.preprocess, xTrainRaw, nTrain, 2);
  return {
    name: 'custom',
    kind: 'classification',
    inputDim: 2,
    outputDim: p.classes,
    classes: p.classes,
    nTrain,
    nVal,
    xTrainRaw,
    xValRaw,
    xTrain: preprocessor ? applyPreprocess(preprocessor, xTrainRaw, nTrain) : xTrainRaw,
    xVal: preprocessor ? applyPreprocess(preprocessor, xValRaw, nVal) : xValRaw,
    preprocessor,
    bounds: pointBounds(p.x),
    yTrain: y.slice(0, nTrain),
    yVal: y.slice(nTrain),
  };
}
