// Evaluation-mode passes outside training: a split's loss and accuracy (evaluate), the model's
// outputs at arbitrary points (predict: the decision-boundary grid), and the data loss at K
// arbitrary parameter vectors (lossAt: loss landscapes), where the K vectors become K "runs" of
// one evaluation pass (the run dimension again). Each is one submission and one mapAsync.
import { applyPreprocess } from '../../src/engine/preprocess';
import type { TrainConfig } from '../../src/engine/types';
import { readBuffer } from './buffers';
import type { EvalTarget } from './general';
import { hyperWords, packHyper } from './hyper';
import { EVAL_ENTRIES, type GpuModel } from './model';
import { STEP_SLOT_BYTES } from './pipelines';
import { makePlan, REC } from './plan';
import { encodeOps, type Op } from './resources';

/** Probe runs per lossAt pass. */
const PROBES = 8;

/** Write step entries for evaluation chunks of n rows (record slot 0) and encode `ops` once per chunk. */
function encodeChunks(m: GpuModel, enc: GPUCommandEncoder, ops: Op[], n: number): void {
  const chunks = Math.ceil(n / m.E);
  if (chunks > EVAL_ENTRIES) throw new Error(`evaluation of ${n} rows needs more than ${EVAL_ENTRIES} chunks`);
  const words = new Uint32Array(chunks * (STEP_SLOT_BYTES / 4));
  for (let j = 0; j < chunks; j++)
    words.set([0, j * m.E, Math.min(m.E, n - j * m.E), j === 0 ? 1 : 0], j * (STEP_SLOT_BYTES / 4));
  m.device.queue.writeBuffer(m.res.step, m.slots * STEP_SLOT_BYTES, words);
  const pass = enc.beginComputePass();
  for (let j = 0; j < chunks; j++) encodeOps(pass, ops, m.res.stepGroup, m.slots + j);
  pass.end();
}

/** Data loss and accuracy of every run on a split (engine evaluateSplit: NaN for an empty split). */
export async function evaluateRuns(m: GpuModel, split: 'train' | 'val'): Promise<{ loss: number; acc: number }[]> {
  const n = split === 'train' ? m.ds.nTrain : m.ds.nVal;
  const { plan } = m;
  if (n === 0) return Array.from({ length: plan.R }, () => ({ loss: Number.NaN, acc: Number.NaN }));
  const enc = m.device.createCommandEncoder();
  encodeChunks(m, enc, m.evalSplitOps(split), n);
  m.device.queue.submit([enc.finish()]);
  const words = new Float32Array(await readBuffer(m.device, m.pool, m.res.rec, 0, plan.R * plan.M * 4));
  const w = split === 'train' ? REC.trainLoss : REC.valLoss;
  return Array.from({ length: plan.R }, (_, r) => ({
    loss: words[r * plan.M + w] / n,
    acc: m.ds.kind === 'classification' ? words[r * plan.M + w + 1] / n : Number.NaN,
  }));
}

export async function readTheta(m: GpuModel, r: number): Promise<Float32Array> {
  const { plan } = m;
  return new Float32Array(await readBuffer(m.device, m.pool, m.res.state, (plan.theta + r * plan.P) * 4, plan.P * 4));
}

/** Raw input points x[n, inputDim] through the dataset's preprocessing, checked. */
function modelInputs(m: GpuModel, x: Float32Array, n: number): Float32Array {
  const D = m.ds.inputDim;
  if (x.length < n * D) throw new Error(`predict: x has ${x.length} entries, expected n*inputDim = ${n * D}`);
  const p = m.ds.preprocessor;
  return p ? applyPreprocess(p, x.subarray(0, n * D), n) : x.subarray(0, n * D);
}

/** Outputs [n, C] of run r at raw input points x[n, inputDim] (through the dataset's preprocessing). */
export async function predictRun(m: GpuModel, r: number, x: Float32Array, n: number): Promise<Float32Array> {
  const C = m.ds.outputDim;
  const xin = modelInputs(m, x, n);
  if (n === 0) return new Float32Array(0);
  const points = m.pool.upload(xin, 'points');
  const out = m.pool.storage(m.R * n * C, 'predictions');
  const t: EvalTarget = {
    plan: m.evalPlan,
    state: m.res.state,
    stats: m.plan.stats,
    acts: m.evalActs,
    x: points,
    y: points,
    out,
    recWord: 0,
    recM: m.plan.M,
    recR: m.R,
    mode: 2,
    outRun: n * C,
  };
  const ops = m.customEval(t);
  try {
    const enc = m.device.createCommandEncoder();
    encodeChunks(m, enc, ops.ops, n);
    m.device.queue.submit([enc.finish()]);
    return new Float32Array(await readBuffer(m.device, m.pool, out, r * n * C * 4, n * C * 4));
  } finally {
    ops.release();
    m.pool.release(points);
    m.pool.release(out);
  }
}

