// Seeded 2D toy sets (classification and regression), in the spirit of the TensorFlow playground.
// Points live in about [-1, 1]^2 so an unnormalized network trains well at the default rate.
// `noise` in [0, 1] scales a Gaussian displacement of each point (classification: after the
// label is fixed, so noisy points cross the boundary) or of each target (regression):
//
//   set           clean shape                                       noise: std of the displacement
//   circle        class 1 inside r < 0.5, class 0 in the ring        0.25 * noise
//                 0.7 < r < 1 (radius ~ sqrt(uniform): even density)
//   xor           uniform in [-1,1]^2 away from the axes (|x|,|y| >   0.25 * noise
//                 0.05), class = x*y < 0
//   blobs         C Gaussian blobs (std 0.12) at radius 0.75,         + 0.35 * noise (added to the blob std)
//                 angles 2 pi k / C
//   spiral        two interleaved arms, r = 0.05..1, 1.75 turns       0.1 * noise
//   moons         sklearn's two moons, centred, scaled by 0.8       0.3 * noise
//   checkerboard  4x4 board on [-1,1]^2, class = parity of the cell   0.15 * noise
//   regPlane      y = 0.6 x1 - 0.4 x2 + 0.1 on uniform [-1,1]^2      0.2 * noise (on the target)
//   regGauss      y = exp(-|x - (0.2,-0.1)|^2 / (2*0.35^2))         0.1 * noise (on the target)
//
// Every generator draws from the given Rng only, in a fixed order, so a seed reproduces it.
import type { Rng } from '../rng';
import type { Bounds, RawData } from './types';

const BOX = 1.4;
const SQUARE: Bounds = { xMin: -BOX, xMax: BOX, yMin: -BOX, yMax: BOX };

/** n points split as evenly as possible over C classes: class of the i-th point. */
function classOf(i: number, n: number, C: number): number {
  return Math.min(C - 1, Math.floor((i * C) / n));
}

function classification(n: number, C: number, point: (c: number, out: number[]) => void): RawData {
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  const p = [0, 0];
  for (let i = 0; i < n; i++) {
    const c = classOf(i, n, C);
    point(c, p);
    x[2 * i] = p[0];
    x[2 * i + 1] = p[1];
    y[i] = c;
  }
  return { x, y, inputDim: 2, outputDim: C, classes: C, bounds: SQUARE };
}

export interface Classification2D {
  label: string;
  generate(n: number, noise: number, rng: Rng, classes: number): RawData;
}

export const CLASSIFICATION_2D: Record<
  'circle' | 'xor' | 'blobs' | 'spiral' | 'moons' | 'checkerboard',
  Classification2D
