// batchnorm_forward / batchnorm_backward and the loss kernel against src/engine/batchnorm.ts,
// activations.ts, dropout.ts, losses.ts and network.ts outputLoss(), two runs at once.
import { activationForward } from '../../../../src/engine/activations';
import { batchNormBackward, batchNormEval, batchNormForward } from '../../../../src/engine/batchnorm';
import { dropoutMask } from '../../../../src/engine/dropout';
import { softmax } from '../../../../src/engine/losses';
import { outputLoss } from '../../../../src/engine/network';
import { ACTIVATION_NAMES } from '../../../../src/engine/types';
import { type CaseFn, cdiv, concat, newRng, randInt, randn } from '../util';
import { type Validation, validateResult } from '../validate';
import { hyperBuffer, hyperSeed } from './dense';

const R = 2;
const BN_SHAPES: [number, number][] = [
  [2, 1],
  [16, 5],
  [33, 70],
  [128, 64],
];

/** Training-mode and evaluation-mode batch norm with the fused activation (+ dropout). */
export const batchnormCase: CaseFn = async (k, seed) => {
  const out: Validation[] = [];
  const rng = newRng(seed);
  for (const [si, [B, O]] of BN_SHAPES.entries()) {
    for (const evalMode of [false, true]) {
      const act = ACTIVATION_NAMES[(si + (evalMode ? 3 : 0)) % ACTIVATION_NAMES.length];
      const q = evalMode ? [0, 0] : [0.2, 0.4];
      const step = 5 + si;
      const layer = si % 2;
      const P = 2 * O; // theta per run: gamma | beta
      const gamma = [randn(rng, O, 0.5).map((x) => 1 + x), randn(rng, O, 0.5).map((x) => 1 + x)];
      const beta = [randn(rng, O, 0.5), randn(rng, O, 0.5)];
      const runMean = [randn(rng, O), randn(rng, O)];
      const runVar = [randn(rng, O).map((x) => 0.5 + x * x), randn(rng, O).map((x) => 0.5 + x * x)];
      // state: theta [R, P] then running stats [R, 2O]
      const state = concat([gamma[0], beta[0], gamma[1], beta[1], runMean[0], runVar[0], runMean[1], runVar[1]]);
      const z = [randn(rng, B * O, 2).map((x) => x + 1), randn(rng, B * O, 2)];
      // acts per run: z | u | h | o | stats[3O]
      const n = B * O;
      const aRun = 4 * n + 3 * O;
      const acts = new Float32Array(R * aRun).fill(Number.NaN);
      for (let r = 0; r < R; r++) acts.set(z[r], r * aRun);
      const aBuf = k.upload(acts);
      k.setStep(0, { s: 0, rowBase: 0, valid: B });
      const hyper = hyperBuffer(k, q, 'bernoulli', step, layer);
      const dims = [B, O, layer, P, 0, n, 2 * n, 3 * n, 4 * n, aRun, 0, O, R * P, 2 * O, 0, 0];
      const consts = { ACT: ACTIVATION_NAMES.indexOf(act), EPI: evalMode ? 1 : 2, EVAL: evalMode ? 1 : 0 };
      await k.dispatch(
        'batchnorm_forward',
        consts,
        [k.uniform(dims), k.upload(state), aBuf, hyper],
        [cdiv(O, 64), 1, R],
      );
      const got = await k.readF32(aBuf, R * aRun);
      for (let r = 0; r < R; r++) {
        const base = r * aRun;
        const tag = `batchnorm_forward r=${r} B=${B} O=${O} ${act} ${evalMode ? 'eval' : `train q=${q[r]}`}`;
        const eps = 1e-5; // hyperBuffer uses the default config's bnEps
        let u: Float32Array;
        if (evalMode) u = batchNormEval(z[r], gamma[r], beta[r], runMean[r], runVar[r], B, O, eps) as Float32Array;
        else {
          const c = batchNormForward(z[r], gamma[r], beta[r], B, O, eps);
          u = c.y as Float32Array;
          out.push(validateResult(`${tag} mean`, got.subarray(base + 4 * n, base + 4 * n + O), c.mean, 1e-5, 1e-5));
          out.push(
            validateResult(`${tag} var`, got.subarray(base + 4 * n + O, base + 4 * n + 2 * O), c.var, 1e-5, 1e-4),
          );
        }
        const h = activationForward(u, act);
        out.push(validateResult(`${tag} u`, got.subarray(base + n, base + 2 * n), u, 2e-5, 1e-4));
        out.push(validateResult(`${tag} h`, got.subarray(base + 2 * n, base + 3 * n), h, 2e-5, 1e-4));
        if (!evalMode) {
          const m = dropoutMask(h, 'bernoulli', q[r], hyperSeed(), step, layer, B, O);
          const o = h.map((v, i) => v * m[i]);
          out.push(validateResult(`${tag} o`, got.subarray(base + 3 * n, base + 4 * n), o, 4e-5, 1e-4));
        }
      }
      k.endCase();
    }
  }
  return out;
};

