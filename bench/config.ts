// The engine-side form of a training workload, shared by the page's Descent rows (descentImpl.ts)
// and the Node measurements (wasmNode.ts): one TrainConfig per run and the synthetic set as a Dataset.
import { type ClassificationDataset, defaultConfig, type TrainConfig } from '../src/engine';
import { benchSplit } from './measure';
import { type BenchOptimizer, OPT_HYPER, type Workload } from './tasks';

/** The TrainConfig of one run of a workload: plain MLP, softmax CE, no regularization, no shuffle. */
export function benchConfig(w: Workload, opt: BenchOptimizer, run = 0): TrainConfig {
  const cfg = defaultConfig();
  cfg.seed = 1;
  cfg.data = {
    ...cfg.data,
    name: w.widths[0] === 2 ? 'circle' : 'digits',
    samples: w.samples + Math.floor(w.samples / 4),
  };
  // The TF.js side cycles through the batches in order; so does Descent here.
  cfg.data.shuffle = false;
  cfg.model.hidden = w.widths
    .slice(1, -1)
    .map((units) => ({ units, activation: w.hiddenActivation, dropout: 0, batchNorm: false }));
  cfg.model.loss = 'softmaxCE';
  cfg.batchSize = w.batch;
  cfg.optimizer = {
    ...cfg.optimizer,
    name: opt,
    lr: OPT_HYPER.lr[opt] * (w.lrScale?.[run] ?? 1),
    momentum: OPT_HYPER.mu,
    rho: OPT_HYPER.rho,
    beta1: OPT_HYPER.beta1,
    beta2: OPT_HYPER.beta2,
    eps: OPT_HYPER.eps,
  };
  return cfg;
}

/** The workload's synthetic set as an engine Dataset (the same arrays the TF.js side trains on). */
export function benchDataset(w: Workload): ClassificationDataset {
  const d = benchSplit(w);
  return {
    kind: 'classification',
    name: d.I === 2 ? 'circle' : 'digits',
    inputDim: d.I,
    outputDim: d.C,
    classes: d.C,
    nTrain: d.nTrain,
    nVal: d.nVal,
    xTrain: d.xTrain,
    xVal: d.xVal,
    xTrainRaw: d.xTrain,
    xValRaw: d.xVal,
    preprocessor: null,
    yTrain: d.yTrain,
    yVal: d.yVal,
  };
}
