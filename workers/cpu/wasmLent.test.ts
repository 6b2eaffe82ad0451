// Arrays the WebAssembly kernels lend from their memory (DenseOps.alloc / release): a Run's weights
// and, while small, its optimizer state, read and written in place by the kernels, giving the same
// numbers bit for bit as a Run that copies them in and out; the state's cap, the ranges given back
// on dispose and reused, and lent arrays kept intact when a call would need more memory.
// (Split from wasmOps.test.ts, which checks the kernels' arithmetic against the engine.)
import { describe, expect, it } from 'vitest';
import { type DenseOps, defaultConfig, Run } from '../../src/engine';
import { makeDataset } from '../../src/engine/data/dataset';
import { Rng } from '../../src/engine/rng';
import { loadDigits } from '../digits';
import { wasmOps } from './wasmLoad';
import { residentBytes } from './wasmOps';

const rng = new Rng(23);
const rand = (n: number) => Float32Array.from({ length: n }, () => rng.uniform() * 2 - 1);

describe('weights read in place from the kernels memory (DenseOps.alloc)', () => {
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

  it.each(['sgd', 'adam'] as const)(
    '%s: a Run whose weights and optimizer state are lent gives the same numbers bit for bit as one that copies them',
    async (name) => {
      const ops = (await wasmOps(['simd']))!.ops;
      const digits = await loadDigits();
      const c = defaultConfig();
      c.data = { ...c.data, name: 'digits', samples: 1200, valFraction: 1 / 6 };
      c.model.hidden = [
        { units: 64, activation: 'relu', dropout: 0, batchNorm: false },
        { units: 32, activation: 'relu', dropout: 0, batchNorm: false },
      ];
      c.model.loss = 'softmaxCE';
      c.optimizer.name = name;
      c.optimizer.lr = name === 'adam' ? 0.003 : 0.1;
      c.batchSize = 64;
      const ds = makeDataset(c.data, c.seed, digits);
      const lentArrays: Float32Array[] = [];
      const lentState: Float32Array[] = [];
      const lending: DenseOps = {
        ...ops,
        alloc: (n, state) => {
          const a = ops.alloc!(n, state);
          if (a) (state ? lentState : lentArrays).push(a);
          return a;
        },
      };
      const a = new Run(c, ds, { ops: lending });
      const b = new Run(c, ds, { ops: { ...ops, alloc: undefined, release: undefined } });
      const losses = (r: Run, n: number) => r.step(n).steps.map((s) => s.loss);
      expect(losses(a, 60)).toEqual(losses(b, 60));
      expect(lentArrays.length).toBe(1);
      // the optimizer's m and v are lent too (small net), read and written in place by the update kernels
      expect(lentState.length).toBe(2);
      // it trained in place: the lent array holds the Run's weights
      expect(bits(lentArrays[0])).toEqual(bits(a.getParams()));
      expect(bits(a.getParams())).toEqual(bits(b.getParams()));
      expect(a.evaluate('val')).toEqual(b.evaluate('val'));
      // given back, the Run goes on with a copy of its own, the same steps
      a.dispose();
      expect(losses(a, 5)).toEqual(losses(b, 5));
      expect(bits(a.getParams())).toEqual(bits(b.getParams()));
    },
  );

  it.each([1, 2])(
    'forward reads a lent X as well as a lent W in place (%i thread(s)): the same bits as copies, the inputs untouched',
    async (threads) => {
      const w = (await wasmOps(['simd'], threads))!;
      try {
        expect(w.threads).toBe(threads);
        const { ops } = w;
        // 70 x 130 x 45 multiply-adds: above the pool's MIN_PARALLEL, 6 panels (not a multiple of the blocks)
        const [B, I, O] = [70, 130, 45];
        const X = rand(B * I);
        const W = rand(O * I);
        const b = rand(O);
        const copied = ops.forward(X, W, b, B, I, O, 'relu');
        const x = ops.alloc!(B * I)!;
        const wl = ops.alloc!(O * I)!;
        x.set(X);
        wl.set(W);
        ops.poison(); // every byte of the calls' working memory NaN: nothing may be read from there
        const helped = w.helped();
        // with threads, until a helper has run a chunk (one that wakes late finds none left)
        for (let call = 0; call < 200 && (call === 0 || (threads > 1 && w.helped() === helped)); call++) {
          const lent = ops.forward(x, wl, b, B, I, O, 'relu');
          expect(bits(lent.z as Float32Array)).toEqual(bits(copied.z as Float32Array));
          expect(bits(lent.h as Float32Array)).toEqual(bits(copied.h as Float32Array));
          // the results are the caller's arrays, not views of the kernels' memory
          expect([lent.z.buffer, lent.h.buffer]).not.toContain(x.buffer);
        }
        if (threads > 1) expect(w.helped()).toBeGreaterThan(helped);
        expect(bits(x)).toEqual(bits(X));
        expect(bits(wl)).toEqual(bits(W));
      } finally {
        w.dispose();
      }
    },
  );

  it("an optimizer's state is lent only while small (1/64 of the zone); a disposed Run gives it back", async () => {
    const ops = (await wasmOps(['simd']))!.ops;
    const w = ops.alloc!(1000)!; // the zone: residentBytes(1000) = 16 MiB
    const zone = residentBytes(1000);
    expect(ops.alloc!(zone / 4 / 64, true)).not.toBeNull();
    expect(ops.alloc!(zone / 4 / 64 + 4, true)).toBeNull();
    // weights of that size are still lent
    expect(ops.alloc!(zone / 4 / 64 + 4)).not.toBeNull();
    const c = defaultConfig();
    c.optimizer.name = 'adam';
    const r = new Run(c, undefined, { ops });
    // the Run's optimizer state (protected; read here to see where it lives)
    const opt = () => (r as unknown as { opt: { m: Float32Array; v: Float32Array } }).opt;
    const lent = [r.weights, opt().m, opt().v];
    const lentHere = (a: Float32Array) => a.buffer === w.buffer;
    expect(lent.map(lentHere)).toEqual([true, true, true]);
    r.step(3);
    const before = lent.map((a) => a.slice());
    r.dispose();
    // the Run keeps copies; the ranges are free again (the next allocations take them)
    expect([r.weights, opt().m, opt().v].map(lentHere)).toEqual([false, false, false]);
    expect([r.weights, opt().m, opt().v]).toEqual(before);
    const again = lent.map((a) => ops.alloc!(a.length)!.byteOffset).sort();
    expect(again).toEqual(lent.map((a) => a.byteOffset).sort());
    ops.release!(w);
  });

  it('lent ranges are reused once given back; a call that would grow the memory runs on the second instance, lent arrays intact', async () => {
    const ops = (await wasmOps(['simd']))!.ops;
    const plain = (await wasmOps(['simd']))!.ops;
    const first = ops.alloc!(1000)!;
    ops.release!(first);
    const lent = ops.alloc!(1000)!;
    expect(lent.byteOffset).toBe(first.byteOffset);
    lent.set(rand(1000));
    const keep = lent.slice();
    // X alone (4096 x 2304 floats, 37.7 MB) needs more than the room kept beside the lent arrays
    const [B, I, O] = [4096, 2304, 8];
    const X = rand(B * I);
    const W = rand(O * I);
    const b = rand(O);
    const got = ops.forward(X, W, b, B, I, O, 'relu').h as Float32Array;
    expect(bits(got)).toEqual(bits(plain.forward(X, W, b, B, I, O, 'relu').h as Float32Array));
    expect(lent.length).toBe(1000); // a grown (non-shared) memory would have detached it
    expect(bits(lent)).toEqual(bits(keep));
    // and a lent W is read in place: the same numbers as a copied one
    const Wl = ops.alloc!(O * 64)!;
    Wl.set(rand(O * 64));
    const X2 = rand(32 * 64);
    expect(bits(ops.forward(X2, Wl, b, 32, 64, O, null).z as Float32Array)).toEqual(
      bits(plain.forward(X2, Wl.slice(), b, 32, 64, O, null).z as Float32Array),
    );
  });
});
