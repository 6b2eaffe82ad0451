// The kernels' SIMD tanh (wasm/tanh.ts) against the scalar path it replaces (<f32>Math.tanh(<f64>x) in
// the kernels) and the engine's Math.fround(Math.tanh(x)), bit for bit: a seeded sample over all
// float32 bit patterns and over the range training sees, the inputs whose tanh lies closest to a
// float32 rounding midpoint (found by scripts/tanhExhaustive.ts, which checks every float32 input),
// and the special values. The closest ones are where a missing scalar fallback shows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';

interface TanhKernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  activate(z: number, h: number, n: number, act: number): void;
  tanhSimd(z: number, h: number, n: number): number;
  tanhScalar(z: number, h: number, n: number): void;
  setTanhSimd(on: number): void;
}

const TANH = 4; // activation code (wasm/activations.ts)

const bytesOf = (file: string) => new Uint8Array(readFileSync(new URL(`./wasm/build/${file}`, import.meta.url)));
const relaxed = bytesOf('dense-relaxed.wasm');
const BUILDS: [string, Uint8Array<ArrayBuffer>][] = [['simd', bytesOf('dense-simd.wasm')]];
if (WebAssembly.validate(relaxed)) BUILDS.push(['relaxed-simd', relaxed]);

/**
 * Inputs whose float64 tanh (V8's) lies within a few float64 ulps of a float32 rounding midpoint, as
 * [float32 bits, ulps]: all 15 within 32 ulps, from scripts/tanhExhaustive.ts over every non-negative float32.
 */
const HARDEST: [number, number][] = [
  [985890274, 5],
  [1055786342, 9],
  [1020533649, 13],
  [1085060304, 14],
  [1031549013, 18],
  [1086712010, 18],
  [1016507950, 19],
  [1084682114, 21],
  [1059108479, 23],
  [1073265790, 25],
  [1075039620, 26],
  [1003009541, 27],
  [1066924999, 28],
  [987482372, 31],
  [1056354286, 31],
];

/**
 * Inputs the approximation (degree 9) rounds to the wrong float32 unless the window around a midpoint
 * is as wide as its error bound (NEAR = 2^20 ulps; tanh.ts): with NEAR = 2^13, the window of the
 * degree-11 polynomial before, both builds return the float32 next to the scalar path's for each
 * (scripts/tanhExhaustive.ts --from=0x3f000000 --count=2^26 on such a build: the first 5 of 30).
 */
const WIDE = [0x3f00542e, 0x3f005d1a, 0x3f00e35a, 0x3f00f844, 0x3f0101ac];

/** Special and boundary inputs (float32 bit patterns). */
const SPECIAL = [
  0x00000000, // +0
  0x00000001, // smallest subnormal
  0x00000002,
  0x007fffff, // largest subnormal
  0x00800000, // 2^-126
  0x00ffffff,
  0x01000000, // 2^-125: the scalar path below
  0x01000001,
  0x39800000, // 2^-12: tanh rounds to x below about here
  0x3a000000,
  0x3f800000, // 1
  0x40000000, // 2
  0x41100000, // 9: tanh rounds to 1 near 9.01
  0x41102000,
  0x41200000, // 10
  0x41a00000, // 20: the clamp
  0x41a00001,
  0x42c80000, // 100
  0x7f7fffff, // largest float
  0x7f800000, // +Inf
  0x7fc00000, // NaN
  0x7f800001, // signalling NaN
  0x7fffffff,
];

function instance(bytes: Uint8Array<ArrayBuffer>, n: number) {
  const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as TanhKernels;
  const base = k.heapBase();
  const need = base + 4 * 4 * n;
  if (k.memory.buffer.byteLength < need) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
  const ptr = [0, 1, 2, 3].map((i) => base + i * 4 * n);
  const view = (i: number) => new Uint32Array(k.memory.buffer, ptr[i], n);
  return { k, ptr, view };
}

const isNaN32 = (b: number) => (b & 0x7fffffff) > 0x7f800000;
const same = (a: number, b: number) => a === b || (isNaN32(a) && isNaN32(b));

/**
 * Runs tanhSimd, activate(TANH) and tanhScalar over the bit patterns and compares them with each
 * other and with the engine's Math.fround(Math.tanh(x)); returns the SIMD call's fallback count.
 */