/**
 * A point the model is evaluated at other than a run's theta and running statistics (Schedule-Free's
 * average x with batch-norm statistics recomputed there: workers/gpu/evalPoint.ts): weights [P],
 * statistics [SS].
 */
export interface EvalPoint {
  theta: Float32Array;
  bnStats: Float32Array;
}

/**
 * G probe "runs" of an evaluation pass (the run dimension again): their own state [G, P] then
 * [G, SS], activations, records and hyper rows (probe k evaluates with cfgs[k]'s settings, e.g.
 * its batch-norm epsilon). The caller fills the state and releases with `release`.
 */
function probes(m: GpuModel, cfgs: TrainConfig[], rows: number) {
  const G = cfgs.length;
  const { plan } = m;
  const probe = makePlan(m.layout, G, rows, 1);
  const state = m.pool.storage(G * (plan.P + plan.SS), 'probe-state');
  const acts = m.pool.storage(G * probe.aRun, 'probe-acts');
  const rec = m.pool.storage(probe.recSize, 'probe-records');
  const hyper = m.pool.storage(hyperWords(G, 1), 'probe-hyper');
  const hw = new Uint32Array(hyperWords(G, 1));
  packHyper(
    hw,
    cfgs,
    cfgs.map(() => ({ activeSlots: 0, step: 0, t: 0 })),
    new Float32Array(G),
  );
  m.device.queue.writeBuffer(hyper, 0, hw);
  const release = () => {
    for (const b of [state, acts, rec, hyper]) m.pool.release(b);
  };
  return { G, probe, state, acts, rec, hyper, release };
}

/** Write points into a probe state (weights at k*P, statistics at G*P + k*SS). */
function writePoints(m: GpuModel, state: GPUBuffer, G: number, points: readonly EvalPoint[]): void {
  const { P, SS } = m.plan;
  points.forEach((p, k) => {
    m.device.queue.writeBuffer(state, k * P * 4, p.theta.slice());
    if (SS > 0) m.device.queue.writeBuffer(state, (G * P + k * SS) * 4, p.bnStats.slice());
  });
}

/**
 * The evaluation sums of a split at each point, with cfgs[k]'s settings: [loss sum, correct count]
 * per point, as the epoch-end records hold them (loss.wgsl MODE 1); one submission. n > 0.
 */
export async function evalPointSums(
  m: GpuModel,
  cfgs: TrainConfig[],
  points: readonly EvalPoint[],
  split: 'train' | 'val',
): Promise<[loss: number, correct: number][]> {
  const n = split === 'train' ? m.ds.nTrain : m.ds.nVal;
  const pr = probes(m, cfgs, m.E);
  const d = m.res.data;
  const t: EvalTarget = {
    plan: pr.probe,
    state: pr.state,
    stats: pr.G * m.plan.P,
    acts: pr.acts,
    x: split === 'train' ? d.xTrain : d.xVal,
    y: split === 'train' ? d.yTrain : d.yVal,
    out: pr.rec,
    recWord: REC.trainLoss,
    recM: pr.probe.M,
    recR: pr.G,
    mode: 1,
    outRun: 0,
  };
  const ops = m.customEval(t, pr.hyper);
  try {
    writePoints(m, pr.state, pr.G, points);
    const enc = m.device.createCommandEncoder();
    encodeChunks(m, enc, ops.ops, n);
    m.device.queue.submit([enc.finish()]);
    const words = new Float32Array(await readBuffer(m.device, m.pool, pr.rec, 0, pr.G * pr.probe.M * 4));
    return points.map((_, k) => [words[k * pr.probe.M + REC.trainLoss], words[k * pr.probe.M + REC.trainCorrect]]);
  } finally {
    ops.release();
    pr.release();
  }
}

