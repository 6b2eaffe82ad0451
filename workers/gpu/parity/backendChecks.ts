// Checks of GpuBackend beyond the training loop: evaluate / readParams / predict / lossAt against
// the engine's Run, no buffer growth over a long run, dispose releasing everything, and a lost
// device (the test hook) being reported and survived by re-creating the backend.
import { makeDataset } from '../../../src/engine/data/dataset';
import { buildLayout, initParams } from '../../../src/engine/layout';
import { Rng, streamSeed } from '../../../src/engine/rng';
import { Run } from '../../../src/engine/trainer';
import type { TrainConfig } from '../../../src/engine/types';
import { GpuBackend, type GpuBackendOptions } from '../backend';
import { smallConfig } from './training';
import { type Validation, validateResult } from './validate';

function setup(cfg: TrainConfig) {
  const ds = makeDataset(cfg.data, cfg.seed);
  const layout = buildLayout(cfg.model, ds.inputDim, ds.outputDim);
  const init = initParams(layout, cfg.model, new Rng(streamSeed(cfg.seed, 'init')));
  return { ds, layout, init };
}

/** A grid of raw input points over the dataset's bounds (the decision-boundary heatmap's input). */
function grid(n: number, lo = -1.5, hi = 1.5): Float32Array {
  const x = new Float32Array(n * n * 2);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      x.set([lo + ((hi - lo) * j) / (n - 1), lo + ((hi - lo) * i) / (n - 1)], (i * n + j) * 2);
  return x;
}

export interface ChecksReport {
  ok: boolean;
  report: string;
  numbers: Record<string, number>;
}

const summary = (vals: Validation[], numbers: Record<string, number> = {}): ChecksReport => {
  const bad = vals.filter((v) => !v.ok);
  return { ok: bad.length === 0 && vals.length > 0, report: vals.map((v) => v.message).join('\n'), numbers };
};

/** evaluate, readParams, predict and lossAt after 60 steps, against the engine at the same weights. */
export async function apiParity(
  kind: 'classification' | 'regression',
  opts: GpuBackendOptions = {},
): Promise<ChecksReport> {
  const cfg = smallConfig();
  if (kind === 'regression') {
    cfg.data = { ...cfg.data, name: 'regPlane', preprocess: 'standardize' };
    cfg.model.loss = 'mse';
  } else {
    cfg.data = { ...cfg.data, name: 'blobs', classes: 3, preprocess: 'standardize' };
    cfg.model.hidden = [
      { units: 8, activation: 'relu', dropout: 0, batchNorm: true },
      { units: 5, activation: 'elu', dropout: 0.1, batchNorm: false },
    ];
  }
  const { ds, init } = setup(cfg);
  const run = new Run(cfg, ds, { init });
  const gpu = await GpuBackend.create(opts);
  const vals: Validation[] = [];
  try {
    await gpu.build([cfg], ds, init);
    await gpu.train(60);
    run.step(60);
    const theta = await gpu.readParams(0);
    vals.push(validateResult(`${kind}: readParams after 60 steps`, theta, run.getParams(), 1e-5, 1e-3));
    for (const split of ['train', 'val'] as const) {
      const g = await gpu.evaluate(0, split);
      const c = run.evaluate(split);
      vals.push(validateResult(`${kind}: evaluate ${split} (loss, acc)`, [g.loss, g.acc], [c.loss, c.acc], 1e-5, 1e-3));
    }
    const x = grid(23);
    const n = x.length / 2;
    vals.push(
      validateResult(
        `${kind}: predict on a ${n}-point grid`,
        await gpu.predict(0, x, n),
        run.predict(x, n),
        1e-5,
        1e-3,
      ),
    );
    const shifted = init.map((w, i) => w + 0.1 * Math.sin(i));
    const thetas = [theta, init, shifted, ...Array.from({ length: 7 }, (_, k) => init.map((w) => w * (0.5 + 0.1 * k)))];
    const got = await gpu.lossAt(thetas, 'val');
    const ref = thetas.map((t) => run.evaluate('val', t).loss);
    vals.push(validateResult(`${kind}: lossAt ${thetas.length} parameter vectors`, got, ref, 1e-5, 1e-3));
    // writeParams puts the GPU back at the initial weights: its loss there is the engine's at init
    await gpu.writeParams(0, init);
    const g0 = await gpu.evaluate(0, 'train');
    vals.push(
      validateResult(
        `${kind}: evaluate after writeParams(init)`,
        [g0.loss],
        [run.evaluate('train', init).loss],
        1e-5,
        1e-3,
      ),
    );
  } finally {
    gpu.dispose();
  }
  return summary(vals);
}

