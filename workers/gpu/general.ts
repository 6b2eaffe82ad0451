// The general multi-kernel path: one training step of R runs as a short list of dispatches, each
// covering every run at once (grid z = run). For L dense layers, per step:
//   forward   L x matmul (bias + activation + dropout fused)   [+ 1 batchnorm_forward per BN layer]
//   loss      1 (softmax/MSE + gradient + batch reductions + divergence rule)
//   backward  L x matmul_dw (dW, db)  +  (L-1) x matmul_dx (dX fused with the layer below's
//             dropout, activation-L1 and activation backward)   [+ 1 batchnorm_backward per BN layer]
//   update    1 norms (penalty gradients, norms, loss terms)  +  1 update (clip, optimizer, records)
// = 3L + 2 dispatches (+2 per batch-norm layer): 11 for 784-256-256-10.
// Evaluation (epoch ends, evaluate, predict, lossAt) runs the forward kernels in evaluation mode
// (no dropout, running statistics) over chunks of the split, then the loss kernel in MODE 1 or 2.
import type { LayerLayout } from '../../src/engine/layout';
import { ACTIVATION_NAMES } from '../../src/engine/types';
import type { DimsOf } from './kernels';
import { type GpuPlan, inputOffset, type LayerPlan } from './plan';
import { cdiv, OpBuilder, type Resources } from './resources';

/** The live choices that select kernel variants (pipelines are cached per variant). */
export interface TrainVariant {
  /** Per hidden layer: some run has a drop probability > 0 (the layer writes and reads o). */
  dropout: boolean[];
  /** Some run has l1Act > 0 (the dX epilogue adds the activation-L1 gradient). */
  l1Act: boolean;
  /** The id of every run's optimizer, or OPT_EACH_RUN (compare mode): optimizers.ts optimizerVariant. */
  opt: number;
  /** Some run uses Muon (the update kernels need the Newton-Schulz scratch, GpuModel.nsBuffer). */
  muon: boolean;
  /** Inputs come pre-augmented per step (data rows rowBase + m) instead of gathered from the split. */
  augmented: boolean;
  /** Run stride of the pre-augmented batches (0 when runs share them). */
  augRun: number;
  /** 0 softmax cross-entropy, 1 MSE on targets, 2 MSE on one-hot labels. */
  lossKind: number;
}

export function variantKey(v: TrainVariant): string {
  return JSON.stringify(v);
}

const act = (l: number, names: string[]) => ACTIVATION_NAMES.indexOf(names[l] as never);

/**
 * The batchnorm_forward uniform of layer l over `rows` rows, its running statistics at
 * `statsBase` + the layer's offset: training (the batch, the plan's running statistics) and
 * evaluation (a chunk of the split, the target's statistics) differ only in these two.
 */
function bnForwardDims(
  plan: GpuPlan,
  l: LayerPlan,
  lw: LayerLayout,
  rows: number,
  statsBase: number,
): DimsOf<'batchnorm_forward'> {
  return {
    B: rows,
    O: l.O,
    layer: l.index,
    P: plan.P,
    zOff: l.z,
    uOff: l.u,
    hOff: l.h,
    oOff: l.o,
    statsOff: l.bnStats,
    aRun: plan.aRun,
    gammaOff: lw.gamma,
    betaOff: lw.beta,
    rsOff: statsBase + lw.stats,
    rsRun: plan.SS,
  };
}

