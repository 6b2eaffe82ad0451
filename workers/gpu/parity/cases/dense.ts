// matmul (forward with its fused bias + activation + dropout epilogue), matmul_dx and matmul_dw
// against src/engine/dense.ts, activations.ts and dropout.ts, with two runs in the run dimension
// (each run its own weights) and shapes that are not multiples of the 32x32x16 tile.
import { activationForward } from '../../../../src/engine/activations';
import { defaultConfig } from '../../../../src/engine/defaults';
import { matmul } from '../../../../src/engine/dense';
import { dropoutMask } from '../../../../src/engine/dropout';
import { streamSeed } from '../../../../src/engine/rng';
import { ACTIVATION_NAMES, type DropoutKind, type TrainConfig } from '../../../../src/engine/types';
import { hyperWords, packHyper } from '../../hyper';
import type { KernelRunner } from '../runner';
import { type CaseFn, cdiv, concat, newRng, randn } from '../util';
import { type Validation, validateResult } from '../validate';

export const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [33, 17, 5],
  [32, 32, 32],
  [16, 2, 16],
  [7, 100, 3],
  [70, 40, 45],
];

/** A hyper table for R runs at global step `step` with drop probability q[r] on hidden layer `layer` (and l1Act). */
export function hyperBuffer(
  k: KernelRunner,
  q: number[],
  kind: DropoutKind,
  step: number,
  layer: number,
  l1Act = 0,
): GPUBuffer {
  const cfgs: TrainConfig[] = q.map((qr) => {
    const c = defaultConfig();
    c.seed = 7;
    c.model.dropoutKind = kind;
    c.reg.l1Act = l1Act;
    c.model.hidden = Array.from({ length: layer + 1 }, () => ({
      units: 4,
      activation: 'relu',
      dropout: qr,
      batchNorm: false,
    }));
    return c;
  });
  const words = new Uint32Array(hyperWords(q.length, 1));
  packHyper(
    words,
    cfgs,
    q.map(() => ({ activeSlots: 1, step, t: 0 })),
    new Float32Array(q.length).fill(0.1),
  );
  return k.upload(words);
}

const R = 2;

/** Forward: Z, H and O regions per run; the input either gathered from `data` or read from acts. */
export const matmulCase: CaseFn = async (k, seed) => {
  const out: Validation[] = [];
  const rng = newRng(seed);
  for (const [si, [B, I, O]] of SHAPES.entries()) {
    const act = ACTIVATION_NAMES[si % ACTIVATION_NAMES.length];
    const gather = si % 2 === 1;
    const kind: DropoutKind = si % 3 === 2 ? 'gaussian' : 'bernoulli';
    const q = [0.3, 0.55];
    const step = 1000 + si;
    const layer = si % 4;
    const P = O * I + O;
    const W = [randn(rng, O * I, 0.5), randn(rng, O * I, 0.5)];
    const b = [randn(rng, O, 0.5), randn(rng, O, 0.5)];
    const theta = concat([W[0], b[0], W[1], b[1]]);
    // X: per run in acts (region 0) or shared data rows picked by a permutation
    const nData = B + 3;
    const data = randn(rng, nData * I);
    const rows = new Uint32Array(B).map((_, i) => (i * 7 + 2) % nData);
    const gathered = new Float32Array(B * I);
    for (let n = 0; n < B; n++) gathered.set(data.subarray(rows[n] * I, rows[n] * I + I), n * I);
    const Xs = gather ? [gathered, gathered] : [randn(rng, B * I), randn(rng, B * I)];
    const xOff = 0;
    const zOff = B * I;
    const hOff = zOff + B * O;
    const oOff = hOff + B * O;
    const aRun = oOff + B * O;
    const acts = new Float32Array(R * aRun).fill(Number.NaN);
    if (!gather) for (let r = 0; r < R; r++) acts.set(Xs[r], r * aRun);
    const actsBuf = k.upload(acts);
    k.setStep(0, { s: 0, rowBase: 0, valid: B });
    const dims = [B, O, I, layer, xOff, 0, O * I, P, zOff, hOff, oOff, aRun, 0, 1, 0, 0];
    const bufs = [k.uniform(dims), k.upload(data), k.upload(rows), k.upload(theta), actsBuf];
    bufs.push(hyperBuffer(k, q, kind, step, layer));
    await k.dispatch('matmul', { ACT: ACTIVATION_NAMES.indexOf(act), EPI: 2, XSRC: gather ? 1 : 0 }, bufs, [
      cdiv(O, 32),
      cdiv(B, 32),
      R,
    ]);
    const got = await k.readF32(actsBuf, R * aRun);
    for (let r = 0; r < R; r++) {
      const tag = `matmul r=${r} B=${B} I=${I} O=${O} ${act} ${gather ? 'gather' : 'acts'} ${kind}(q=${q[r]})`;
      const z = matmul(Xs[r], W[r], b[r], B, I, O);
      const h = activationForward(z, act);
      const m = dropoutMask(h as Float32Array, kind, q[r], hyperSeed(), step, layer, B, O);
      const o = h.map((v, i) => v * m[i]);
      const base = r * aRun;
      const tol = 2e-6 * Math.sqrt(I);
      out.push(validateResult(`${tag} Z`, got.subarray(base + zOff, base + zOff + B * O), z, tol, 1e-5));
      out.push(validateResult(`${tag} H`, got.subarray(base + hOff, base + hOff + B * O), h, tol, 1e-5));
      out.push(validateResult(`${tag} O`, got.subarray(base + oOff, base + oOff + B * O), o, 3 * tol, 2e-5));
    }
    k.endCase();
  }
  return out;
};

/** The dropout seed hyperBuffer() writes (streamSeed of seed 7). */
export const hyperSeed = () => streamSeed(7, 'dropout');
