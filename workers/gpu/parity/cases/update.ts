// norms + update (penalty gradients, clipping, every optimizer, running statistics, step records)
// against the engine: regularizers.ts, optim.ts optimizerStep(), batchnorm.ts updateRunningStats()
// and the bookkeeping of trainer.ts Run.trainStep(). Every optimizer races in the OPT_EACH_RUN
// (per-run) variant; each also alone through its own. Hidden W[5, 4] and W[3, 5]: Muon orthogonalises
// one with more rows than columns (transposed) and one with fewer; the output layer steps as AdamW.
import { updateRunningStats } from '../../../../src/engine/batchnorm';
import { defaultConfig } from '../../../../src/engine/defaults';
import { l2Norm } from '../../../../src/engine/floatArray';
import { l1Prox } from '../../../../src/engine/l1Prox';
import { buildLayout, decayMask, paramSegments } from '../../../../src/engine/layout';
import { optimizerStep } from '../../../../src/engine/optim';
import { GPU_OPTIMIZER_NAMES } from '../../../../src/engine/optimizers/registry';
import { activationL1Penalty, l1Penalty, l2Penalty, l2PenaltyGrad } from '../../../../src/engine/regularizers';
import type { OptimizerName, TrainConfig } from '../../../../src/engine/types';
import { updateDims } from '../../general';
import { hyperWords, packHyper } from '../../hyper';
import { packUniform } from '../../kernels';
import { OPT_EACH_RUN, optimizerId } from '../../optimizers';
import { makePlan, segmentTable } from '../../plan';
import type { KernelRunner } from '../runner';
import { type CaseFn, newRng, randn } from '../util';
import { type Validation, validateResult } from '../validate';

