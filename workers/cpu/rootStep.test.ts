// Adagrad's and RMSprop's loops in the WebAssembly kernels (wasm/rootStep.ts, through the ops'
// update.adagrad / update.rmsprop) against the engine's adagradStep / rmspropStep: theta and the
// cache bit for bit, with the kernels' working memory NaN-poisoned before each call, on odd and
// even lengths (the scalar tail), over several steps, with zero and large gradients and a zero
// cache (the eps path), and with theta lent by the ops (read and written in place). Both builds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adagradStep } from '../../src/engine/optimizers/adagrad';
import { rmspropStep } from '../../src/engine/optimizers/rmsprop';
import { Rng } from '../../src/engine/rng';
import { wasmOps } from './wasmLoad';
import type { WasmKind } from './wasmOps';

const relaxedRuns = WebAssembly.validate(readFileSync(new URL('./wasm/build/dense-relaxed.wasm', import.meta.url)));
const rng = new Rng(23);
const rand = (n: number) => Float32Array.from({ length: n }, () => rng.uniform() * 2 - 1);
const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

/** The first index where got and ref differ in their bits, or -1. */
function firstDiff(got: Float32Array, ref: Float32Array): number {
  const a = bits(got);
  const b = bits(ref);
  return a.findIndex((x, i) => x !== b[i]);
}

describe.each([
  ['simd', true],
  ['relaxed-simd', relaxedRuns],
] as [WasmKind, boolean][])('WebAssembly %s Adagrad and RMSprop loops vs the engine', (kind, runs) => {
  for (const rule of ['adagrad', 'rmsprop'] as const) {
    it.runIf(runs)(`${rule}: the same theta and cache bit for bit`, async () => {
      const ops = (await wasmOps([kind], 1))!.ops;
      const kernel = ops.update![rule]!;
      expect(kernel).toBeTypeOf('function');
      const engine = (theta: Float32Array, g: Float32Array, c: Float32Array, lr: number, rho: number, eps: number) =>
        rule === 'adagrad' ? adagradStep(theta, g, c, lr, eps) : rmspropStep(theta, g, c, lr, rho, eps);
      const wasm = (theta: Float32Array, g: Float32Array, c: Float32Array, lr: number, rho: number, eps: number) =>
        rule === 'adagrad'
          ? ops.update!.adagrad!(theta, g, c, lr, eps)
          : ops.update!.rmsprop!(theta, g, c, lr, rho, eps);
      for (const P of [1, 2, 3, 8, 37, 1000, 4099]) {
        for (const lent of [false, true]) {
          const theta0 = rand(P);
          const cache0 = rand(P).map((x) => x * x * 0.1);
          cache0[0] = 0; // with a zero gradient below: sqrt(0) + eps
          const ref = [theta0.slice(), cache0.slice()];
          const got = [lent ? ops.alloc!(P)! : new Float32Array(P), new Float32Array(P)];
          got[0].set(theta0);
          got[1].set(cache0);
          for (const [step, [lr, rho, eps]] of [
            [0.01, 0.9, 1e-8],
            [0.1, 0.99, 1e-6],
            [3e-3, 0.5, 1e-10],
          ].entries()) {
            const g = rand(P).map((x, i) => (i % 5 === 4 ? x * 1e4 : x));
            g[0] = 0;
            engine(ref[0], g, ref[1], lr, rho, eps);
            ops.poison();
            wasm(got[0], g, got[1], lr, rho, eps);
            const where = `P = ${P}, step ${step}${lent ? ', theta lent' : ''}`;
            expect(firstDiff(got[0], ref[0]), `theta, ${where}`).toBe(-1);
            expect(firstDiff(got[1], ref[1]), `cache, ${where}`).toBe(-1);
          }
          if (lent) ops.release!(got[0]);
        }
      }
    });
  }
});
