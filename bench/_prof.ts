import { buildLayout, decayMask, defaultConfig, initBnStats, initParams, lossAndGrad, makeDataset, sgdStep, streamSeed, Rng } from '../src/engine';
import { loadDigits } from '../src/engine/data/digits';
import { wasmOps } from '../workers/cpu/wasmLoad';
const loaded = (await wasmOps())!;
const ops = loaded.ops;
await loadDigits();
const cfg = defaultConfig();
cfg.data = { ...cfg.data, name: 'digits', samples: 1200, valFraction: 1 / 6 };
cfg.model.hidden = [256, 256].map((units) => ({ units, activation: 'relu' as const, dropout: 0, batchNorm: false }));
cfg.model.loss = 'softmaxCE';
const ds = makeDataset(cfg.data, cfg.seed);
const layout = buildLayout(cfg.model, ds.inputDim, ds.outputDim);
const B = 128;
const x = ds.xTrain.subarray(0, B * ds.inputDim) as Float32Array;
const y = (ds.yTrain as Int32Array).subarray(0, B);
const theta = initParams(layout, cfg.model, new Rng(streamSeed(cfg.seed, 'init')));
const mask = decayMask(layout, false); const bn = initBnStats(layout);
const timeit = (name: string, f: () => void, k = 50) => { f(); const t0 = performance.now(); for (let i = 0; i < k; i++) f(); console.log(name, ((performance.now() - t0) / k).toFixed(3), 'ms'); };
const opts = { train: true, model: cfg.model, dropoutSeed: 0, step: 0, ops };
timeit('step', () => sgdStep(theta, lossAndGrad(layout, theta, bn, x, y, B, opts, cfg.reg, mask).grad, 0.05));
const shapes = [[784, 256], [256, 256], [256, 10]];
let tot = 0;
for (const [I, O] of shapes) {
  const X = new Float32Array(B * I).map(() => Math.random()); const W = new Float32Array(O * I).map(() => Math.random()); const b = new Float32Array(O); const dY = new Float32Array(B * O).map(() => Math.random());
  timeit(`fwd ${I}x${O}`, () => ops.forward(X, W, b, B, I, O, 'relu'));
  timeit(`bwX ${I}x${O}`, () => ops.backwardX(dY, W, B, I, O));
  timeit(`bwW ${I}x${O}`, () => ops.backwardW(dY, X, B, I, O));
}
