// The threaded kernels (shared-memory build, GEMMs shared by a pool of worker_threads helpers,
// gemmPool.ts) against the single-threaded kernels of the same build and against the engine's
// TypeScript ops. Splitting a product by rows of C leaves every row's arithmetic as it was, so the
// threaded results must equal the single-threaded ones bit for bit; the engine (float64 sums)
// bounds both. Shapes are large enough to be split (MIN_PARALLEL) and not multiples of the 4-row
// tile or of the chunks; outputs are poisoned with NaN first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, matmul, matmulBackwardW, matmulBackwardX, Run } from '../../src/engine';
import { makeDataset } from '../../src/engine/data/dataset';
import type { DigitsData } from '../../src/engine/data/digits';
import { Rng } from '../../src/engine/rng';
import type { TrainConfig } from '../../src/engine/types';
import { loadDigits } from '../digits';
import { CpuBackend, cpuNameThreads, cpuNameThreadsLost } from './backend';
import { MAX_CHUNKS } from './gemmChunks.mjs';
import { guidedBounds, MIN_PARALLEL } from './gemmPool';
import type { LoadedWasmOps } from './wasmInstance';
import { wasmOps } from './wasmLoad';

// The plain-SIMD build: every Node validates it (the relaxed build's threading is the same code).
let one: LoadedWasmOps;
let two: LoadedWasmOps;
let three: LoadedWasmOps;

beforeAll(async () => {
  const [a, b, c] = await Promise.all([wasmOps(['simd'], 1), wasmOps(['simd'], 2), wasmOps(['simd'], 3)]);
  if (!a || !b || !c) throw new Error('the plain-SIMD builds did not load (npm run build:wasm)');
  [one, two, three] = [a, b, c];
}, 120_000);

afterAll(() => {
  two?.dispose();
  three?.dispose();
});

const rng = new Rng(29);
const rand = (n: number) => Float32Array.from({ length: n }, () => rng.uniform() * 2 - 1);

/** The first index where a and b differ as float32 bit patterns (NaN included), or -1. */
function firstDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

function expectSame(got: Float32Array, want: Float32Array, what: string) {
  const i = firstDiff(got, want);
  expect(i === -1 ? 'same' : `${what}: [${i}] got ${got[i]}, single thread ${want[i]}`).toBe('same');
}

function expectClose(got: Float32Array, ref: Float32Array | Float64Array, K: number, what: string) {
  const atol = 4e-6 * Math.sqrt(K);
  let bad = -1;
  for (let i = 0; i < ref.length && bad < 0; i++)
    if (!(Math.abs(got[i] - ref[i]) <= atol + 1e-5 * Math.abs(ref[i]))) bad = i;
  expect(bad === -1 ? 'ok' : `${what}: [${bad}] got ${got[bad]}, engine ${ref[bad]}`).toBe('ok');
}

// [B, I, O]: every product above MIN_PARALLEL multiply-adds, rows not multiples of 4 or of a chunk.
const SHAPES: [number, number, number][] = [
  [128, 784, 64],
  [130, 97, 45],
  [37, 300, 259],
  [257, 64, 17],
  [9, 1000, 33],
  [50, 130, 1001], // 126 panels: 17 chunks from 16 panels down to 1 (guidedBounds)
];

describe('guidedBounds: how a product is cut into chunks', () => {
  it('covers every unit once, in steps, large chunks first and one step at the end, at most MAX_CHUNKS', () => {
    for (const [units, threads, step] of [
      [32, 2, 1], // 256 columns on 2 threads
      [128, 2, 1],
      [126, 3, 1],
      [257, 2, 4], // rows in 4-row tiles, the last tile short
      [130, 3, 4],
      [4, 2, 1],
      [5000, 4, 1], // more units than MAX_CHUNKS chunks of one
      [1 << 20, 16, 4],
    ]) {
      const b = guidedBounds(units, threads, step);
      const what = `${units} units, ${threads} threads, step ${step}: ${b.join(' ')}`;
      const sizes = b.slice(1).map((x, i) => x - b[i]);
      expect(b[0], what).toBe(0);
      expect(b[b.length - 1], what).toBe(units);
      expect(sizes.length, what).toBeLessThanOrEqual(MAX_CHUNKS);
      expect(
        sizes.every((d) => d > 0),
        what,
      ).toBe(true);
      expect(
        b.slice(1, -1).every((x) => x % step === 0),
        what,
      ).toBe(true);
      // none larger than one before it; in products of up to 8 MAX_CHUNKS units (every real one), no
      // chunk above 1/(6 threads) of the product (rounded up to a step) and a tail of single steps
      expect(
        sizes.slice(0, -1).every((d, i) => d >= sizes[i + 1]),
        what,
      ).toBe(true);
      if (units / step <= 8 * MAX_CHUNKS) {
        expect(Math.max(...sizes), what).toBeLessThanOrEqual(step * Math.ceil(Math.ceil(units / step) / (6 * threads)));
        expect(sizes[sizes.length - 2], what).toBe(step);
      }
    }
  });
});

