// hash and activation kernels against src/engine/hash.ts and activations.ts.
import { activationBackward, activationForward } from '../../../../src/engine/activations';
import { hashU32, hashUniform } from '../../../../src/engine/hash';
import { ACTIVATION_NAMES } from '../../../../src/engine/types';
import { packUniform } from '../../kernels';
import { type CaseFn, cdiv, newRng, randn } from '../util';
import { type Validation, validateResult } from '../validate';

/** hash_fill must agree bit for bit: atol = rtol = 0 on the u32s and on the uniform's bits. */
export const hashCase: CaseFn = async (k, seed) => {
  const out: Validation[] = [];
  const rng = newRng(seed);
  for (const [units, samples] of [
    [1, 1],
    [37, 5],
    [64, 33],
  ]) {
    const s = rng.nextU32();
    const step = rng.int(100000);
    const layer = rng.int(16);
    const n = units * samples;
    const buf = k.poisoned(2 * n);
    await k.dispatch(
      'hash_fill',
      {},
      [k.uniform(packUniform('hash_fill', { seed: s, step, layer, units, samples })), buf],
      [cdiv(n, 64), 1, 1],
    );
    const got = await k.readU32(buf, 2 * n);
    const refU = new Float64Array(n);
    const refF = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      refU[i] = hashU32(s, step, layer, i % units, Math.floor(i / units));
      refF[i] = hashUniform(s, step, layer, i % units, Math.floor(i / units));
    }
    const gotF = new Float32Array(got.buffer.slice(n * 4, 2 * n * 4));
    out.push(validateResult(`hashU32 units=${units} samples=${samples}`, Array.from(got.subarray(0, n)), refU, 0, 0));
    out.push(validateResult(`hashUniform units=${units} samples=${samples}`, gotF, refF, 0, 0));
    k.endCase();
  }
  return out;
};

/** Every activation forward and backward on normal inputs plus the extremes (saturation, overflow). */
export const activationCase: CaseFn = async (k, seed) => {
  const out: Validation[] = [];
  const rng = newRng(seed);
  const extremes = [0, -0, 1e-7, -1e-7, 20, -20, 88, -88, 100, -100, 1e4, -1e4];
  const z = new Float32Array([...extremes, ...randn(rng, 301, 3)]);
  const dY = randn(rng, z.length);
  const n = z.length;
  for (const [i, act] of ACTIVATION_NAMES.entries()) {
    const buf = k.poisoned(2 * n);
    await k.dispatch(
      'activation',
      { ACT: i },
      [k.uniform(packUniform('activation', { n })), k.upload(z), k.upload(dY), buf],
      [cdiv(n, 64), 1, 1],
    );
    const got = await k.readF32(buf, 2 * n);
    const y = activationForward(z, act);
    const dZ = activationBackward(dY, z, y, act);
    out.push(validateResult(`activation ${act} forward n=${n}`, got.subarray(0, n), y, 1e-6, 2e-6));
    out.push(validateResult(`activation ${act} backward n=${n}`, got.subarray(n), dZ, 1e-6, 2e-6));
    k.endCase();
  }
  return out;
};
