// Data augmentation, counter-based so a GPU kernel can reproduce every random number from its
// coordinates (hash.ts): nothing here depends on how many numbers were drawn before.
//
// Gaussian input noise (data.augmentNoise = std), added to the *model inputs* (after
// preprocessing) of each training sample every step. For feature f of the sample at position b
// of the batch (0..B-1), at global training step `step`, with D input features:
//   u1 = hashUniform(augmentSeed, step, 0, f,     b)
//   u2 = hashUniform(augmentSeed, step, 0, f + D, b)
//   z  = sqrt(-2 ln(1 - u1)) * cos(2 pi u2)        (Box-Muller; 1 - u1 is in (0, 1], so ln is finite)
//   x'[b, f] = x[b, f] + std * z
// (the same "second uniform at unit + units" convention as Gaussian dropout).
//
// Random affine for digit images (data.augmentAffine), applied to the raw image (background 0)
// before preprocessing. Per sample b at step `step`, with u_k = hashUniform(augmentSeed, step, 1, k, b):
//   shift dx = (2u_0 - 1) * 2 px, dy = (2u_1 - 1) * 2 px, rotation = (2u_2 - 1) * 12 degrees,
//   scale = 1 + (2u_3 - 1) * 0.1, about the image centre c = ((W-1)/2, (H-1)/2).
// Output pixel p' samples the input at p = c + R(-rot) (p' - c - shift) / scale, bilinearly, 0 outside.

import type { Dataset } from './data/dataset';
import { hashUniform } from './hash';
import { applyPreprocess } from './preprocess';
import type { DataConfig } from './types';

export const AFFINE_MAX_SHIFT = 2;
export const AFFINE_MAX_ROTATION = (12 * Math.PI) / 180;
export const AFFINE_MAX_SCALE = 0.1;

/** The standard normal draw for coordinate (f, b) at `step` (see header), D = features per sample. */
export function noiseGaussian(augmentSeed: number, step: number, f: number, D: number, b: number): number {
  const u1 = hashUniform(augmentSeed, step, 0, f, b);
  const u2 = hashUniform(augmentSeed, step, 0, f + D, b);
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/** x[B, D] += std * z in place (see header). */
export function addGaussianNoise(
  x: Float32Array,
  B: number,
  D: number,
  std: number,
  augmentSeed: number,
  step: number,
): void {
  if (std === 0) return;
  for (let b = 0; b < B; b++)
    for (let f = 0; f < D; f++) x[b * D + f] += std * noiseGaussian(augmentSeed, step, f, D, b);
}

export interface AffineParams {
  /** Shift in pixels (x to the right, y downward). */
  dx: number;
  dy: number;
  /** Rotation in radians. */
  rotation: number;
  scale: number;
}

/** The affine parameters of batch position b at `step` (see header). */
export function affineParams(augmentSeed: number, step: number, b: number): AffineParams {
  const u = (k: number) => 2 * hashUniform(augmentSeed, step, 1, k, b) - 1;
  return {
    dx: u(0) * AFFINE_MAX_SHIFT,
    dy: u(1) * AFFINE_MAX_SHIFT,
    rotation: u(2) * AFFINE_MAX_ROTATION,
    scale: 1 + u(3) * AFFINE_MAX_SCALE,
  };
}

/** dst[H, W] = src[H, W] warped by p (inverse mapping with bilinear interpolation, zero outside). */
export function affineWarp(
  src: ArrayLike<number>,
  dst: Float32Array,
  H: number,
  W: number,
  p: AffineParams,
  srcOffset = 0,
  dstOffset = 0,
): void {
  const cx = (W - 1) / 2;
  const cy = (H - 1) / 2;
  // Inverse of p' = c + scale R(rot) (p - c) + shift.
  const cos = Math.cos(p.rotation) / p.scale;
  const sin = Math.sin(p.rotation) / p.scale;
  const at = (r: number, c: number) => (r >= 0 && r < H && c >= 0 && c < W ? src[srcOffset + r * W + c] : 0);
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      const ox = j - cx - p.dx;
      const oy = i - cy - p.dy;
      const sx = cx + cos * ox + sin * oy; // R(-rot) = [[cos, sin], [-sin, cos]]
      const sy = cy - sin * ox + cos * oy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      dst[dstOffset + i * W + j] =
        (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
        fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
    }
  }
}