describe.each([2, 3])('WebAssembly SIMD kernels on %i threads', (n) => {
  const threaded = () => (n === 2 ? two : three);

  it('forward, backward X and backward W equal the single-threaded kernels bit for bit, and the engine', () => {
    for (const [B, I, O] of SHAPES) {
      expect(B * I * O).toBeGreaterThanOrEqual(MIN_PARALLEL);
      const X = rand(B * I);
      const W = rand(O * I);
      const b = rand(O);
      const dY = rand(B * O);
      const ref = {
        z: matmul(X, W, b, B, I, O),
        dX: matmulBackwardX(dY, W, B, I, O),
        dW: matmulBackwardW(dY, X, B, I, O),
      };
      const got = [one, threaded()].map(({ ops }) => {
        ops.poison();
        const f = ops.forward(X, W, b, B, I, O, 'relu');
        ops.poison();
        const dX = (ops.backwardX(dY, W, B, I, O) as Float32Array).slice();
        ops.poison();
        const w = ops.backwardW(dY, X, B, I, O);
        return {
          z: f.z as Float32Array,
          h: f.h as Float32Array,
          dX,
          dW: (w.dW as Float32Array).slice(),
          db: (w.db as Float32Array).slice(),
        };
      });
      const [s, t] = got;
      const shape = `${B}x${I}x${O}`;
      for (const k of ['z', 'h', 'dX', 'dW', 'db'] as const) expectSame(t[k], s[k], `${k} ${shape}`);
      expectClose(t.z, ref.z, I, `z ${shape}`);
      expectClose(t.dX, ref.dX, O, `dX ${shape}`);
      expectClose(t.dW, ref.dW.dW, B, `dW ${shape}`);
    }
  });

  it('products too small to share (the single-threaded instance) give the same numbers too', () => {
    for (const [B, I, O] of [
      [3, 7, 13],
      [32, 16, 16],
      [1, 1, 1],
    ]) {
      expect(B * I * O).toBeLessThan(MIN_PARALLEL);
      const X = rand(B * I);
      const W = rand(O * I);
      const b = rand(O);
      const dY = rand(B * O);
      const [s, t] = [one, threaded()].map(({ ops }) => {
        ops.poison();
        const z = ops.forward(X, W, b, B, I, O, 'tanh').h as Float32Array;
        const dX = (ops.backwardX(dY, W, B, I, O) as Float32Array).slice();
        const dW = (ops.backwardW(dY, X, B, I, O).dW as Float32Array).slice();
        return { z, dX, dW };
      });
      for (const k of ['z', 'dX', 'dW'] as const) expectSame(t[k], s[k], `${k} ${B}x${I}x${O}`);
    }
  });

  it('the helpers take part in the products (the work is shared, not done by the caller alone)', () => {
    const p = threaded();
    const before = p.helped();
    const B = 256;
    const X = rand(B * B);
    const W = rand(B * B);
    const b = rand(B);
    // a helper wakes within microseconds on an idle machine; on a loaded one it may miss some products
    for (let i = 0; i < 400 && p.helped() === before; i++) p.ops.forward(X, W, b, B, B, B, null);
    expect(p.helped()).toBeGreaterThan(before);
  });
});

