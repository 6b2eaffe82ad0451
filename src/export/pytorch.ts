// "Continue in PyTorch": a self-contained Python script that trains the same experiment in a
// real framework. Same data (embedded exactly, raw, then preprocessed by NumPy code that mirrors
// engine/preprocess.ts), same architecture, init scheme, loss, regularization, optimizer and
// schedule, clipping, early stopping. Random streams (initial weights, batch order, dropout masks,
// noise) come from torch's generator seeded with the run's seed, so curves agree in distribution,
// not bit for bit, unless the run's initial weights and batch order are embedded (PytorchOptions):
// then, without dropout or input noise, the script replays the run step for step, which
// pytorchRun.test.ts checks in PyTorch itself.
//
// The data is embedded rather than regenerated: the 2D generators are seeded by Descent's own
// mulberry32 streams, and a NumPy port of each generator would be a second implementation to keep
// in step. Embedding the exact points the browser trained on is exact by construction.
import { buildLayout } from '../engine/layout';
import type { TrainConfig } from '../engine/types';
import { pyBool, pyFloat, pyInt, pyIntList, pyMatrix, pyStr } from './pyLiteral';
import { l1ProxLines, optimizerConstants, optimizerLines, scheduleLines } from './pytorchOptim';
import { AUGMENT_LINES, MODEL_LINES, PREPROCESS_LINES, TRAIN_LINES } from './pytorchTemplate';

/** The subset of the engine's Dataset the script needs (raw inputs: the script preprocesses). */
export interface ExportDataset {
  name: string;
  kind: 'classification' | 'regression';
  inputDim: number;
  outputDim: number;
  classes: number;
  nTrain: number;
  nVal: number;
  /** Raw inputs before preprocessing: [nTrain, inputDim], [nVal, inputDim]. */
  xTrainRaw: Float32Array;
  xValRaw: Float32Array;
  /** Labels Int32Array[n] or targets Float32Array[n, outputDim]. */
  yTrain: Int32Array | Float32Array;
  yVal: Int32Array | Float32Array;
  image?: { width: number; height: number };
}

export interface PytorchOptions {
  /** Epochs to train when the config has no limit (maxEpochs = 0). */
  defaultEpochs?: number;
  /** First line of the docstring, e.g. the lesson title. */
  title?: string;
  /**
   * The run's initial parameters theta[P] in the engine's layout (Run.getParams() before any step):
   * the script starts from them instead of drawing its own.
   */
  initialTheta?: Float32Array;
  /**
   * The engine's training order of each epoch (epochOrder of the run's shuffle stream), epoch 1 first:
   * with initialTheta and no dropout or augmentation the script replays the run step for step.
   */
  batchOrder?: ArrayLike<number>[];
}

/** A file name for the script, e.g. "descent_circle_adam.py". */
export function pytorchFileName(cfg: TrainConfig): string {
  return `descent_${cfg.data.name}_${cfg.optimizer.name}.py`;
}

/** Pixel bytes when every value is exactly k/255 (image sets), else null. */
function asBytes(x: Float32Array): Uint8Array | null {
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const b = Math.round(x[i] * 255);
    if (b < 0 || b > 255 || Math.fround(b / 255) !== x[i]) return null;
    out[i] = b;
  }
  return out;
}

/** Base64 of bytes as a parenthesized run of Python string literals, 96 characters per line. */
function pyBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const b64 = btoa(bin);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 96) lines.push(`    "${b64.slice(i, i + 96)}"`);
  return `(\n${lines.join('\n')}\n)`;
}

function inputLines(name: string, x: Float32Array, n: number, D: number): string[] {
  const bytes = D > 16 ? asBytes(x) : null;
  if (bytes) {
    // Images: pixel bytes k in 0..255, and x = k/255 exactly as the engine computes it (float64, then float32).
    return [
      `${name}_BYTES = ${pyBase64(bytes)}`,
      `${name} = (np.frombuffer(base64.b64decode(${name}_BYTES), dtype=np.uint8).reshape(${n}, ${D}) / 255.0).astype(np.float32)`,
    ];
  }
  return [`${name} = np.array(${pyMatrix(x, n, D, 4, D <= 4 ? 4 : 1)}, dtype=np.float32)  # [${n}, ${D}]`];
}

function dataLines(d: ExportDataset): string[] {
  const D = d.inputDim;
  const labels = (y: Int32Array | Float32Array, n: number, name: string): string =>
    d.kind === 'classification'
      ? `${name} = np.array(${pyIntList(y, 4, 20)}, dtype=np.int64)  # [${n}] class labels 0..${d.classes - 1}`
      : `${name} = np.array(${pyMatrix(y, n, d.outputDim, 4, 4)}, dtype=np.float32)  # [${n}, ${d.outputDim}] targets`;
  return [
    `# The exact ${pyStr(d.name)} samples the browser trained on (raw, before preprocessing).`,
    ...inputLines('X_TRAIN', d.xTrainRaw, d.nTrain, D),
    labels(d.yTrain, d.nTrain, 'Y_TRAIN'),
    ...inputLines('X_VAL', d.xValRaw, d.nVal, D),
    labels(d.yVal, d.nVal, 'Y_VAL'),
  ];
}