function check(bytes: Uint8Array<ArrayBuffer>, bits: Uint32Array): number {
  const n = bits.length;
  const { k, ptr, view } = instance(bytes, n);
  view(0).set(bits);
  const fell = k.tanhSimd(ptr[0], ptr[1], n);
  k.activate(ptr[0], ptr[2], n, TANH);
  k.tanhScalar(ptr[0], ptr[3], n);
  const [x, simd, act, ref] = [0, 1, 2, 3].map(view);
  const xf = new Float32Array(x.buffer, x.byteOffset, n);
  const eng = new Uint32Array(Float32Array.from(xf, (v) => Math.tanh(v)).buffer);
  const bad: string[] = [];
  for (let i = 0; i < n; i++) {
    if (!same(simd[i], ref[i]) || !same(act[i], ref[i]) || !same(eng[i], ref[i]))
      bad.push(
        `x ${xf[i]} (bits ${x[i].toString(16)}): simd ${simd[i].toString(16)}, activate ${act[i].toString(16)}, scalar ${ref[i].toString(16)}, engine ${eng[i].toString(16)}`,
      );
  }
  expect(bad.slice(0, 10), `${bad.length} of ${n} differ`).toEqual([]);
  return fell;
}

/** The patterns and their negatives (tanh is odd), with the 1- and 2-ulp neighbours when `around`. */
function withSigns(patterns: number[], around: boolean): Uint32Array {
  const out: number[] = [];
  for (const p of patterns)
    for (const d of around ? [-2, -1, 0, 1, 2] : [0]) {
      const b = p + d;
      if (b < 0 || b > 0x7fffffff) continue;
      out.push(b, (b | 0x80000000) >>> 0);
    }
  return Uint32Array.from(out);
}

describe.each(BUILDS)('SIMD tanh, %s build', (_name, bytes) => {
  it('equals the scalar path and the engine on 2^20 random float32 bit patterns', () => {
    const rng = new Rng(1717);
    const bits = Uint32Array.from({ length: 1 << 20 }, () => Math.floor(rng.uniform() * 2 ** 32));
    check(bytes, bits);
  });

  it('equals them on 2^20 random inputs in [-12, 12] (the range training sees; odd length: the tail)', () => {
    const rng = new Rng(1718);
    const x = Float32Array.from({ length: (1 << 20) + 1 }, () => (rng.uniform() * 2 - 1) * 12);
    check(bytes, new Uint32Array(x.buffer));
  });

  it('equals them next to float32 rounding midpoints of tanh, taking the scalar path there', () => {
    const bits = withSigns(
      HARDEST.map(([b]) => b),
      true,
    );
    const fell = check(bytes, bits);
    // the exact inputs closest to a midpoint (both signs) must not be decided by the approximation
    const exact = withSigns(
      HARDEST.map(([b]) => b),
      false,
    );
    expect(check(bytes, exact)).toBe(exact.length);
    expect(fell).toBeGreaterThanOrEqual(exact.length);
    // farther from a midpoint than the old window, inside the degree-9 error: the scalar path too
    const wide = withSigns(WIDE, false);
    expect(check(bytes, wide)).toBe(wide.length);
  });

  it('equals them on ±0, subnormals, the tails, ±Inf and NaN', () => {
    check(bytes, withSigns(SPECIAL, true));
    const { k, ptr, view } = instance(bytes, 4);
    view(0).set([0x00000000, 0x80000000, 0x7f800000, 0xff800000]);
    k.tanhSimd(ptr[0], ptr[1], 4);
    expect(Array.from(new Float32Array(view(1).buffer, ptr[1], 4))).toEqual([0, -0, 1, -1]);
    // subnormal-range results and NaN are not left to the midpoint test (its grid is float32's normal one)
    view(0).set([0x00000001, 0x807fffff, 0x00ffffff, 0x7fc00000]);
    expect(k.tanhSimd(ptr[0], ptr[1], 4)).toBe(4);
    view(0).set([0x00000000, 0x80000000, 0x01000000, 0x3f800000]);
    expect(k.tanhSimd(ptr[0], ptr[1], 4)).toBe(0);
  });

  it('setTanhSimd(0) (the bench switch) computes every element on the scalar path', () => {
    const { k, ptr, view } = instance(bytes, 6);
    view(0).set(new Uint32Array(Float32Array.of(0.1, -0.5, 1, 2, 9.5, -20).buffer));
    k.setTanhSimd(0);
    expect(k.tanhSimd(ptr[0], ptr[1], 6)).toBe(6);
    k.setTanhSimd(1);
    expect(k.tanhSimd(ptr[0], ptr[2], 6)).toBe(0);
    expect(view(1)).toEqual(view(2));
  });
});
