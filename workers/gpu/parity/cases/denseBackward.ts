// matmul_dx (plain, and with the fused dropout / activation-L1 / activation backward of the
// layer below) and matmul_dw (+ db) against src/engine/dense.ts and friends, two runs at once.
import { activationBackward, activationForward } from '../../../../src/engine/activations';
import { matmulBackwardW, matmulBackwardX } from '../../../../src/engine/dense';
import { dropoutBackward, dropoutMask } from '../../../../src/engine/dropout';
import { activationL1PenaltyGrad } from '../../../../src/engine/regularizers';
import { ACTIVATION_NAMES, type DropoutKind } from '../../../../src/engine/types';
import { type CaseFn, cdiv, concat, newRng, randn } from '../util';
import { type Validation, validateResult } from '../validate';
import { hyperBuffer, hyperSeed, SHAPES } from './dense';

const R = 2;

export const matmulDxCase: CaseFn = async (k, seed) => {
  const out: Validation[] = [];
  const rng = newRng(seed);
  for (const [si, [B, I, O]] of SHAPES.entries()) {
    for (const epi of [0, 1]) {
      const act = ACTIVATION_NAMES[(si + 2) % ACTIVATION_NAMES.length];
      const kind: DropoutKind = si % 2 === 0 ? 'bernoulli' : 'gaussian';
      const drop = epi === 1 && si % 3 !== 0;
      const l1 = epi === 1 && si % 2 === 1;
      const q = drop ? [0.25, 0.5] : [0, 0];
      const l1Act = 0.05;
      const step = 77 + si;
      const layer = si % 3;
      const P = O * I + O;
      const W = [randn(rng, O * I, 0.5), randn(rng, O * I, 0.5)];
      const theta = concat([W[0], new Float32Array(O), W[1], new Float32Array(O)]);
      const dZ = [randn(rng, B * O), randn(rng, B * O)];
      const a = [randn(rng, B * I, 2), randn(rng, B * I, 2)];
      const h = a.map((ar) => activationForward(ar, act) as Float32Array);
      // acts per run: a | h ; dacts per run: dZ | out
      const aRun = 2 * B * I;
      const dRun = B * O + B * I;
      const acts = concat([a[0], h[0], a[1], h[1]]);
      const dacts = new Float32Array(R * dRun).fill(Number.NaN);
      for (let r = 0; r < R; r++) dacts.set(dZ[r], r * dRun);
      const dBuf = k.upload(dacts);
      const hyper = hyperBuffer(k, q, kind, step, layer, l1 ? l1Act : 0);
      k.setStep(0, { s: 0, rowBase: 0, valid: B });
      const dims = [B, I, O, layer, 0, dRun, B * O, P, 0, 0, B * I, aRun];
      const consts = { ACT: ACTIVATION_NAMES.indexOf(act), EPI: epi, DROP: drop ? 1 : 0, L1ACT: l1 ? 1 : 0 };
      await k.dispatch(
        'matmul_dx',
        consts,
        [k.uniform(dims), k.upload(theta), k.upload(acts), dBuf, hyper],
        [cdiv(I, 32), cdiv(B, 32), R],
      );
      const got = await k.readF32(dBuf, R * dRun);
      for (let r = 0; r < R; r++) {
        let ref = matmulBackwardX(dZ[r], W[r], B, I, O);
        const tag = `matmul_dx r=${r} B=${B} I=${I} O=${O}${epi ? ` +${act}${drop ? ` ${kind}(q=${q[r]})` : ''}${l1 ? ' l1Act' : ''}` : ''}`;
        if (epi === 1) {
          if (drop) ref = dropoutBackward(ref, dropoutMask(ref, kind, q[r], hyperSeed(), step, layer, B, I));
          if (l1) activationL1PenaltyGrad(h[r], B, l1Act, ref);
          ref = activationBackward(ref, a[r], h[r], act);
        }
        const base = r * dRun + B * O;
        out.push(validateResult(tag, got.subarray(base, base + B * I), ref, 4e-6 * Math.sqrt(O), 2e-5));
      }
      k.endCase();
    }
  }
  return out;
};

export const matmulDwCase: CaseFn = async (k, seed) => {
  const out: Validation[] = [];
  const rng = newRng(seed);
  for (const [si, [B, I, O]] of SHAPES.entries()) {
    const gather = si % 2 === 0;
    const P = O * I + O;
    const dZ = [randn(rng, B * O), randn(rng, B * O)];
    const nData = B + 5;
    const data = randn(rng, nData * I);
    const rows = new Uint32Array(B).map((_, i) => (i * 5 + 1) % nData);
    const gathered = new Float32Array(B * I);
    for (let n = 0; n < B; n++) gathered.set(data.subarray(rows[n] * I, rows[n] * I + I), n * I);
    const X = gather ? [gathered, gathered] : [randn(rng, B * I), randn(rng, B * I)];
    // state: [theta | grad] with P per run in each section; grad at offset R*P
    const state = k.poisoned(2 * R * P);
    k.setStep(0, { s: 0, rowBase: 0, valid: B });
    const dims = [O, I, B, P, 0, B * O, 0, B * I, R * P, R * P + O * I, 0, 0];
    const bufs = [k.uniform(dims), k.upload(data), k.upload(rows), k.upload(concat(X)), k.upload(concat(dZ)), state];
    await k.dispatch('matmul_dw', { XSRC: gather ? 1 : 0 }, bufs, [cdiv(I, 32), cdiv(O, 32), R]);
    const got = await k.readF32(state, R * P, R * P);
    for (let r = 0; r < R; r++) {
      const { dW, db } = matmulBackwardW(dZ[r], X[r], B, I, O);
      const tag = `matmul_dw r=${r} B=${B} I=${I} O=${O} ${gather ? 'gather' : 'acts'}`;
      const tol = 4e-6 * Math.sqrt(B);
      out.push(validateResult(`${tag} dW`, got.subarray(r * P, r * P + O * I), dW, tol, 2e-5));
      out.push(validateResult(`${tag} db`, got.subarray(r * P + O * I, (r + 1) * P), db, tol, 2e-5));
    }
    k.endCase();
  }
  return out;
};
