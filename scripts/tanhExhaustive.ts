// Proof over every float32 input that the kernels' SIMD tanh (workers/cpu/wasm/tanh.ts tanhSimd) gives
// the float32 the scalar path gives (tanhScalar: <f32>Math.tanh(<f64>x) in AssemblyScript, the kernels'
// tanh before), and that this equals the engine's Math.fround(Math.tanh(x)) (src/engine/activations.ts,
// V8's tanh). Run once by hand, not in npm test (minutes):
//   npx tsx scripts/tanhExhaustive.ts [--build=simd|relaxed] [--from=0] [--count=2147483648] [--engine=false] [--wasm=path]
// For each non-negative float32 bit pattern b (0 .. 0x7fffffff: +0, subnormals, normals, +Inf, NaNs)
// and its negative b | 0x80000000, the SIMD result must equal the scalar one bit for bit (NaN: both
// NaN, payloads aside), and tanh(-x) must be -tanh(x) bit for bit. Reports mismatches (must be 0),
// the lanes that took the scalar fallback and the run time.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasm } from './buildWasm';

interface TanhKernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  tanhSimd(z: number, h: number, n: number): number;
  tanhScalar(z: number, h: number, n: number): void;
}

const arg = (name: string, dflt: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const build = arg('build', 'simd');
const from = Number(arg('from', '0'));
const count = Math.min(Number(arg('count', String(2 ** 31))), 2 ** 31 - from);
const engine = arg('engine', 'true') !== 'false';
const CH = 1 << 20;

async function main() {
  await buildWasm();
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const file = build === 'relaxed' ? 'dense-relaxed.wasm' : 'dense-simd.wasm';
  // --wasm=path: another build of the kernels (e.g. one with a fallback disabled, to see what it guards)
  const bytes = readFileSync(arg('wasm', '') || resolve(root, 'workers/cpu/wasm/build', file));
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const k = instance.exports as unknown as TanhKernels;
  const base = k.heapBase();
  const need = base + 5 * 4 * CH;
  if (k.memory.buffer.byteLength < need) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
  const buf = k.memory.buffer;
  const [pIn, pSimd, pRef, pNeg, pNegRef] = [0, 1, 2, 3, 4].map((i) => base + i * 4 * CH);
  const inBits = new Uint32Array(buf, pIn, CH);
  const inF = new Float32Array(buf, pIn, CH);
  const simd = new Uint32Array(buf, pSimd, CH);
  const ref = new Uint32Array(buf, pRef, CH);
  const refF = new Float32Array(buf, pRef, CH);
  const neg = new Uint32Array(buf, pNeg, CH);
  const negRef = new Uint32Array(buf, pNegRef, CH);
  const one = new Float32Array(1);
  const oneBits = new Uint32Array(one.buffer);
  const isNaN32 = (b: number) => (b & 0x7fffffff) > 0x7f800000;
  // the hardest inputs: V8's float64 tanh within HARD ulps of a float32 rounding midpoint (for tests)
  const d64 = new Float64Array(1);
  const d64Lo = new Uint32Array(d64.buffer);
  const HARD = 32;
  const hard: [bits: number, ulps: number][] = [];

  let mismatches = 0;
  let oddMismatches = 0;
  let engineMismatches = 0;
  let fell = 0;
  let fellNeg = 0;
  const shown: string[] = [];
  const show = (s: string) => {
    if (shown.length < 10) shown.push(s);
  };
  const t0 = performance.now();
  let wasmMs = 0;
  for (let s = from; s < from + count; s += CH) {
    const n = Math.min(CH, from + count - s);
    for (let i = 0; i < n; i++) inBits[i] = s + i;
    let w0 = performance.now();
    fell += k.tanhSimd(pIn, pSimd, n);
    k.tanhScalar(pIn, pRef, n);
    wasmMs += performance.now() - w0;
    if (engine) {
      for (let i = 0; i < n; i++) {
        d64[0] = Math.tanh(inF[i]);
        one[0] = d64[0];
        const dist = Math.abs((d64Lo[0] & 0x1fffffff) - 0x10000000);
        if (dist < HARD && d64[0] >= 2 ** -125) hard.push([s + i, dist]);
        const b = oneBits[0];
        if (b !== ref[i] && !(isNaN32(b) && isNaN32(ref[i]))) {
          engineMismatches++;
          show(`engine: x bits ${(s + i).toString(16)} (${inF[i]}): V8 ${one[0]}, wasm scalar ${refF[i]}`);
        }
      }
    }
    for (let i = 0; i < n; i++) inBits[i] = (s + i) | 0x80000000;
    w0 = performance.now();
    fellNeg += k.tanhSimd(pIn, pNeg, n);
    k.tanhScalar(pIn, pNegRef, n);
    wasmMs += performance.now() - w0;
    for (let i = 0; i < n; i++) {
      const nan = isNaN32(s + i);
      if (nan ? !(isNaN32(simd[i]) && isNaN32(ref[i])) : simd[i] !== ref[i]) {
        mismatches++;
        show(`simd: x bits ${(s + i).toString(16)}: simd ${simd[i].toString(16)}, scalar ${ref[i].toString(16)}`);
      }
      if (nan ? !(isNaN32(neg[i]) && isNaN32(negRef[i])) : neg[i] !== negRef[i]) {
        mismatches++;
        show(
          `simd: x bits ${((s + i) | 0x80000000).toString(16)}: simd ${neg[i].toString(16)}, scalar ${negRef[i].toString(16)}`,
        );
      }
      if (!nan && (neg[i] !== (simd[i] | 0x80000000) >>> 0 || negRef[i] !== (ref[i] | 0x80000000) >>> 0)) {
        oddMismatches++;
        show(`odd: x bits ${(s + i).toString(16)}: tanh(-x) ${neg[i].toString(16)} / ${negRef[i].toString(16)}`);
      }
    }
    if (((s - from) / CH) % 256 === 255) {
      const done = s + n - from;
      console.log(`${((100 * done) / count).toFixed(1)}% (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
  const secs = (performance.now() - t0) / 1000;
  for (const l of shown) console.log(l);
  if (engine) {
    hard.sort((a, b) => a[1] - b[1]);
    console.log(`inputs whose float64 tanh lies within ${HARD} ulps of a float32 midpoint: ${hard.length}`);
    console.log(`closest (bits, ulps): ${JSON.stringify(hard.slice(0, 64))}`);
  }
  console.log(
    `${file}: ${count} non-negative float32 inputs from bits ${from.toString(16)} and their negatives; ` +
      `SIMD vs scalar mismatches ${mismatches}; tanh(-x) = -tanh(x) failures ${oddMismatches}; ` +
      `engine (V8 Math.tanh) vs wasm scalar mismatches ${engine ? engineMismatches : 'not checked'}; ` +
      `scalar fallbacks ${fell} (+x) + ${fellNeg} (-x) = ${((fell + fellNeg) / (2 * count)).toExponential(2)} of lanes; ` +
      `${secs.toFixed(0)} s (wasm calls ${(wasmMs / 1000).toFixed(0)} s)`,
  );
  process.exitCode = mismatches + oddMismatches + engineMismatches === 0 ? 0 : 1;
}

main();
