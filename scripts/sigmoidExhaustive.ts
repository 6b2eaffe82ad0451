// Proof over every float32 input that the kernels' SIMD sigmoid (workers/cpu/wasm/sigmoid.ts
// sigmoidSimd) and its scalar path (sigmoidScalar) give the engine's float32,
// Math.fround(ACTIVATIONS.sigmoid.f(x)) (src/engine/activations.ts, V8's Math.exp). Run once by hand,
// not in npm test (minutes; workers/cpu/expLog.test.ts runs a sample):
//   node --experimental-wasm-relaxed-simd --import tsx scripts/sigmoidExhaustive.ts [--build=simd|relaxed] [--from=0] [--count=4294967296]
// Every bit pattern 0 .. 2^32 - 1 (both signs, subnormals, Inf, NaNs; NaN: both NaN, payloads
// aside). Reports the mismatches (must be 0), the lanes on the scalar path and the run time.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTIVATIONS } from '../src/engine/activations';
import { buildWasm } from './buildWasm';

interface SigmoidKernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  sigmoidSimd(z: number, h: number, n: number): number;
  sigmoidScalar(z: number, h: number, n: number): void;
}

const arg = (name: string, dflt: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const build = arg('build', 'simd');
const from = Number(arg('from', '0'));
const count = Math.min(Number(arg('count', String(2 ** 32))), 2 ** 32 - from);
const CH = 1 << 20;

async function main() {
  await buildWasm();
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const file = build === 'relaxed' ? 'dense-relaxed.wasm' : 'dense-simd.wasm';
  const { instance } = await WebAssembly.instantiate(readFileSync(resolve(root, 'workers/cpu/wasm/build', file)), {});
  const k = instance.exports as unknown as SigmoidKernels;
  const base = k.heapBase();
  const need = base + 3 * 4 * CH;
  if (k.memory.buffer.byteLength < need) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
  const buf = k.memory.buffer;
  const [pIn, pSimd, pRef] = [0, 1, 2].map((i) => base + i * 4 * CH);
  const inBits = new Uint32Array(buf, pIn, CH);
  const inF = new Float32Array(buf, pIn, CH);
  const simd = new Uint32Array(buf, pSimd, CH);
  const ref = new Uint32Array(buf, pRef, CH);
  const one = new Float32Array(1);
  const oneBits = new Uint32Array(one.buffer);
  const isNaN32 = (b: number) => (b & 0x7fffffff) > 0x7f800000;
  const f = ACTIVATIONS.sigmoid.f;
  let simdBad = 0;
  let scalarBad = 0;
  let fell = 0;
  const shown: string[] = [];
  const t0 = performance.now();
  for (let s = from; s < from + count; s += CH) {
    const n = Math.min(CH, from + count - s);
    for (let i = 0; i < n; i++) inBits[i] = s + i;
    fell += k.sigmoidSimd(pIn, pSimd, n);
    k.sigmoidScalar(pIn, pRef, n);
    for (let i = 0; i < n; i++) {
      one[0] = f(inF[i]);
      const b = oneBits[0];
      const nan = isNaN32(b);
      const badS = nan ? !isNaN32(simd[i]) : simd[i] !== b;
      const badR = nan ? !isNaN32(ref[i]) : ref[i] !== b;
      if (badS) simdBad++;
      if (badR) scalarBad++;
      if ((badS || badR) && shown.length < 10)
        shown.push(
          `x bits ${(s + i).toString(16)} (${inF[i]}): engine ${b.toString(16)} simd ${simd[i].toString(16)} scalar ${ref[i].toString(16)}`,
        );
    }
    if (((s - from) / CH) % 512 === 511)
      console.log(
        `${((100 * (s + n - from)) / count).toFixed(1)}% (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      );
  }
  for (const l of shown) console.log(l);
  console.log(
    `${file}: ${count} float32 inputs from bits ${from.toString(16)}; engine (V8 Math.exp) vs SIMD mismatches ${simdBad}, ` +
      `vs scalar path ${scalarBad}; scalar-path lanes ${fell}; ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  process.exitCode = simdBad + scalarBad === 0 ? 0 : 1;
}

main();
