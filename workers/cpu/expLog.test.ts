// The kernels' exp and log (wasm/expLog.ts, V8's fdlibm ported to f64x2) against this engine's Math.exp
// and Math.log bit for bit, and their softmax cross-entropy (wasm/softmaxCE.ts) against the engine's
// softmaxCrossEntropyInto: loss, correct count and every dLogits float. A seeded sample of the sets
// scripts/expLogCheck.ts runs by the millions (in Node and Chromium): the loss's ranges, every
// exponent range, the reductions' thresholds, subnormals, NaN/Inf and edge values; both builds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ExpLogKernels, expLogCore } from '../../scripts/expLogCore';
import { ACTIVATIONS } from '../../src/engine/activations';
import { softmaxCrossEntropyInto } from '../../src/engine/losses';
import { Rng } from '../../src/engine/rng';
import type { Kernels as AllKernels } from './wasmOps';

/** The kernels' exports these tests call (wasmOps.ts Kernels: softmaxCE, activate; expLogCore's exp and log). */
type Kernels = AllKernels & ExpLogKernels & { sigmoidSimd(z: number, h: number, n: number): number };

const bytesOf = (file: string) => new Uint8Array(readFileSync(new URL(`./wasm/build/${file}`, import.meta.url)));
const relaxed = bytesOf('dense-relaxed.wasm');
const BUILDS: [string, Uint8Array<ArrayBuffer>][] = [['simd', bytesOf('dense-simd.wasm')]];
if (WebAssembly.validate(relaxed)) BUILDS.push(['relaxed-simd', relaxed]);

const load = async (bytes: Uint8Array<ArrayBuffer>) =>
  (await WebAssembly.instantiate(bytes, {})).instance.exports as unknown as Kernels;

/** Rows of logits [B, C] the loss must take exactly as the engine: random, tied, huge, infinite, NaN. */
function batch(rng: Rng, B: number, C: number, kind: number): { logits: Float32Array; labels: Int32Array } {
  const logits = new Float32Array(B * C);
  const labels = new Int32Array(B);
  for (let n = 0; n < B; n++) {
    labels[n] = Math.floor(rng.uniform() * C);
    const scale = [1, 8, 40, 1e30][kind % 4];
    for (let j = 0; j < C; j++) logits[n * C + j] = (rng.uniform() * 2 - 1) * scale;
    const r = rng.uniform();
    if (r < 0.05)
      logits[n * C + ((n + 1) % C)] = logits[n * C]; // a tie
    else if (r < 0.07) logits[n * C] = Number.POSITIVE_INFINITY;
    else if (r < 0.09) logits[n * C + C - 1] = Number.NEGATIVE_INFINITY;
    else if (r < 0.1) logits[n * C] = Number.NaN;
    else if (r < 0.12) logits.fill(0, n * C, n * C + C);
  }
  return { logits, labels };
}

/** Each float32's bits, NaN as one pattern (payloads aside: wasm and JS propagate different ones). */
const bits = (a: Float32Array) =>
  Array.from(new Uint32Array(a.slice().buffer), (b, i) => (Number.isNaN(a[i]) ? -1 : b));

describe.each(BUILDS)('exp and log, %s build', (_name, bytes) => {
  it('equal Math.exp / Math.log bit for bit on every set (SIMD and scalar paths)', async () => {
    const k = await load(bytes);
    const sets = expLogCore(k, 1 << 14, 17);
    for (const s of sets) expect([s.name, s.simdMismatch, s.scalarMismatch, s.examples]).toEqual([s.name, 0, 0, []]);
    const fell = Object.fromEntries(sets.map((s) => [s.name, s.fell]));
    // the loss's inputs stay on the SIMD path; out-of-range ones take the scalar one
    expect(fell['exp loss: -uniform[0, 40)']).toBe(0);
    expect(fell['log loss: sums of C = 2..10 exps']).toBe(0);
    expect(fell['exp: all bit patterns']).toBeGreaterThan(1000);
    expect(fell['log: positive subnormals']).toBe(1 << 14);
  });

  it('softmax cross-entropy equals the engine: loss, correct, every dLogits float', async () => {
    const k = await load(bytes);
    const rng = new Rng(5);
    const base = k.heapBase();
    for (const [B, C] of [
      [1, 2],
      [7, 2],
      [32, 2],
      [33, 3],
      [16, 5],
      [9, 10],
      [64, 10],
    ]) {
      for (let kind = 0; kind < 4; kind++) {
        const { logits, labels } = batch(rng, B, C, kind);
        const want = new Float32Array(B * C);
        const e = softmaxCrossEntropyInto(logits, labels, B, C, want);
        const pL = base;
        const pY = pL + 4 * B * C;
        const pD = pY + 4 * B;
        const pS = (pD + 4 * B * C + 15) & ~15;
        for (const simd of [1, 0]) {
          const f32 = new Float32Array(k.memory.buffer);
          f32.set(logits, pL >> 2);
          new Int32Array(k.memory.buffer).set(labels, pY >> 2);
          f32.fill(Number.NaN, pD >> 2, (pD >> 2) + B * C);
          new Float64Array(k.memory.buffer).fill(Number.NaN, pS >> 3, (pS >> 3) + B * C + 2 * B);
          const loss = k.softmaxCE(pL, pY, B, C, pD, pS, simd);
          const got = new Float32Array(k.memory.buffer, pD, B * C);
          const where = `B ${B} C ${C} kind ${kind} simd ${simd}`;
          expect([where, loss, k.softmaxCorrect()]).toEqual([where, e.loss, e.correct]);
          expect([where, bits(got)]).toEqual([where, bits(want)]);
        }
      }
    }
  });

  it('sigmoid (wasm/sigmoid.ts sigmoidSimd) equals the engine on random float32 bit patterns and the training range', async () => {
    const k = await load(bytes);
    const rng = new Rng(3);
    const n = (1 << 18) + 1; // odd: the scalar tail
    const z = new Float32Array(n);
    const zb = new Uint32Array(z.buffer);
    for (let i = 0; i < n; i++) {
      if (i % 2) zb[i] = rng.nextU32();
      else z[i] = (rng.uniform() * 2 - 1) * (i % 4 ? 30 : 3);
    }
    const want = z.map((x) => ACTIVATIONS.sigmoid.f(x));
    const base = k.heapBase();
    const need = base + 8 * n + 16;
    if (k.memory.buffer.byteLength < need) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
    new Float32Array(k.memory.buffer).set(z, base >> 2);
    const ph = base + 4 * n;
    new Float32Array(k.memory.buffer, ph, n).fill(Number.NaN);
    k.sigmoidSimd(base, ph, n);
    expect(bits(new Float32Array(k.memory.buffer, ph, n))).toEqual(bits(want));
  });
});