function layerLiteral(cfg: TrainConfig): string[] {
  return cfg.model.hidden.map(
    (h) =>
      `    {"units": ${pyInt(h.units)}, "activation": ${pyStr(h.activation)}, "dropout": ${pyFloat(h.dropout)}, "batch_norm": ${pyBool(h.batchNorm)}},`,
  );
}

/** INIT_THETA and BATCH_ORDER: the exact replay of a run, or None (the script draws its own). */
function replayLines(d: ExportDataset, opts: PytorchOptions): string[] {
  const theta = opts.initialTheta;
  const order = opts.batchOrder;
  for (const [e, o] of (order ?? []).entries())
    if (o.length !== d.nTrain) throw new Error(`batchOrder[${e}] has ${o.length} indices, nTrain is ${d.nTrain}`);
  return [
    '# Exact replay of the browser run (optional): its initial weights (float32, little-endian) and the',
    "# order in which each epoch visited the training samples. None = draw them from torch's generator.",
    theta
      ? `INIT_THETA = np.frombuffer(base64.b64decode(${pyBase64(new Uint8Array(theta.buffer, theta.byteOffset, theta.byteLength))}), dtype="<f4")`
      : 'INIT_THETA = None',
    order
      ? `BATCH_ORDER = [\n${order.map((o) => `    [${Array.from(o, pyInt).join(', ')}],`).join('\n')}\n]`
      : 'BATCH_ORDER = None',
  ];
}

function constantLines(cfg: TrainConfig, d: ExportDataset, epochs: number): string[] {
  // engine/loop.ts: B = min(batchSize, nTrain), floor(nTrain / B) full batches per epoch.
  const batch = Math.min(cfg.batchSize, d.nTrain);
  const stepsPerEpoch = Math.floor(d.nTrain / batch);
  return [
    `SEED = ${pyInt(cfg.seed)}`,
    `CLASSIFICATION = ${pyBool(d.kind === 'classification')}`,
    `OUTPUT_DIM = ${pyInt(d.outputDim)}  # ${d.kind === 'classification' ? 'classes C (logits)' : 'regression targets'}`,
    `PREPROCESS = ${pyStr(cfg.data.preprocess)}  # "none" | "standardize" | "whiten" (statistics of the training split)`,
    `SHUFFLE = ${pyBool(cfg.data.shuffle)}  # new minibatch order every epoch`,
    `AUGMENT_NOISE = ${pyFloat(cfg.data.augmentNoise)}  # std of Gaussian noise added to each training input`,
    `AUGMENT_AFFINE = ${pyBool(cfg.data.augmentAffine && d.image !== undefined)}  # random shift/rotation/scale of images`,
    `IMAGE_HW = ${d.image ? `(${pyInt(d.image.height)}, ${pyInt(d.image.width)})` : 'None'}`,
    '',
    '# Hidden layers, input to output: z = x W^T + b -> [batch norm] -> activation -> [dropout].',
    'HIDDEN = [',
    ...layerLiteral(cfg),
    ']',
    `INIT = ${pyStr(cfg.model.init)}  # weights ~ N(0, (INIT_SCALE*s)^2): xavier s = sqrt(2/(I+O)), he s = sqrt(2/I)`,
    `INIT_SCALE = ${pyFloat(cfg.model.initScale)}`,
    `DROPOUT_KIND = ${pyStr(cfg.model.dropoutKind)}  # "bernoulli" (inverted) or "gaussian" (mask ~ N(1, q/p))`,
    `BN_MOMENTUM = ${pyFloat(cfg.model.bnMomentum)}  # Descent: run = m*run + (1-m)*batch; torch's momentum is 1-m`,
    `BN_EPS = ${pyFloat(cfg.model.bnEps)}`,
    '',
    `L2 = ${pyFloat(cfg.reg.l2)}  # eta in eta*||w||_2^2 (lecture eq. 1)`,
    `L1 = ${pyFloat(cfg.reg.l1)}  # zeta1 in zeta1*||w||_1 (eq. 2)`,
    `L1_ACT = ${pyFloat(cfg.reg.l1Act)}  # zeta2 in zeta2*||h||_1 over hidden activations, per sample (eq. 3)`,
    `DECAY_BIASES = ${pyBool(cfg.reg.decayBiases)}  # also penalize biases and batch-norm gamma/beta`,
    '',
    ...optimizerConstants(cfg.optimizer),
    '',
    `BATCH_SIZE = ${pyInt(batch)}${batch < cfg.batchSize ? `  # the config asks ${cfg.batchSize}, capped at the training-set size` : ''}`,
    `STEPS_PER_EPOCH = ${pyInt(stepsPerEpoch)}  # floor(N_TRAIN / BATCH_SIZE): every batch is full, the remainder is skipped`,
    `MAX_EPOCHS = ${pyInt(epochs)}${cfg.maxEpochs === 0 ? '  # the Descent config has no limit; pick your own' : ''}`,
    `CLIP_NORM = ${pyFloat(cfg.clipNorm)}  # rescale the global gradient norm to at most this (0 = off)`,
    `EARLY_STOP = ${pyBool(cfg.earlyStop.enabled)}`,
    `PATIENCE = ${pyInt(cfg.earlyStop.patience)}  # epochs without improvement before stopping`,
    `MIN_DELTA = ${pyFloat(cfg.earlyStop.minDelta)}  # an improvement must beat the best by more than this`,
    `RESTORE_BEST = ${pyBool(cfg.earlyStop.restoreBest)}`,
  ];
}