/** The dispatches of one training step (encoded once per step with that step's slot). */
export function trainOps(res: Resources, v: TrainVariant, activations: string[]): OpBuilder {
  const { plan, state, acts, dacts, hyper } = res;
  const b = new OpBuilder(res.device, res.pool, res.pipes);
  const { R, rows: B, P } = plan;
  const rowsRun = plan.slots * B;
  const x0 = v.augmented ? res.aug : res.data.xTrain;
  const xsrc0 = v.augmented ? 2 : 1;
  const dataRun = v.augmented ? v.augRun : 0;
  // ---- forward
  for (const l of plan.layers) {
    const xOff = l.index === 0 ? 0 : inputOffset(plan, l.index, v.dropout);
    const drop = l.hidden && v.dropout[l.index];
    const epi = l.hidden && !l.batchNorm ? (drop ? 2 : 1) : 0;
    b.add(
      'matmul',
      { ACT: l.hidden ? act(l.index, activations) : 5, EPI: epi, XSRC: l.index === 0 ? xsrc0 : 0 },
      {
        M: B,
        N: l.O,
        K: l.I,
        layer: l.index,
        xOff,
        wOff: res.lw[l.index].w,
        bOff: res.lw[l.index].b,
        P,
        zOff: l.z,
        hOff: l.h,
        oOff: l.o,
        aRun: plan.aRun,
        dataRun,
        hasBias: 1,
        rowsRun,
      },
      [l.index === 0 ? x0 : res.data.xTrain, res.rows, state, acts, hyper],
      [cdiv(l.O, 32), cdiv(B, 32), R],
    );
    if (l.batchNorm) {
      const lw = res.lw[l.index];
      b.add(
        'batchnorm_forward',
        { ACT: act(l.index, activations), EPI: drop ? 2 : 1, EVAL: 0 },
        bnForwardDims(plan, l, lw, B, plan.stats),
        [state, acts, hyper],
        [cdiv(l.O, 64), 1, R],
      );
    }
  }
  // ---- loss
  const out = plan.layers[plan.L - 1];
  b.add(
    'loss',
    { KIND: v.lossKind, MODE: 0 },
    {
      B,
      C: out.O,
      R,
      M: plan.M,
      xOff: out.z,
      aRun: plan.aRun,
      dOff: out.dZ,
      dRun: plan.dRun,
      rowsRun,
      recWord: 0,
      trackOff: plan.trackOff,
    },
    [res.data.yTrain, res.rows, acts, dacts, res.rec, hyper],
    [1, 1, R],
  );
  // ---- backward
  for (let i = plan.L - 1; i >= 0; i--) {
    const l = plan.layers[i];
    const lw = res.lw[i];
    if (l.batchNorm) {
      b.add(
        'batchnorm_backward',
        {},
        {
          B,
          O: l.O,
          P,
          gammaOff: lw.gamma,
          gGammaOff: plan.grad + lw.gamma,
          gBetaOff: plan.grad + lw.beta,
          zOff: l.z,
          statsOff: l.bnStats,
          aRun: plan.aRun,
          duOff: l.dU,
          dzOff: l.dZ,
          dRun: plan.dRun,
        },
        [state, acts, dacts],
        [cdiv(l.O, 64), 1, R],
      );
    }
    const xOff = i === 0 ? 0 : inputOffset(plan, i, v.dropout);
    b.add(
      'matmul_dw',
      { XSRC: i === 0 ? xsrc0 : 0, DB: l.batchNorm ? 0 : 1 }, // batch norm: db = 0 exactly
      {
        M: l.O,
        N: l.I,
        K: B,
        P,
        dzOff: l.dZ,
        dRun: plan.dRun,
        xOff,
        aRun: plan.aRun,
        gOff: plan.grad + lw.w,
        dbOff: plan.grad + lw.b,
        dataRun,
        rowsRun,
      },
      [i === 0 ? x0 : res.data.xTrain, res.rows, acts, dacts, state],
      [cdiv(l.I, 32), cdiv(l.O, 32), R],
    );
    if (i > 0) {
      const below = plan.layers[i - 1];
      b.add(
        'matmul_dx',
        { ACT: act(i - 1, activations), EPI: 1, DROP: v.dropout[i - 1] ? 1 : 0, L1ACT: v.l1Act ? 1 : 0 },
        {
          M: B,
          N: l.I,
          K: l.O,
          layer: i - 1,
          dzOff: l.dZ,
          dRun: plan.dRun,
          outOff: below.batchNorm ? below.dU : below.dZ,
          P,
          wOff: lw.w,
          aOff: below.batchNorm ? below.u : below.z,
          hOff: below.h,
          aRun: plan.aRun,
        },
        [state, acts, dacts, hyper],
        [cdiv(l.I, 32), cdiv(B, 32), R],
      );
    }
  }
  // ---- penalties, norms, update
  const nSeg = plan.segments.length;
  b.add(
    'norms',
    {},
    { nSeg, P, gradOff: plan.grad, aRun: plan.aRun },
    [state, acts, hyper, res.segs, res.partials],
    [nSeg, 1, R],
  );
  b.add(
    'update',
    { OPT: v.opt },
    updateDims(plan, nSeg),
    [state, acts, hyper, res.segs, res.partials, res.rec, res.ns],
    [plan.nParamSeg, 1, R],
  );
  return b;
}