export const batchnormBackwardCase: CaseFn = async (k, seed) => {
  const out: Validation[] = [];
  const rng = newRng(seed);
  for (const [B, O] of BN_SHAPES) {
    const P = 2 * O;
    const gamma = [randn(rng, O).map((x) => 1 + x), randn(rng, O).map((x) => 1 + x)];
    const z = [randn(rng, B * O, 2), randn(rng, B * O, 2)];
    const dU = [randn(rng, B * O), randn(rng, B * O)];
    const fwd = z.map((zr, r) => batchNormForward(zr, gamma[r], new Float32Array(O), B, O, 1e-5));
    const n = B * O;
    // acts per run: z | stats [mean, var, invStd]; dacts per run: dU | dZ; state: theta [R,P] | grad [R,P]
    const aRun = n + 3 * O;
    const acts = concat(z.flatMap((zr, r) => [zr, fwd[r].mean, fwd[r].var, fwd[r].invStd]));
    const dRun = 2 * n;
    const dacts = new Float32Array(R * dRun).fill(Number.NaN);
    for (let r = 0; r < R; r++) dacts.set(dU[r], r * dRun);
    const state = new Float32Array(2 * R * P).fill(Number.NaN);
    for (let r = 0; r < R; r++) state.set(gamma[r], r * P);
    const sBuf = k.upload(state);
    const dBuf = k.upload(dacts);
    k.setStep(0, { s: 0, rowBase: 0, valid: B });
    const dims = [B, O, P, 0, R * P, R * P + O, 0, n, aRun, 0, n, dRun];
    await k.dispatch('batchnorm_backward', {}, [k.uniform(dims), sBuf, k.upload(acts), dBuf], [cdiv(O, 64), 1, R]);
    const gs = await k.readF32(sBuf, R * P, R * P);
    const gd = await k.readF32(dBuf, R * dRun);
    for (let r = 0; r < R; r++) {
      const ref = batchNormBackward(dU[r], fwd[r].xhat, gamma[r], fwd[r].invStd, B, O);
      const tag = `batchnorm_backward r=${r} B=${B} O=${O}`;
      const tol = 2e-6 * Math.sqrt(B);
      out.push(validateResult(`${tag} dZ`, gd.subarray(r * dRun + n, (r + 1) * dRun), ref.dZ, 10 * tol, 1e-4));
      out.push(validateResult(`${tag} dGamma`, gs.subarray(r * P, r * P + O), ref.dGamma, tol, 1e-4));
      out.push(validateResult(`${tag} dBeta`, gs.subarray(r * P + O, (r + 1) * P), ref.dBeta, tol, 1e-4));
    }
    k.endCase();
  }
  return out;
};

/** Loss kernel: every KIND in training mode (gradients, mean loss, correct), evaluation sums, predictions. */
export const lossCase: CaseFn = async (k, seed) => {
  const out: Validation[] = [];
  const rng = newRng(seed);
  for (const [B, C] of [
    [1, 2],
    [16, 3],
    [100, 10],
  ]) {
    for (const kind of [0, 1, 2]) {
      const nData = B + 4;
      const logits = [randn(rng, B * C, 3), randn(rng, B * C, 3)];
      const labels = randInt(rng, nData, C);
      const targets = randn(rng, nData * C);
      const rows = new Uint32Array(B).map((_, i) => (i * 3 + 1) % nData);
      const labelWords = kind === 1 ? new Uint32Array(targets.buffer) : new Uint32Array(labels.buffer);
      const M = 12;
      const recWords = 2 * R * M + R * 32; // two slots of records, then the track
      const trackOff = 2 * R * M;
      for (const mode of [0, 1, 2]) {
        // acts per run: logits; dacts per run: outputs (mode 2 writes rows rowBase.. of n = B rows)
        const acts = concat(logits);
        const dBuf = k.poisoned(R * B * C);
        const rec = new Float32Array(recWords);
        const rBuf = k.upload(rec);
        k.setStep(0, { s: 1, rowBase: 0, valid: B, flags: 1 });
        const dims = [B, C, R, M, 0, B * C, 0, B * C, 0, 4, trackOff, 0];
        const hyper = hyperBuffer(k, [0, 0], 'bernoulli', 0, 0);
        await k.dispatch(
          'loss',
          { KIND: kind, MODE: mode },
          [k.uniform(dims), k.upload(labelWords), k.upload(rows), k.upload(acts), dBuf, rBuf, hyper],
          [1, 1, R],
        );
        const gd = await k.readF32(dBuf, R * B * C);
        const gr = await k.readF32(rBuf, recWords);
        for (let r = 0; r < R; r++) {
          const tag = `loss kind=${kind} mode=${mode} r=${r} B=${B} C=${C}`;
          // the rows the kernel reads: gathered (training) or consecutive from rowBase (evaluation)
          const idx = mode === 0 ? Array.from(rows) : Array.from({ length: B }, (_, i) => i);
          const t =
            kind === 1
              ? Float32Array.from(idx.flatMap((i) => Array.from(targets.subarray(i * C, i * C + C))))
              : Int32Array.from(idx, (i) => labels[i]);
          const lossName = kind === 0 ? 'softmaxCE' : 'mse';
          const ref = outputLoss(lossName, logits[r], t, B, C);
          const base = (1 * R + r) * M;
          if (mode === 0) {
            out.push(validateResult(`${tag} dX`, gd.subarray(r * B * C, (r + 1) * B * C), ref.dOut, 1e-7, 1e-5));
            out.push(validateResult(`${tag} dataLoss`, [gr[base + 1]], [ref.loss], 1e-6, 1e-5));
            if (kind !== 1) out.push(validateResult(`${tag} correct`, [gr[base + 2]], [ref.correct], 0, 0));
          } else if (mode === 1) {
            out.push(validateResult(`${tag} loss sum`, [gr[base + 4]], [ref.loss * B], 1e-5, 1e-5));
            if (kind !== 1) out.push(validateResult(`${tag} correct sum`, [gr[base + 5]], [ref.correct], 0, 0));
          } else {
            const want = kind === 0 ? softmax(logits[r], B, C) : logits[r];
            out.push(validateResult(`${tag} outputs`, gd.subarray(r * B * C, (r + 1) * B * C), want, 1e-7, 1e-5));
          }
        }
      }
      k.endCase();
    }
  }
  return out;
};