/** The whole script. `data` is the dataset the run trained on (engine Dataset fits). */
export function pytorchScript(cfg: TrainConfig, data: ExportDataset, opts: PytorchOptions = {}): string {
  if (cfg.model.loss === 'softmaxCE' && data.kind !== 'classification')
    throw new Error(`model.loss: softmaxCE needs a classification dataset, ${data.name} is regression`);
  // Every row must be there (a UI copy of an image set may hold only the rows it displays).
  for (const [field, x, n] of [
    ['xTrainRaw', data.xTrainRaw, data.nTrain],
    ['xValRaw', data.xValRaw, data.nVal],
  ] as const)
    if (x.length !== n * data.inputDim)
      throw new Error(`data.${field}: ${x.length} values, the export needs all ${n} rows x ${data.inputDim} inputs`);
  if (opts.initialTheta && opts.initialTheta.length !== buildLayout(cfg.model, data.inputDim, data.outputDim).size)
    throw new Error(`initialTheta: ${opts.initialTheta.length} values do not fit the config's network`);
  const epochs = cfg.maxEpochs > 0 ? cfg.maxEpochs : (opts.defaultEpochs ?? 100);
  const title = opts.title ?? `Descent experiment: ${cfg.data.name}, ${cfg.optimizer.name}`;
  // data.order is written only when not 'random' (its default, which the config parser fills in):
  // scripts of configs from before the field existed stay byte-identical. The training order
  // itself is carried by X_TRAIN/Y_TRAIN, embedded in the order the run used.
  const { order, ...dataRest } = cfg.data;
  const configJson = JSON.stringify(order === 'random' ? { ...cfg, data: dataRest } : cfg, null, 2);
  const lines = [
    '#!/usr/bin/env python3',
    '"""',
    `${title}`,
    '',
    'Generated by Descent ("Continue in PyTorch"). Needs Python 3, NumPy and PyTorch:',
    '    pip install numpy torch',
    '    python3 this_file.py',
    '',
    'The same experiment as in the browser: data (embedded exactly), preprocessing, network, init scheme,',
    'loss, regularization, optimizer, learning-rate schedule, clipping and early stopping. The random',
    "streams (initial weights, batch order, dropout masks, input noise) come from torch's generator seeded",
    'with SEED, so the curves agree with the browser in distribution, not number for number; when the',
    "browser's initial weights and batch order are embedded (INIT_THETA, BATCH_ORDER) and there is no",
    'dropout or input noise, the run is the same step for step (up to float32 rounding).',
    'It prints one JSON line per epoch, like `npm run train` does for Descent.',
    '"""',
    'import base64',
    'import json',
    'import math',
    'import sys',
    '',
    'import numpy as np',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    '',
    '# The Descent config this script was generated from (for reference; the constants below are what runs).',
    `CONFIG = json.loads(r"""\n${configJson}\n""")`,
    '',
    ...constantLines(cfg, data, epochs),
    '',
    ...replayLines(data, opts),
    '',
    'torch.manual_seed(SEED)',
    '',
    '# ---------------------------------------------------------------------------------------------',
    '# Data',
    ...dataLines(data),
    '',
    ...PREPROCESS_LINES,
    '',
    ...(cfg.data.augmentAffine && data.image ? [...AUGMENT_LINES, ''] : []),
    '# ---------------------------------------------------------------------------------------------',
    '# Model',
    ...MODEL_LINES,
    '',
    '# ---------------------------------------------------------------------------------------------',
    '# Optimizer and learning-rate schedule',
    ...optimizerLines(cfg.optimizer),
    '',
    ...l1ProxLines(cfg.optimizer),
    '',
    ...scheduleLines(cfg),
    '',
    '# ---------------------------------------------------------------------------------------------',
    '# Training loop',
    ...TRAIN_LINES,
  ];
  return `${lines.join('\n')}\n`;
}