/** Data loss and accuracy of a split at a point (engine evaluateSplit at evalWeights: NaN for an empty split). */
export async function evaluatePoint(
  m: GpuModel,
  cfg: TrainConfig,
  point: EvalPoint,
  split: 'train' | 'val',
): Promise<{ loss: number; acc: number }> {
  const n = split === 'train' ? m.ds.nTrain : m.ds.nVal;
  if (n === 0) return { loss: Number.NaN, acc: Number.NaN };
  const [[loss, correct]] = await evalPointSums(m, [cfg], [point], split);
  return { loss: loss / n, acc: m.ds.kind === 'classification' ? correct / n : Number.NaN };
}

/** Outputs [n, C] at raw input points x[n, inputDim] of the model at `point` (cfg's settings). */
export async function predictAt(
  m: GpuModel,
  cfg: TrainConfig,
  point: EvalPoint,
  x: Float32Array,
  n: number,
): Promise<Float32Array> {
  const C = m.ds.outputDim;
  const xin = modelInputs(m, x, n);
  if (n === 0) return new Float32Array(0);
  const points = m.pool.upload(xin, 'points');
  const out = m.pool.storage(n * C, 'predictions');
  const pr = probes(m, [cfg], m.E);
  const t: EvalTarget = {
    plan: pr.probe,
    state: pr.state,
    stats: m.plan.P,
    acts: pr.acts,
    x: points,
    y: points,
    out,
    recWord: 0,
    recM: pr.probe.M,
    recR: 1,
    mode: 2,
    outRun: n * C,
  };
  const ops = m.customEval(t, pr.hyper);
  try {
    writePoints(m, pr.state, 1, [point]);
    const enc = m.device.createCommandEncoder();
    encodeChunks(m, enc, ops.ops, n);
    m.device.queue.submit([enc.finish()]);
    return new Float32Array(await readBuffer(m.device, m.pool, out, 0, n * C * 4));
  } finally {
    ops.release();
    pr.release();
    m.pool.release(points);
    m.pool.release(out);
  }
}

/** Data loss of the split at each parameter vector, in run 0's evaluation mode (its running statistics). */
export async function lossAtThetas(
  m: GpuModel,
  cfg0: TrainConfig,
  thetas: Float32Array[],
  split: 'train' | 'val',
): Promise<Float32Array> {
  const n = split === 'train' ? m.ds.nTrain : m.ds.nVal;
  const result = new Float32Array(thetas.length);
  if (n === 0) return result.fill(Number.NaN);
  const { plan } = m;
  thetas.forEach((t, k) => {
    if (t.length !== plan.P)
      throw new Error(`lossAt: theta ${k} has ${t.length} parameters, the network has ${plan.P}`);
  });
  // every probe evaluates with run 0's settings (batch-norm epsilon)
  const pr = probes(m, Array(Math.min(PROBES, thetas.length)).fill(cfg0), m.E);
  const { G, probe, state } = pr;
  const d = m.res.data;
  const t: EvalTarget = {
    plan: probe,
    state,
    stats: G * plan.P,
    acts: pr.acts,
    x: split === 'train' ? d.xTrain : d.xVal,
    y: split === 'train' ? d.yTrain : d.yVal,
    out: pr.rec,
    recWord: REC.trainLoss,
    recM: probe.M,
    recR: G,
    mode: 1,
    outRun: 0,
  };
  const ops = m.customEval(t, pr.hyper);
  try {
    for (let k0 = 0; k0 < thetas.length; k0 += G) {
      const enc = m.device.createCommandEncoder();
      for (let g = 0; g < G; g++) {
        m.device.queue.writeBuffer(state, g * plan.P * 4, thetas[Math.min(k0 + g, thetas.length - 1)].slice());
        if (plan.SS > 0)
          enc.copyBufferToBuffer(m.res.state, plan.stats * 4, state, (G * plan.P + g * plan.SS) * 4, plan.SS * 4);
      }
      encodeChunks(m, enc, ops.ops, n);
      m.device.queue.submit([enc.finish()]);
      const words = new Float32Array(await readBuffer(m.device, m.pool, pr.rec, 0, G * probe.M * 4));
      for (let g = 0; g < G && k0 + g < thetas.length; g++) result[k0 + g] = words[g * probe.M + REC.trainLoss] / n;
    }
  } finally {
    ops.release();
    pr.release();
  }
  return result;
}
