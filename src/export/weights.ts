// Trained weights as JSON: one entry per dense layer with W as rows ([O][I], the layout's
// row-major W[O, I]), b, and gamma/beta for batch norm, plus what is needed to rebuild the
// network. Values are float32 written in their shortest exact decimal form.
import { buildLayout } from '../engine/layout';
import type { TrainConfig } from '../engine/types';

export interface WeightsFile {
  format: 'descent-weights';
  version: 1;
  inputDim: number;
  outputDim: number;
  params: number;
  config: TrainConfig;
  layers: {
    index: number;
    hidden: boolean;
    activation: string;
    inDim: number;
    outDim: number;
    /** [O][I] */
    W: number[][];
    b: number[];
    gamma?: number[];
    beta?: number[];
    runMean?: number[];
    runVar?: number[];
  }[];
}

const f32 = (v: number) => Number(Math.fround(v).toPrecision(9));

/** The weights file of parameters theta[P] (and optional batch-norm running statistics). */
export function weightsFile(
  cfg: TrainConfig,
  inputDim: number,
  outputDim: number,
  theta: Float32Array,
  bnStats?: Float32Array,
): WeightsFile {
  const layout = buildLayout(cfg.model, inputDim, outputDim);
  if (theta.length !== layout.size)
    throw new Error(`weights: got ${theta.length} parameters, the config's network has ${layout.size}`);
  const vec = (off: number, n: number, src = theta) => Array.from(src.subarray(off, off + n), f32);
  return {
    format: 'descent-weights',
    version: 1,
    inputDim,
    outputDim,
    params: layout.size,
    config: cfg,
    layers: layout.layers.map((L) => ({
      index: L.index,
      hidden: L.hidden,
      activation: L.activation,
      inDim: L.inDim,
      outDim: L.outDim,
      W: Array.from({ length: L.outDim }, (_, o) => vec(L.w + o * L.inDim, L.inDim)),
      b: vec(L.b, L.outDim),
      ...(L.batchNorm ? { gamma: vec(L.gamma, L.outDim), beta: vec(L.beta, L.outDim) } : {}),
      ...(L.batchNorm && bnStats
        ? { runMean: vec(L.stats, L.outDim, bnStats), runVar: vec(L.stats + L.outDim, L.outDim, bnStats) }
        : {}),
    })),
  };
}