async function oneUpdate(k: KernelRunner, seed: number, names: OptimizerName[], opt: number): Promise<Validation[]> {
  const out: Validation[] = [];
  const rng = newRng(seed);
  const R = names.length;
  const B = 6;
  const cfgs: TrainConfig[] = names.map((name, r) => {
    const c = defaultConfig();
    c.model.hidden = [
      { units: 5, activation: 'tanh', dropout: 0, batchNorm: true },
      { units: 3, activation: 'relu', dropout: 0, batchNorm: false },
    ];
    c.optimizer = { ...c.optimizer, name, lr: 0.05 + 0.01 * r, eps: 1e-3 };
    // Muon moves a hidden weight by about lr / sqrt(max(r, c)) whatever its gradient: an L1 pull of
    // that order (tau = lr l1 sqrt(max(1, r/c))) stops some of them at 0
    const l1 = name === 'muon' ? 0.5 : 0.005;
    c.reg = { l2: 0.01, l1, l1Act: 0.02, decayBiases: r % 2 === 1 };
    c.clipNorm = r % 2 === 0 ? 0.5 : 0;
    return c;
  });
  const layout = buildLayout(cfgs[0].model, 4, 2);
  const plan = makePlan(layout, R, B, 2);
  const { P, SS } = plan;
  // every fourth weight at exactly 0 (every eighth near 0) with a gradient and velocity / first
  // moment about the size of l1: the L1 prox keeps some at 0 and stops others there
  const near = (i: number) => i % 4 === 0;
  // each run's inputs from its own stream (seed, r): adding a rule to the set leaves the others' as they were
  const runs = names.map((_, r) => {
    const rr = newRng(seed * 7919 + r);
    return {
      theta: randn(rr, P, 0.7).map((w, i) => (near(i) ? (i % 8 === 0 ? w * 0.001 : 0) : w)),
      grad: randn(rr, P, 0.5).map((g, i) => (near(i) ? g * 0.01 : g)),
      m: randn(rr, P, 0.1).map((x, i) => (near(i) ? x * 0.01 : x)),
      v: randn(rr, P, 0.1).map((x) => x * x),
      stats: randn(rr, SS).map((x) => 1 + Math.abs(x)),
    };
  });
  const theta = runs.map((x) => x.theta);
  const grad = runs.map((x) => x.grad);
  const m = runs.map((x) => x.m);
  const v = runs.map((x) => x.v);
  const stats = runs.map((x) => x.stats);
  const t0 = 3;
  const state = new Float32Array(plan.stateSize).fill(Number.NaN);
  for (let r = 0; r < R; r++) {
    state.set(theta[r], plan.theta + r * P);
    state.set(grad[r], plan.grad + r * P);
    state.set(m[r], plan.m + r * P);
    state.set(v[r], plan.v + r * P);
    state.set(stats[r], plan.stats + r * SS);
  }
  const acts = randn(rng, R * plan.aRun);
  const rec = new Float32Array(plan.recSize);
  const dataLoss = names.map((_, r) => 0.7 + r);
  const slot = 1;
  for (let r = 0; r < R; r++) rec[(slot * R + r) * plan.M + 1] = dataLoss[r];
  const hyper = new Uint32Array(hyperWords(R, 2));
  const lrs = new Float32Array(2 * R);
  for (let r = 0; r < R; r++) lrs[slot * R + r] = cfgs[r].optimizer.lr;
  packHyper(
    hyper,
    cfgs,
    names.map(() => ({ activeSlots: 2, step: 10, t: t0 - 1 })),
    lrs,
  );
  // Adam's t at slot 1 is (t0 - 1) + 1 + 1 = t0 + 1, as optimizerStep from state.t = t0
  const sBuf = k.upload(state);
  const rBuf = k.upload(rec);
  const segs = k.upload(segmentTable(plan));
  const partials = k.poisoned(R * plan.segments.length * 4);
  const aBuf = k.upload(acts);
  const hBuf = k.upload(hyper);
  k.setStep(0, { s: slot, rowBase: 0, valid: B });
  const nSeg = plan.segments.length;
  await k.dispatch(
    'norms',
    {},
    [
      k.uniform(packUniform('norms', { nSeg, P, gradOff: plan.grad, aRun: plan.aRun })),
      sBuf,
      aBuf,
      hBuf,
      segs,
      partials,
    ],
    [nSeg, 1, R],
  );
  await k.dispatch(
    'update',
    { OPT: opt },
    [
      k.uniform(packUniform('update', updateDims(plan, nSeg))),
      sBuf,
      aBuf,
      hBuf,
      segs,
      partials,
      rBuf,
      k.poisoned(Math.max(1, R * plan.nsRun)), // Muon's Newton-Schulz regions (written before read)
    ],
    [plan.nParamSeg, 1, R],
  );
  const gs = await k.readF32(sBuf, plan.stateSize);
  const gr = await k.readF32(rBuf, plan.recSize);
  let zeros = 0;
  for (let r = 0; r < R; r++) {
    const c = cfgs[r];
    const tag = `update ${names[r]} (OPT=${opt}) r=${r} clip=${c.clipNorm} decayBiases=${c.reg.decayBiases}`;
    const mask = decayMask(layout, c.reg.decayBiases);
    const th = theta[r].slice();
    const g = grad[r].slice();
    l2PenaltyGrad(th, mask, c.reg.l2, g);
    const gradNorm = layout.layers.map((l) => l2Norm(g, l.w, l.outDim * l.inDim));
    let regLoss = l2Penalty(th, mask, c.reg.l2) + l1Penalty(th, mask, c.reg.l1);
    for (const pl of plan.layers.filter((x) => x.hidden)) {
      regLoss += activationL1Penalty(
        acts.subarray(r * plan.aRun + pl.h, r * plan.aRun + pl.h + B * pl.O),
        B,
        c.reg.l1Act,
      );
    }
    const norm = l2Norm(g);
    if (c.clipNorm > 0 && norm > c.clipNorm) for (let i = 0; i < P; i++) g[i] *= c.clipNorm / norm;
    const st = { t: t0, m: m[r].slice(), v: v[r].slice() };
    const segments = paramSegments(layout); // LAMB's and Muon's blocks, Muon's prox scale (as Run passes them)
    optimizerStep(c.optimizer, th, g, st, c.optimizer.lr, mask, segments);
    zeros += l1Prox(c.optimizer, th, st, c.optimizer.lr, c.reg.l1, mask, segments);
    const ratio = layout.layers.map((l) => {
      const n = l.outDim * l.inDim;
      let du = 0;
      for (let i = l.w; i < l.w + n; i++) du += (th[i] - theta[r][i]) ** 2;
      return Math.sqrt(du) / l2Norm(theta[r], l.w, n);
    });
    const rs = stats[r].slice();
    for (const l of layout.layers.filter((x) => x.batchNorm)) {
      const pl = plan.layers[l.index];
      const a = r * plan.aRun + pl.bnStats;
      updateRunningStats(
        rs.subarray(l.stats, l.stats + l.outDim),
        rs.subarray(l.stats + l.outDim, l.stats + 2 * l.outDim),
        acts.subarray(a, a + l.outDim),
        acts.subarray(a + l.outDim, a + 2 * l.outDim),
        c.model.bnMomentum,
        B,
      );
    }
    const o = (slot * R + r) * plan.M;
    out.push(validateResult(`${tag} theta`, gs.subarray(r * P, (r + 1) * P), th, 1e-6, 1e-5));
    out.push(validateResult(`${tag} m`, gs.subarray(plan.m + r * P, plan.m + (r + 1) * P), st.m, 1e-6, 1e-5));
    out.push(validateResult(`${tag} v`, gs.subarray(plan.v + r * P, plan.v + (r + 1) * P), st.v, 1e-7, 1e-5));
    out.push(validateResult(`${tag} prev`, gs.subarray(plan.prev + r * P, plan.prev + (r + 1) * P), theta[r], 0, 0));
    out.push(
      validateResult(
        `${tag} running stats`,
        gs.subarray(plan.stats + r * SS, plan.stats + (r + 1) * SS),
        rs,
        1e-6,
        1e-5,
      ),
    );
    out.push(validateResult(`${tag} loss`, [gr[o]], [dataLoss[r] + regLoss], 1e-6, 1e-5));
    out.push(validateResult(`${tag} gradNorm`, gr.subarray(o + 8, o + 8 + plan.L), gradNorm, 1e-6, 1e-5));
    out.push(validateResult(`${tag} updateRatio`, gr.subarray(o + 8 + plan.L, o + 8 + 2 * plan.L), ratio, 1e-6, 1e-4));
  }
  if (zeros === 0) throw new Error(`update case ${names.join(',')}: no weight stopped at 0, the L1 prox went untested`);
  k.endCase();
  return out;
}

export const updateCase: CaseFn = async (k, seed) => {
  const out: Validation[] = [];
  // each optimizer the GPU runs alone through its specialised pipeline, then all at once
  // (OPT_EACH_RUN); the rules it refuses (spec gpuUnsupported) train on the CPU engine
  for (const [i, name] of GPU_OPTIMIZER_NAMES.entries())
    out.push(...(await oneUpdate(k, seed + i, [name], optimizerId(name))));
  out.push(...(await oneUpdate(k, seed + 100, [...GPU_OPTIMIZER_NAMES], OPT_EACH_RUN)));
  return out;
};
