// Types every data module shares: the generators, digits and imported points produce RawData,
// makeDataset turns it into a Dataset (dataset.ts). Kept apart so those modules import types from
// here and never from each other (no cycle inside the engine).

/** Axis-aligned view box of a 2D set in raw input coordinates (decision-boundary plots). */
export interface Bounds {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** Output of a generator (points grouped by class; makeDataset permutes and splits them). */
export interface RawData {
  /** [n, inputDim] */
  x: Float32Array;
  /** Int32Array[n] class labels, or Float32Array[n, outputDim] targets. */
  y: Int32Array | Float32Array;
  inputDim: number;
  outputDim: number;
  /** C for classification, 0 for regression. */
  classes: number;
  bounds?: Bounds;
  image?: { width: number; height: number };
}
