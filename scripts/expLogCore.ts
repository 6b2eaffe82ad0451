// The check behind scripts/expLogCheck.ts and workers/cpu/expLog.test.ts: the kernels' exp and log
// (workers/cpu/wasm/expLog.ts, SIMD and scalar paths) against this JavaScript engine's Math.exp and
// Math.log, bit for bit (NaN: both NaN, payloads aside), over sets of random float64 inputs and edge
// values. Self-contained (no imports, nothing from outside the function): expLogCheck.ts also runs its
// source text in Chromium's page, whose V8 is newer than Node's.

export interface ExpLogKernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  expArray(src: number, dst: number, n: number, simd: number): number;
  logArray(src: number, dst: number, n: number, simd: number): number;
}

export interface ExpLogSet {
  name: string;
  n: number;
  /** SIMD path vs Math, scalar port vs Math (both must be 0). */
  simdMismatch: number;
  scalarMismatch: number;
  /** Elements the SIMD kernel sent to the scalar path. */
  fell: number;
  /** First mismatches: input bits, Math's bits, SIMD's, scalar's (hex). */
  examples: string[];
}

/** Runs every set with `count` random inputs each (edge values once); returns the per-set counts. */
export function expLogCore(k: ExpLogKernels, count: number, seed: number): ExpLogSet[] {
  const CH = 1 << 16;
  const base = k.heapBase();
  const need = base + 3 * 8 * CH;
  if (k.memory.buffer.byteLength < need) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
  const pIn = base;
  const pSimd = base + 8 * CH;
  const pScalar = base + 16 * CH;
  // xorshift128 over 32-bit words: deterministic per seed
  let s0 = seed | 0 || 1;
  let s1 = 0x9e3779b9;
  let s2 = 0x243f6a88;
  let s3 = 0xb7e15162;
  const u32 = () => {
    const t = s0 ^ (s0 << 11);
    s0 = s1;
    s1 = s2;
    s2 = s3;
    s3 = (s3 ^ (s3 >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return s3;
  };
  const unit = () => u32() / 4294967296;
  const f32 = new Float32Array(1);
  const f64 = new Float64Array(1);
  const w = new Uint32Array(f64.buffer);
  /** A float64 from its high and low words. */
  const words = (hi: number, lo: number) => {
    w[1] = hi;
    w[0] = lo;
    return f64[0];
  };
  /** Random significand, exponent field in [e0, e1], random sign when signed. */
  const expRange = (e0: number, e1: number, signed: boolean) => () => {
    const e = e0 + Math.floor(unit() * (e1 - e0 + 1));
    const sign = signed && u32() & 1 ? 0x80000000 : 0;
    return words((sign | (e << 20) | (u32() & 0xfffff)) >>> 0, u32());
  };
  /** A float32 logit-like value: N(0, scale)-ish (sum of uniforms) rounded to float32. */
  const logit = (scale: number) => {
    f32[0] = (unit() + unit() + unit() - 1.5) * scale;
    return f32[0];
  };
  const hex = (x: number) => {
    f64[0] = x;
    return `${w[1].toString(16).padStart(8, '0')}${w[0].toString(16).padStart(8, '0')}`;
  };
  const LN2 = Math.LN2;
  const edgesExp = [
    0,
    -0,
    1,
    -1,
    Infinity,
    -Infinity,
    NaN,
    2 ** -28,
    -(2 ** -28),
    2 ** -29,
    2 ** -1074,
    -(2 ** -1074),
    0.5 * LN2,
    -0.5 * LN2,
    1.5 * LN2,
    -1.5 * LN2,
    708,
    -708,
    708.0000000000001,
    -708.0000000000001,
    707.999999999999,
    709.782712893384,
    709.7827128933841,
    709.78,
    -745.1332191019411,
    -745.1332191019412,
    -745.13,
    -708.3964185322641,
    -708.4,
    -709,
    -720,
    -740,
    1024 * LN2,
    -1022 * LN2,
    -1021 * LN2,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    1e-300,
    0.5,
    -0.5,
    2,
    -2,
    10,
    -10,
    40,
    -40,
    88.72,
    -87.33,
    3.4028234663852886e38,
  ];
  const edgesLog = [
    0,
    -0,
    1,
    -1,
    2,
    0.5,
    Infinity,
    -Infinity,
    NaN,
    2 ** -1074,
    2 ** -1022,
    2 ** -1022 - 2 ** -1074,
    Number.MAX_VALUE,
    Math.E,
    10,
    1 + 2 ** -52,
    1 - 2 ** -53,
    1 + 2 ** -20,
    1 - 2 ** -20,
    1 + 2 ** -21,
    2 + 2 ** -51,
    2 - 2 ** -52,
    Math.SQRT2,
    Math.SQRT1_2,
    1.4142135623730954,
    0.7071067811865475,
    3,
    4,
    5,
    6,
    1e-300,
    1e300,
    -1e-300,
  ];
  // ranges for exp: the loss's (x_j - m <= 0 and x_j - lse < 0 from float32 logits), every exponent
  // field (random bits, so NaN, Inf, subnormals too), |x| in [2^-30, 2^10) by exponent, around the
  // reduction's thresholds (k = 0, +-1, general) and the scalar ones (708, overflow, underflow)
  const expSets: [string, () => number][] = [
    ['exp loss: f32 logit - f32 logit, scale 2', () => logit(2) - logit(2)],
    ['exp loss: f32 logit - f32 logit, scale 30', () => logit(30) - logit(30)],
    ['exp loss: -uniform[0, 40)', () => -unit() * 40],
    [
      'exp loss: x - (m + log(1 + e^-u)), f32 logits',
      () => logit(5) - (logit(5) + Math.log(1 + Math.exp(-unit() * 20))),
    ],
    ['exp: all bit patterns', () => words(u32(), u32())],
    ['exp: |x| in [2^-30, 2^10), every exponent', expRange(0x3e1, 0x408, true)],
    ['exp: |x| in [0.25, 2) (k = 0, +-1 boundaries)', expRange(0x3fd, 0x3ff, true)],
    ['exp: x in (-760, 760)', () => (unit() * 2 - 1) * 760],
    ['exp: x in (-710, -700) and (700, 710)', () => (u32() & 1 ? -1 : 1) * (700 + unit() * 10)],
    ['exp: |x| < 2^-26, every exponent', expRange(0, 0x3e5, true)],
  ];
  const logSets: [string, () => number][] = [
    ['log loss: 1 + uniform[0, 15)', () => 1 + unit() * 15],
    ['log loss: 1 + e^-u, u in [0, 60)', () => 1 + Math.exp(-unit() * 60)],
    [
      'log loss: sums of C = 2..10 exps',
      () => {
        let s = 0;
        const C = 2 + Math.floor(unit() * 9);
        for (let j = 0; j < C; j++) s += j === 0 ? 1 : Math.exp(-unit() * 30);
        return s;
      },
    ],
    ['log: all bit patterns', () => words(u32(), u32())],
    ['log: positive normals, every exponent', expRange(1, 0x7fe, false)],
    ['log: positive subnormals', () => words(u32() & 0xfffff, u32())],
    [
      'log: 2^e (1 +- tiny)',
      () => {
        const e = Math.floor(unit() * 2000) - 1000;
        return 2 ** e * (1 + (unit() * 2 - 1) * 2 ** -Math.floor(unit() * 53));
      },
    ],
    ['log: [0.5, 2)', () => 0.5 + unit() * 1.5],
  ];
  const out: ExpLogSet[] = [];
  const run = (name: string, isExp: boolean, gen: (() => number) | number[]) => {
    const kernel = isExp ? k.expArray : k.logArray;
    const math = isExp ? Math.exp : Math.log;
    const set: ExpLogSet = { name, n: 0, simdMismatch: 0, scalarMismatch: 0, fell: 0, examples: [] };
    const total = Array.isArray(gen) ? gen.length : count;
    for (let done = 0; done < total; done += CH) {
      const n = Math.min(CH, total - done);
      const buf = k.memory.buffer;
      const xin = new Float64Array(buf, pIn, n);
      for (let i = 0; i < n; i++) xin[i] = Array.isArray(gen) ? gen[done + i] : gen();
      set.fell += kernel(pIn, pSimd, n, 1);
      kernel(pIn, pScalar, n, 0);
      const simd = new Float64Array(k.memory.buffer, pSimd, n);
      const scalar = new Float64Array(k.memory.buffer, pScalar, n);
      const si = new Uint32Array(k.memory.buffer, pSimd, 2 * n);
      const sc = new Uint32Array(k.memory.buffer, pScalar, 2 * n);
      for (let i = 0; i < n; i++) {
        const y = math(xin[i]);
        f64[0] = y;
        const lo = w[0];
        const hi = w[1];
        const nan = Number.isNaN(y);
        const badSimd = nan ? !Number.isNaN(simd[i]) : si[2 * i] !== lo || si[2 * i + 1] !== hi;
        const badScalar = nan ? !Number.isNaN(scalar[i]) : sc[2 * i] !== lo || sc[2 * i + 1] !== hi;
        if (badSimd) set.simdMismatch++;
        if (badScalar) set.scalarMismatch++;
        if ((badSimd || badScalar) && set.examples.length < 5)
          set.examples.push(
            `x ${hex(xin[i])} (${xin[i]}): Math ${hex(y)} simd ${hex(simd[i])} scalar ${hex(scalar[i])}`,
          );
      }
      set.n += n;
    }
    out.push(set);
  };
  run('exp: edge values', true, edgesExp);
  run('log: edge values', false, edgesLog);
  for (const [name, gen] of expSets) run(name, true, gen);
  for (const [name, gen] of logSets) run(name, false, gen);
  return out;
}