describe('a helper thread that dies is replaced', () => {
  const B = 96;
  const I = 200;
  const O = 130; // 17 panels: stripes of columns; B * I * O above MIN_PARALLEL
  const X = rand(B * I);
  const W = rand(O * I);
  const b = rand(O);
  const want = () => (one.ops.forward(X, W, b, B, I, O, 'relu').h as Float32Array).slice();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** Products on the pool until `until()` holds (at most 400), each checked against one thread. */
  function products(p: LoadedWasmOps, ref: Float32Array, until: () => boolean) {
    for (let i = 0; i < 400 && !until(); i++)
      expectSame(p.ops.forward(X, W, b, B, I, O, 'relu').h as Float32Array, ref, 'h');
    expect(until()).toBe(true);
  }

  it('killed while idle: the products stay bit-identical, the helper is started again and helps again', async () => {
    const p = (await wasmOps(['simd'], 2))!;
    const pool = p.pool!;
    try {
      const ref = want();
      expectSame(p.ops.forward(X, W, b, B, I, O, 'relu').h as Float32Array, ref, 'h before');
      pool.kill(0); // as a crash ends a Node helper: its 'exit' event
      // while the helper is gone the caller claims every chunk itself
      expectSame(p.ops.forward(X, W, b, B, I, O, 'relu').h as Float32Array, ref, 'h after the kill');
      for (let i = 0; i < 500 && pool.rebuilds() === 0; i++) await sleep(10);
      await pool.settled();
      expect(pool.rebuilds()).toBeGreaterThanOrEqual(1);
      expect(pool.alive()).toBe(2);
      const before = pool.helped();
      products(p, ref, () => pool.helped() > before);
    } finally {
      p.dispose();
    }
  }, 60_000);

  it('crashed holding a chunk: the caller recomputes it (same numbers), the helper is replaced', async () => {
    // a short stall limit (a helper merely slowed down by the machine's load would be recovered the
    // same way, so the counts below are lower bounds)
    const p = (await wasmOps(['simd'], 2, { stallMs: 200 }))!;
    const pool = p.pool!;
    try {
      const ref = want();
      pool.crashNextChunk(); // the next helper to claim a chunk throws before running it
      products(p, ref, () => pool.recoveries() > 0);
      // later products are laid out above the abandoned memory and still come out the same
      expectSame(p.ops.forward(X, W, b, B, I, O, 'relu').h as Float32Array, ref, 'h after the recovery');
      for (let i = 0; i < 500 && pool.alive() < 2; i++) await sleep(10);
      await pool.settled();
      expect(pool.rebuilds()).toBeGreaterThanOrEqual(1);
      expect(pool.alive()).toBe(2);
      const before = pool.helped();
      products(p, ref, () => pool.helped() > before);
    } finally {
      p.dispose();
    }
  }, 60_000);
});

/** Per-step losses of a Run with the given ops. */
function losses(cfg: TrainConfig, steps: number, ops: LoadedWasmOps['ops'], digits: DigitsData) {
  const run = new Run(cfg, makeDataset(cfg.data, cfg.seed, digits), { ops });
  return Float32Array.from(run.step(steps).steps.map((s) => s.loss));
}

describe('training on threads', () => {
  it('200 steps of a digits net (784-64-32-10 relu, batch 100, adam): the same losses as one thread', async () => {
    const digits = await loadDigits();
    const c = defaultConfig();
    c.data = { ...c.data, name: 'digits', samples: 1200, valFraction: 1 / 6 };
    c.model.hidden = [
      { units: 64, activation: 'relu', dropout: 0, batchNorm: false },
      { units: 32, activation: 'tanh', dropout: 0, batchNorm: false },
    ];
    c.model.loss = 'softmaxCE';
    c.optimizer.name = 'adam';
    c.optimizer.lr = 0.003;
    c.batchSize = 100;
    const single = losses(c, 200, one.ops, digits);
    const threaded = losses(c, 200, two.ops, digits);
    expectSame(threaded, single, 'loss per step');
    expect(single[199]).toBeLessThan(single[0] * 0.8);
  }, 120_000);

  it('CpuBackend({ threads: 2 }) says so on the status line', async () => {
    const c = defaultConfig();
    c.data = { ...c.data, name: 'xor', samples: 100 };
    const run = new Run(c);
    const be = new CpuBackend({ threads: 2 });
    await be.build([c], run.dataset, run.getParams());
    expect(be.info.name).toBe(cpuNameThreads(2));
    const [p] = await be.train(10);
    expect(p.steps.n).toBe(10);
    // a helper that ends: the status line says so until it is replaced
    const pool = (await wasmOps(undefined, 2))!.pool!; // the backend's kernels (loaded once per worker)
    pool.kill(0);
    // (a replacement needs a thread started, a module instantiated and a message: many event-loop turns)
    for (let i = 0; i < 100_000 && pool.alive() === 2; i++) await new Promise((r) => setImmediate(r));
    await be.train(1);
    expect(be.info.name).toBe(cpuNameThreadsLost(1, 2));
    await pool.settled();
    await be.train(1);
    expect(be.info.name).toBe(cpuNameThreads(2));
  }, 120_000);
});
