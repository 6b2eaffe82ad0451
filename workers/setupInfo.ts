// What create() tells the page about the runs it built (RunSetup, workers/protocol.ts): the
// network's layers with their offsets into theta (W: [units, inputs] at wOffset, b: [units] at
// bOffset), and the data as the page draws it (raw coordinates, or the first IMAGE_ROWS_SHOWN
// images of a split: a digits split is megabytes).
import type { Dataset, ParamLayout } from '../src/engine';
import type { TrainConfig } from '../src/engine/types';
import { type DatasetInfo, IMAGE_ROWS_SHOWN, type LayerInfo } from './protocol';

/** The built network's layers as the page sees them (cfg: the set's first config, for the dropout rates). */
export function layerInfos(layout: ParamLayout, cfg: TrainConfig): LayerInfo[] {
  return layout.layers.map((l) => ({
    inputs: l.inDim,
    units: l.outDim,
    activation: l.activation,
    batchNorm: l.batchNorm,
    dropout: l.hidden ? cfg.model.hidden[l.index].dropout : 0,
    wOffset: l.w,
    bOffset: l.b,
  }));
}

export function datasetInfo(ds: Dataset): DatasetInfo {
  const b = ds.bounds;
  const D = ds.inputDim;
  const shownTrain = ds.image ? Math.min(ds.nTrain, IMAGE_ROWS_SHOWN) : ds.nTrain;
  const shownVal = ds.image ? Math.min(ds.nVal, IMAGE_ROWS_SHOWN) : ds.nVal;
  return {
    name: ds.name,
    kind: ds.kind,
    inputDim: ds.inputDim,
    outputDim: ds.outputDim,
    classes: ds.classes,
    nTrain: ds.nTrain,
    nVal: ds.nVal,
    bounds: b ? [b.xMin, b.xMax, b.yMin, b.yMax] : null,
    image: ds.image ?? null,
    shownTrain,
    shownVal,
    // slice, not subarray: structured clone would copy a view's whole buffer.
    xTrain: shownTrain < ds.nTrain ? ds.xTrainRaw.slice(0, shownTrain * D) : ds.xTrainRaw,
    yTrain: ds.yTrain,
    xVal: shownVal < ds.nVal ? ds.xValRaw.slice(0, shownVal * D) : ds.xValRaw,
    yVal: ds.yVal,
  };
}
