// The Dataset every run trains on, and makeDataset(): generator -> seeded train/validation split
// -> preprocessing fitted on the training split. Everything random comes from the 'data' stream
// of the master seed, so the same (config, seed) always gives the same points in the same order.
//
// Shapes: xTrain[nTrain, inputDim], xVal[nVal, inputDim] (model inputs, after preprocessing);
// labels Int32Array[n] (classification) or targets Float32Array[n, outputDim] (regression).
import { applyPreprocess, fitPreprocess, type Preprocessor } from '../preprocess';
import { Rng, shuffleInPlace, streamSeed } from '../rng';
import type { DataConfig, DatasetName } from '../types';
import { type DigitsData, digitsRaw } from './digits';
import { CLASSIFICATION_2D, REGRESSION_2D } from './generators2d';
import { valCount } from './split';
import type { Bounds, RawData } from './types';

interface DatasetBase {
  /** 'custom': points imported from a file (src/config/pointsCsv.ts), not made from a DataConfig. */
  name: DatasetName | 'custom';
  inputDim: number;
  outputDim: number;
  nTrain: number;
  nVal: number;
  /** Model inputs (preprocessed): [nTrain, inputDim], [nVal, inputDim]. */
  xTrain: Float32Array;
  xVal: Float32Array;
  /**
   * Raw inputs before preprocessing (same arrays as xTrain/xVal when preprocess is 'none'):
   * scatter plots draw these; digit affine augmentation warps these before preprocessing.
   */
  xTrainRaw: Float32Array;
  xValRaw: Float32Array;
  /** Maps raw inputs to model inputs (apply to grid points of a boundary plot); null = identity. */
  preprocessor: Preprocessor | null;
  /** 2D sets only: the view box in raw coordinates. */
  bounds?: Bounds;
  /** Image sets only: each input row is a [height, width] image, row-major, values in [0, 1]. */
  image?: { width: number; height: number };
}

export interface ClassificationDataset extends DatasetBase {
  kind: 'classification';
  /** Number of classes C (= outputDim). */
  classes: number;
  yTrain: Int32Array;
  yVal: Int32Array;
}

export interface RegressionDataset extends DatasetBase {
  kind: 'regression';
  /** 0 for regression. */
  classes: 0;
  /** Targets [n, outputDim]. */
  yTrain: Float32Array;
  yVal: Float32Array;
}

export type Dataset = ClassificationDataset | RegressionDataset;

export { valCount } from './split';

/** Checks the fields makeDataset relies on; the message names the bad field. */
export function validateDataConfig(cfg: DataConfig): void {
  const known = [...Object.keys(CLASSIFICATION_2D), ...Object.keys(REGRESSION_2D), 'digits'];
  if (!known.includes(cfg.name))
    throw new Error(`data.name: unknown dataset '${cfg.name}' (one of ${known.join(', ')})`);
  if (!(cfg.noise >= 0 && cfg.noise <= 1)) throw new Error(`data.noise must be in [0, 1], got ${cfg.noise}`);
  if (!(Number.isInteger(cfg.samples) && cfg.samples >= 2))
    throw new Error(`data.samples must be an integer >= 2, got ${cfg.samples}`);
  if (!(cfg.valFraction >= 0 && cfg.valFraction <= 0.9))
    throw new Error(`data.valFraction must be in [0, 0.9], got ${cfg.valFraction}`);
  if (cfg.name === 'blobs' && !(Number.isInteger(cfg.classes) && cfg.classes >= 2 && cfg.classes <= 5))
    throw new Error(`data.classes must be an integer in 2..5 for blobs, got ${cfg.classes}`);
  if (!['none', 'standardize', 'whiten'].includes(cfg.preprocess))
    throw new Error(`data.preprocess: unknown '${cfg.preprocess}' (none, standardize, whiten)`);
  if (!['random', 'byClass'].includes(cfg.order))
    throw new Error(`data.order: unknown '${cfg.order}' (random, byClass)`);
  if (!(cfg.augmentNoise >= 0)) throw new Error(`data.augmentNoise must be >= 0, got ${cfg.augmentNoise}`);
}