/** The update kernel's uniform (also the parity case's). */
export function updateDims(plan: GpuPlan, nSeg: number): DimsOf<'update'> {
  return {
    nSeg,
    nParamSeg: plan.nParamSeg,
    R: plan.R,
    M: plan.M,
    P: plan.P,
    gradOff: plan.grad,
    mOff: plan.m,
    vOff: plan.v,
    prevOff: plan.prev,
    statsOff: plan.stats,
    prevStatsOff: plan.prevStats,
    SS: plan.SS,
    aRun: plan.aRun,
    trackOff: plan.trackOff,
    flagsOff: plan.flagsOff,
    B: plan.rows,
    L: plan.L,
    nsRun: plan.nsRun,
  };
}

/** Where an evaluation pass reads and writes. */
export interface EvalTarget {
  /** The eval plan (rows = chunk size E; R = runs evaluated at once). */
  plan: GpuPlan;
  /** State buffer with theta at 0 and running stats at `stats` (run strides P and SS as in plan). */
  state: GPUBuffer;
  stats: number;
  acts: GPUBuffer;
  /** Input points (model inputs) and labels of the split. */
  x: GPUBuffer;
  y: GPUBuffer;
  /** MODE 1: records buffer and word (4 train, 6 val); MODE 2: outputs buffer [R, n, C]. */
  out: GPUBuffer;
  recWord: number;
  /** Records per slot (M) and runs in the records (R of the records' owner). */
  recM: number;
  recR: number;
  mode: 1 | 2;
  /** MODE 2: run stride of the outputs (n * C). */
  outRun: number;
}

/** Forward in evaluation mode over one chunk (slot gives rowBase/valid), then the loss kernel. */
export function evalOps(
  res: Resources,
  t: EvalTarget,
  lossKind: number,
  activations: string[],
  hyper: GPUBuffer = res.hyper,
): OpBuilder {
  const { plan } = t;
  const b = new OpBuilder(res.device, res.pool, res.pipes);
  const { R, rows: E, P } = plan;
  for (const l of plan.layers) {
    const lw = res.lw[l.index];
    const epi = l.hidden && !l.batchNorm ? 1 : 0;
    const xOff = l.index === 0 ? 0 : plan.layers[l.index - 1].h;
    b.add(
      'matmul',
      { ACT: l.hidden ? act(l.index, activations) : 5, EPI: epi, XSRC: l.index === 0 ? 2 : 0 },
      {
        M: E,
        N: l.O,
        K: l.I,
        layer: l.index,
        xOff,
        wOff: lw.w,
        bOff: lw.b,
        P,
        zOff: l.z,
        hOff: l.h,
        oOff: l.o,
        aRun: plan.aRun,
        dataRun: 0,
        hasBias: 1,
        rowsRun: 0,
      },
      [t.x, res.rows, t.state, t.acts, hyper],
      [cdiv(l.O, 32), cdiv(E, 32), R],
    );
    if (l.batchNorm) {
      b.add(
        'batchnorm_forward',
        { ACT: act(l.index, activations), EPI: 1, EVAL: 1 },
        bnForwardDims(plan, l, lw, E, t.stats),
        [t.state, t.acts, hyper],
        [cdiv(l.O, 64), 1, R],
      );
    }
  }
  const out = plan.layers[plan.L - 1];
  const rec = t.mode === 1;
  b.add(
    'loss',
    { KIND: lossKind, MODE: t.mode },
    {
      B: E,
      C: out.O,
      R: t.recR,
      M: t.recM,
      xOff: out.z,
      aRun: plan.aRun,
      dOff: 0,
      dRun: t.outRun,
      rowsRun: 0,
      recWord: t.recWord,
      trackOff: 0,
    },
    [t.y, res.rows, t.acts, rec ? res.dacts : t.out, rec ? t.out : res.rec, hyper],
    [1, 1, R],
  );
  return b;
}
