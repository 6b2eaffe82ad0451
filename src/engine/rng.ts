// Seeded randomness. No Math.random anywhere in the engine: every stream derives from the
// run's master seed and a purpose (data, init, shuffle, dropout, augment), so changing one
// purpose's seed never perturbs another, and the same config always reproduces the same run.
import { lowbias32 } from './hash';
import type { StreamName } from './types';

const STREAM_SALT: Record<StreamName, number> = {
  data: 0x9e3779b9,
  init: 0x85ebca6b,
  shuffle: 0xc2b2ae35,
  dropout: 0x27d4eb2f,
  augment: 0x165667b1,
};

/** Seed of one purpose's stream, derived from the master seed. */
export function streamSeed(masterSeed: number, stream: StreamName): number {
  return lowbias32((masterSeed ^ STREAM_SALT[stream]) >>> 0);
}

/**
 * Seed of the initial weights' stream: the master seed's 'init' stream, or for initSeed k > 0
 * the one master seed + k would use (mod 2^32), so seed-band member k starts where a run with
 * seed + k would, while data and minibatch order stay the master seed's.
 */
export function initStreamSeed(masterSeed: number, initSeed: number): number {
  return streamSeed((masterSeed + initSeed) >>> 0, 'init');
}

/** A small, fast, seeded generator (mulberry32) with the draws the engine needs. */
export class Rng {
  private s: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Uniform u32. */
  nextU32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box-Muller, caching the second draw). */
  gaussian(): number {
    if (this.spare !== null) {
      const g = this.spare;
      this.spare = null;
      return g;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace(a: Int32Array | number[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/**
 * Order in which the training samples are visited in `epoch` (0-based). A pure function of
 * (shuffleSeed, epoch, n): the GPU backend and every run of a compare set get the same order.
 * With shuffle off, the order is 0..n-1 every epoch.
 */
export function epochOrder(shuffleSeed: number, epoch: number, n: number, shuffle: boolean): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (shuffle) shuffleInPlace(order, new Rng(lowbias32((shuffleSeed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0)));
  return order;
}