/** Copy rows `idx` of x[n, d] into a new [idx.length, d] array. */
function gatherRows(x: Float32Array, d: number, idx: Int32Array): Float32Array {
  const out = new Float32Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) out.set(x.subarray(idx[r] * d, idx[r] * d + d), r * d);
  return out;
}

/**
 * Build the dataset of `cfg` from the master seed. 2D sets are generated; 'digits' needs the
 * images, parsed by the caller (workers/digits.ts loads them) and passed as `digits`.
 * Preprocessing statistics come from the training split only.
 */
export function makeDataset(cfg: DataConfig, masterSeed: number, digits?: DigitsData): Dataset {
  validateDataConfig(cfg);
  const rng = new Rng(streamSeed(masterSeed, 'data'));
  const nVal = valCount(cfg.samples, cfg.valFraction);
  let raw: RawData;
  if (cfg.name === 'digits') {
    if (!digits) throw new Error("data.name 'digits': the images are not loaded; pass them to makeDataset");
    raw = digitsRaw(digits, cfg.samples - nVal, nVal, rng);
  } else {
    const name = cfg.name;
    raw =
      name === 'regPlane' || name === 'regGauss'
        ? REGRESSION_2D[name].generate(cfg.samples, cfg.noise, rng)
        : CLASSIFICATION_2D[name].generate(cfg.samples, cfg.noise, rng, cfg.classes);
    // Generators emit points grouped by class: a seeded permutation makes the split random.
    const perm = new Int32Array(cfg.samples);
    for (let i = 0; i < perm.length; i++) perm[i] = i;
    shuffleInPlace(perm, rng);
    raw = permuteRaw(raw, perm);
  }
  if (cfg.order === 'byClass') raw = sortTrainByClass(raw, cfg.samples - nVal);
  return finishDataset(cfg, raw, nVal);
}

/**
 * Stable sort of the first nTrain rows (the training split) by label; the validation rows
 * stay where they are, so the split and the validation set are those of order 'random'.
 * Regression targets have no classes: the rows are returned unchanged.
 */
function sortTrainByClass(raw: RawData, nTrain: number): RawData {
  const y = raw.y;
  if (!(y instanceof Int32Array)) return raw;
  const perm = new Int32Array(y.length);
  for (let i = 0; i < perm.length; i++) perm[i] = i;
  perm.subarray(0, nTrain).sort((a, b) => y[a] - y[b] || a - b);
  return permuteRaw(raw, perm);
}

function permuteRaw(raw: RawData, perm: Int32Array): RawData {
  const x = gatherRows(raw.x, raw.inputDim, perm);
  const y =
    raw.y instanceof Int32Array
      ? Int32Array.from(perm, (i) => (raw.y as Int32Array)[i])
      : gatherRows(raw.y as Float32Array, raw.outputDim, perm);
  return { ...raw, x, y };
}

/** Split rows [0, n-nVal) as training and the rest as validation, then preprocess. */
function finishDataset(cfg: DataConfig, raw: RawData, nVal: number): Dataset {
  const n = raw.x.length / raw.inputDim;
  const nTrain = n - nVal;
  const D = raw.inputDim;
  const xTrainRaw = raw.x.slice(0, nTrain * D);
  const xValRaw = raw.x.slice(nTrain * D);
  const preprocessor = cfg.preprocess === 'none' ? null : fitPreprocess(cfg.preprocess, xTrainRaw, nTrain, D);
  const xTrain = preprocessor ? applyPreprocess(preprocessor, xTrainRaw, nTrain) : xTrainRaw;
  const xVal = preprocessor ? applyPreprocess(preprocessor, xValRaw, nVal) : xValRaw;
  const base = {
    name: cfg.name,
    inputDim: D,
    outputDim: raw.outputDim,
    nTrain,
    nVal,
    xTrain,
    xVal,
    xTrainRaw,
    xValRaw,
    preprocessor,
    bounds: raw.bounds,
    image: raw.image,
  };
  if (raw.y instanceof Int32Array) {
    return {
      ...base,
      kind: 'classification',
      classes: raw.classes,
      yTrain: raw.y.slice(0, nTrain),
      yVal: raw.y.slice(nTrain),
    };
  }
  const O = raw.outputDim;
  return { ...base, kind: 'regression', classes: 0, yTrain: raw.y.slice(0, nTrain * O), yVal: raw.y.slice(nTrain * O) };
}