> = {
  circle: {
    label: 'Circle',
    generate: (n, noise, rng) =>
      classification(n, 2, (c, p) => {
        // Class 1: disk r < 0.5; class 0: ring 0.7..1. sqrt of a uniform in r^2 gives uniform area density.
        const r = c === 1 ? 0.5 * Math.sqrt(rng.uniform()) : Math.sqrt(0.49 + 0.51 * rng.uniform());
        const a = 2 * Math.PI * rng.uniform();
        p[0] = r * Math.cos(a) + 0.25 * noise * rng.gaussian();
        p[1] = r * Math.sin(a) + 0.25 * noise * rng.gaussian();
      }),
  },
  xor: {
    label: 'XOR',
    generate: (n, noise, rng) =>
      classification(n, 2, (c, p) => {
        // Quadrant signs: class 0 has x*y > 0, class 1 has x*y < 0. Keep 0.05 away from the axes.
        const sx = rng.uniform() < 0.5 ? -1 : 1;
        const sy = c === 0 ? sx : -sx;
        p[0] = sx * (0.05 + 0.95 * rng.uniform()) + 0.25 * noise * rng.gaussian();
        p[1] = sy * (0.05 + 0.95 * rng.uniform()) + 0.25 * noise * rng.gaussian();
      }),
  },
  blobs: {
    label: 'Gaussian blobs',
    generate: (n, noise, rng, C) =>
      classification(n, C, (c, p) => {
        const a = (2 * Math.PI * c) / C + Math.PI / 4;
        const s = 0.12 + 0.35 * noise;
        p[0] = 0.75 * Math.cos(a) + s * rng.gaussian();
        p[1] = 0.75 * Math.sin(a) + s * rng.gaussian();
      }),
  },
  spiral: {
    label: 'Two spirals',
    generate: (n, noise, rng) =>
      classification(n, 2, (c, p) => {
        // Position t along the arm uniform in [0,1): radius grows linearly, angle 1.75 turns; arm 1 is arm 0 rotated by pi.
        const t = rng.uniform();
        const r = 0.05 + 0.95 * t;
        const a = 1.75 * 2 * Math.PI * t + c * Math.PI;
        p[0] = r * Math.sin(a) + 0.1 * noise * rng.gaussian();
        p[1] = r * Math.cos(a) + 0.1 * noise * rng.gaussian();
      }),
  },
  moons: {
    label: 'Two moons',
    generate: (n, noise, rng) =>
      classification(n, 2, (c, p) => {
        // sklearn make_moons: upper moon (cos a, sin a), lower (1 - cos a, 0.5 - sin a); centre (0.5, 0.25).
        const a = Math.PI * rng.uniform();
        const mx = c === 0 ? Math.cos(a) : 1 - Math.cos(a);
        const my = c === 0 ? Math.sin(a) : 0.5 - Math.sin(a);
        p[0] = 0.8 * (mx - 0.5) + 0.3 * noise * rng.gaussian();
        p[1] = 0.8 * (my - 0.25) + 0.3 * noise * rng.gaussian();
      }),
  },
  checkerboard: {
    label: 'Checkerboard',
    generate: (n, noise, rng) =>
      classification(n, 2, (c, p) => {
        // Uniform over the 8 cells of parity c: column cx any, row cy of matching parity.
        const cx = rng.int(4);
        const cy = 2 * rng.int(2) + ((c + cx) % 2);
        const u = -1 + (cx + rng.uniform()) / 2;
        const v = -1 + (cy + rng.uniform()) / 2;
        p[0] = u + 0.15 * noise * rng.gaussian();
        p[1] = v + 0.15 * noise * rng.gaussian();
      }),
  },
};

/** Class of a clean checkerboard point (tests and the UI's legend use it). */
export function checkerboardClass(u: number, v: number): number {
  return (Math.floor((u + 1) * 2) + Math.floor((v + 1) * 2)) % 2;
}

export interface Regression2D {
  label: string;
  /** The noise-free target function. */
  f(x1: number, x2: number): number;
  generate(n: number, noise: number, rng: Rng): RawData;
}

function regression(f: (a: number, b: number) => number, noiseStd: number) {
  return (n: number, noise: number, rng: Rng): RawData => {
    const x = new Float32Array(n * 2);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const a = -1 + 2 * rng.uniform();
      const b = -1 + 2 * rng.uniform();
      x[2 * i] = a;
      x[2 * i + 1] = b;
      y[i] = f(a, b) + noiseStd * noise * rng.gaussian();
    }
    return { x, y, inputDim: 2, outputDim: 1, classes: 0, bounds: SQUARE };
  };
}

const plane = (a: number, b: number) => 0.6 * a - 0.4 * b + 0.1;
const bump = (a: number, b: number) => Math.exp(-((a - 0.2) ** 2 + (b + 0.1) ** 2) / (2 * 0.35 ** 2));

export const REGRESSION_2D: Record<'regPlane' | 'regGauss', Regression2D> = {
  regPlane: { label: 'Plane', f: plane, generate: regression(plane, 0.2) },
  regGauss: { label: 'Gaussian bump', f: bump, generate: regression(bump, 0.1) },
};
