// Counter-based hashing: a random number that is a pure function of its coordinates.
// Dropout masks and augmentation noise use it so that a WGSL kernel (workers/gpu/kernels/hash.wgsl)
// reproduces the exact same bits: every operation here is u32 arithmetic that WGSL has
// (xor, shift, wrapping multiply via Math.imul).

/** lowbias32 (Chris Wellons' hash-prospector): a good 32-bit integer finalizer. */
export function lowbias32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return x;
}

/** Hash of (seed, step, layer, unit, sample): chained lowbias32 over the words. */
export function hashU32(seed: number, step: number, layer: number, unit: number, sample: number): number {
  let h = lowbias32(seed >>> 0);
  h = lowbias32((h ^ (step >>> 0)) >>> 0);
  h = lowbias32((h ^ (layer >>> 0)) >>> 0);
  h = lowbias32((h ^ (unit >>> 0)) >>> 0);
  h = lowbias32((h ^ (sample >>> 0)) >>> 0);
  return h;
}

/** Uniform in [0, 1) with 24 bits: exactly representable in f32, so GPU and CPU agree bit for bit. */
export function hashUniform(seed: number, step: number, layer: number, unit: number, sample: number): number {
  return (hashU32(seed, step, layer, unit, sample) >>> 8) * 5.9604644775390625e-8; // 2^-24
}