/** Live buffers and bytes after each of 12 rounds of training + queries: they must stay flat. */
export async function bufferGrowth(): Promise<ChecksReport> {
  const cfg = smallConfig();
  const { ds, init } = setup(cfg);
  const gpu = await GpuBackend.create();
  const buffers: number[] = [];
  const bytes: number[] = [];
  await gpu.build([cfg, { ...cfg, optimizer: { ...cfg.optimizer, name: 'adam', lr: 0.01 } }], ds, init);
  for (let round = 0; round < 12; round++) {
    await gpu.train(40);
    await gpu.evaluate(round % 2, 'val');
    await gpu.predict(0, grid(8), 64);
    await gpu.lossAt([init, init], 'train');
    await gpu.readParams(1);
    const c = gpu.counters();
    buffers.push(c.buffers);
    bytes.push(c.bytes);
  }
  gpu.dispose();
  const after = gpu.counters();
  // after the first round everything is allocated: the rest must reuse it
  const vals = [
    validateResult(
      'live buffers, rounds 2..12 vs round 1',
      buffers.slice(1),
      buffers.slice(1).map(() => buffers[0]),
      0,
      0,
    ),
    validateResult(
      'live bytes, rounds 2..12 vs round 1',
      bytes.slice(1),
      bytes.slice(1).map(() => bytes[0]),
      0,
      0,
    ),
    validateResult('buffers and bytes after dispose()', [after.buffers, after.bytes], [0, 0], 0, 0),
  ];
  return summary(vals, { buffers: buffers[0], bytes: bytes[0] });
}

/** Simulated device loss: reported once, later calls reject, a new backend continues from the last parameters. */
export async function deviceLoss(): Promise<ChecksReport> {
  const cfg = smallConfig();
  const { ds, init } = setup(cfg);
  const lines: string[] = [];
  const gpu = await GpuBackend.create();
  await gpu.build([cfg], ds, init);
  await gpu.train(30);
  const last = await gpu.readParams(0);
  const reported = new Promise<string>((resolve) => gpu.onDeviceLost(resolve));
  gpu.simulateDeviceLoss();
  const reason = await Promise.race([
    reported,
    new Promise<string>((r) => setTimeout(() => r('(not reported in 5 s)'), 5000)),
  ]);
  lines.push(`reported: ${reason}`);
  let rejected = '';
  try {
    await gpu.train(10);
  } catch (e) {
    rejected = (e as Error).message;
  }
  lines.push(`train() after the loss: ${rejected ? `rejected with "${rejected}"` : 'did not reject'}`);
  gpu.dispose();
  // what the worker does: a new device, the same build, the last parameters, training goes on
  const again = await GpuBackend.create();
  await again.build([cfg], ds, init);
  await again.writeParams(0, last);
  const p = await again.train(30);
  const losses = Array.from(p[0].steps.loss);
  again.dispose();
  const cont = losses.length === 30 && losses.every(Number.isFinite);
  lines.push(`continued on a new device: ${losses.length} steps, last loss ${losses.at(-1)}`);
  const ok = /lost/.test(reason) && /lost/.test(rejected) && cont;
  return { ok, report: lines.join('\n'), numbers: { steps: losses.length } };
}