/**
 * The inputs and targets of one training minibatch, augmented: rows `indices` of the training
 * split (indices[b] is the sample at batch position b). Affine warps apply to image sets only,
 * on raw pixels, followed by the dataset's preprocessing; Gaussian noise is added last.
 * x: [B, inputDim]; y: Int32Array[B] labels or Float32Array[B, outputDim] targets.
 */
export function trainingBatch(
  ds: Dataset,
  data: Pick<DataConfig, 'augmentNoise' | 'augmentAffine'>,
  indices: ArrayLike<number>,
  augmentSeed: number,
  step: number,
  out?: Float32Array,
): { x: Float32Array; y: Int32Array | Float32Array } {
  const B = indices.length;
  const D = ds.inputDim;
  const warp = data.augmentAffine && ds.image !== undefined;
  // `out` (B*D floats): a buffer the caller reuses from step to step; every entry is written below.
  let x: Float32Array = out && out.length === B * D ? out : new Float32Array(B * D);
  if (warp && ds.image) {
    const { height: H, width: W } = ds.image;
    for (let b = 0; b < B; b++)
      affineWarp(ds.xTrainRaw, x, H, W, affineParams(augmentSeed, step, b), indices[b] * D, b * D);
    if (ds.preprocessor) x = applyPreprocess(ds.preprocessor, x, B);
  } else {
    const src = ds.xTrain;
    // A few features (the 2D sets): copied entry by entry, as a subarray per row costs more than
    // its copy; wide rows (digits) by set().
    if (D <= 16)
      for (let b = 0, o = 0; b < B; b++) for (let i = indices[b] * D, e = i + D; i < e; i++, o++) x[o] = src[i];
    else for (let b = 0; b < B; b++) x.set(src.subarray(indices[b] * D, indices[b] * D + D), b * D);
  }
  addGaussianNoise(x, B, D, data.augmentNoise, augmentSeed, step);
  if (ds.kind === 'classification') {
    const y = new Int32Array(B);
    for (let b = 0; b < B; b++) y[b] = ds.yTrain[indices[b]];
    return { x, y };
  }
  const O = ds.outputDim;
  const y = new Float32Array(B * O);
  for (let b = 0; b < B; b++) y.set(ds.yTrain.subarray(indices[b] * O, indices[b] * O + O), b * O);
  return { x, y };
}

/**
 * One step's minibatch shared by the runs of a race that would gather the same one (same dataset
 * object, augmentation settings and seed, step and sample indices: compare sets share all of
 * these), so it is gathered and augmented once per step, not once per run. Runs trained in
 * lockstep (Run.beginChunk/stepOnce/endChunk: every run's step s before any run's step s + 1)
 * find the batch of their step here; otherwise (one run after another) the key differs and each
 * run gathers its own, so results never depend on it. The arrays returned are the producing
 * run's buffers: read-only for the others, and rewritten only when that run gathers again, which
 * replaces the entry.
 */
export class SharedBatch {
  private ds: Dataset | null = null;
  private noise = 0;
  private affine = false;
  private seed = 0;
  private step = -1;
  private idx = new Int32Array(0);
  private batch: { x: Float32Array; y: Int32Array | Float32Array } | null = null;
  /** Gathers made and batches reused (tests). */
  gathered = 0;
  reused = 0;

  /** trainingBatch(ds, data, indices, augmentSeed, step, out), or the same batch gathered by another run. */
  take(
    ds: Dataset,
    data: Pick<DataConfig, 'augmentNoise' | 'augmentAffine'>,
    indices: Int32Array,
    augmentSeed: number,
    step: number,
    out?: Float32Array,
  ): { x: Float32Array; y: Int32Array | Float32Array } {
    if (
      this.batch &&
      this.ds === ds &&
      this.step === step &&
      this.seed === augmentSeed &&
      this.noise === data.augmentNoise &&
      this.affine === data.augmentAffine &&
      sameInts(this.idx, indices)
    ) {
      this.reused++;
      return this.batch;
    }
    const b = trainingBatch(ds, data, indices, augmentSeed, step, out);
    this.gathered++;
    this.ds = ds;
    this.step = step;
    this.seed = augmentSeed;
    this.noise = data.augmentNoise;
    this.affine = data.augmentAffine;
    if (this.idx.length !== indices.length) this.idx = new Int32Array(indices.length);
    this.idx.set(indices);
    this.batch = b;
    return b;
  }
}

function sameInts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
