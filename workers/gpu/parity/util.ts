// Inputs for the parity cases: seeded (engine Rng), so a failure reproduces; fresh per shape.
import { Rng } from '../../../src/engine/rng';
import type { Validation } from './validate';

export function randn(rng: Rng, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = scale * rng.gaussian();
  return a;
}

export function randInt(rng: Rng, n: number, hi: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.int(hi);
  return a;
}

/** Concatenate arrays (runs, regions) into one upload. */
export function concat(parts: ArrayLike<number>[]): Float32Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Float32Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p as ArrayLike<number>, o);
    o += p.length;
  }
  return out;
}

export const newRng = (seed: number) => new Rng(seed);

/** A parity case: runs kernels for several shapes and returns one validation per compared output. */
export type CaseFn = (k: import('./runner').KernelRunner, seed: number) => Promise<Validation[]>;

/** ceil(a / b) */
export const cdiv = (a: number, b: number) => Math.ceil(a / b);
