import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../src/engine/data/dataset';
import { defaultConfig } from '../../src/engine/defaults';
import { buildLayout } from '../../src/engine/layout';
import { ACTIVATION_NAMES } from '../../src/engine/types';
import { ACT_EACH_LAYER, FUSED_MAX_ITEMS, fixedWords, fusedLayout, fusedPipeline, PARAM_CHUNKS } from './fused';
import { FUSED_DIMS, uniformWord } from './kernels';
import { makePlan } from './plan';

function setup(hidden: { units: number; batchNorm?: boolean }[], B = 16) {
  const c = defaultConfig();
  c.model.hidden = hidden.map((h) => ({
    units: h.units,
    activation: 'relu',
    dropout: 0,
    batchNorm: h.batchNorm ?? false,
  }));
  const ds = makeDataset(c.data, c.seed);
  const layout = buildLayout(c.model, ds.inputDim, ds.outputDim);
  return { layout, ds, plan: makePlan(layout, 1, B, 4) };
}

describe('fusedLayout', () => {
  it('compiles in the activation all hidden layers share, and reads the table when they differ', () => {
    const { layout, ds, plan } = setup([{ units: 8 }, { units: 8 }]);
    const same = fusedLayout(layout, plan, ds, [false, false, false], 1, 1, 32768);
    if (typeof same === 'string') throw new Error(same);
    expect(same.act).toBe(ACTIVATION_NAMES.indexOf('relu'));
    expect(fusedPipeline(same, 32, 1, 0, 0, true)[1].ACT).toBe(same.act);
    const mixed = {
      ...layout,
      layers: layout.layers.map((l, i) => (i === 1 ? { ...l, activation: 'tanh' as const } : l)),
    };
    const f = fusedLayout(mixed, plan, ds, [false, false, false], 1, 1, 32768);
    if (typeof f === 'string') throw new Error(f);
    expect(f.act).toBe(ACT_EACH_LAYER);
  });

  it('declares state and scratch at least as long as the plan needs, as powers of two', () => {
    // the kernel's arrays have these fixed lengths and their buffers are allocated as long (model.ts,
    // bindFused): shorter than the plan would clamp real indices onto the last word
    expect([1, 4, 5, 1024, 1025].map(fixedWords)).toEqual([4, 4, 8, 1024, 2048]);
    const { layout, ds } = setup([{ units: 16 }, { units: 16 }]);
    for (const R of [1, 6, 64]) {
      const plan = makePlan(layout, R, 32, 4);
      const f = fusedLayout(layout, plan, ds, [false, false, false], R, 2, 32768, 1 << 20);
      if (typeof f === 'string') throw new Error(f);
      const inStorage = fusedPipeline(f, 32, 1, 0, 0, true)[1];
      expect(inStorage.STATE_WORDS).toBeGreaterThanOrEqual(plan.stateSize);
      expect(inStorage.SCRATCH_WORDS).toBeGreaterThanOrEqual(f.mem * f.groups);
      for (const n of [inStorage.STATE_WORDS, inStorage.SCRATCH_WORDS]) expect(Math.log2(n) % 1).toBe(0);
      // workgroup-memory scratch: the storage binding is a 16-byte stand-in
      expect(fusedPipeline(f, 32, 1, 0, 0, false)[1].SCRATCH_WORDS).toBe(4);
    }
  });

  it('fits a playground net, runs spread over the workgroups wanted, items covering theta once', () => {
    const { layout, ds, plan } = setup([{ units: 16 }, { units: 16, batchNorm: true }]);
    const f = fusedLayout(layout, plan, ds, [false, true], 6, 2, 32768);
    if (typeof f === 'string') throw new Error(f);
    expect(f.RPW).toBe(3);
    expect(f.groups).toBe(2);
    expect(f.mem).toBe(f.scOff + 3 * 16);
    const head = FUSED_DIMS.length + 8 * 16; // the scalar head, then the layer table
    const nItems = f.words[uniformWord('fused_mlp', 'nItems')];
    const nParamItems = f.words[uniformWord('fused_mlp', 'nParamItems')];
    const covered = new Uint8Array(layout.size);
    for (let k = 0; k < nParamItems; k++) {
      const [, off, len] = f.words.subarray(head + 4 * k, head + 4 * k + 4);
      expect(len).toBeLessThanOrEqual(64);
      for (let i = off; i < off + len; i++) covered[i]++;
    }
    expect(Array.from(covered).every((x) => x === 1)).toBe(true);
    expect(nItems).toBeGreaterThan(nParamItems); // activation items for the L1 term follow
  });

  it('keeps one run per workgroup when the memory of several does not fit', () => {
    const { layout, ds, plan } = setup([{ units: 64 }, { units: 64 }], 16);
    const f = fusedLayout(layout, plan, ds, [true, true], 4, 1, 32768);
    if (typeof f === 'string') throw new Error(f);
    expect(f.RPW).toBe(1);
    expect(f.groups).toBe(4);
  });

  it('packs runs up to the workgroup budget (storage scratch), never a run over the per-run budget', () => {
    // the bench's sweep (e): 2-16-16-2, batch 32, 64 runs, 2 workgroups wanted
    const { layout, ds, plan } = setup([{ units: 16 }, { units: 16 }], 32);
    const one = fusedLayout(layout, plan, ds, [false, false], 64, 2, 65536);
    const packed = fusedLayout(layout, plan, ds, [false, false], 64, 2, 65536, 1 << 20);
    if (typeof one === 'string' || typeof packed === 'string') throw new Error(`${one} ${packed}`);
    expect(one.groups).toBeGreaterThan(2); // 64 KB hold only a few runs
    expect([packed.RPW, packed.groups]).toEqual([32, 2]);
    expect(packed.mem).toBe(packed.scOff + 32 * 16);
    expect(packed.runMem).toBe(one.runMem);
    const big = setup([{ units: 64 }, { units: 64 }], 64);
    expect(fusedLayout(big.layout, big.plan, big.ds, [true, true], 2, 1, 16384, 1 << 20)).toMatch(/do not fit/);
  });

  it('splits parameters into the shortest items that keep within the item limit, covering theta once', () => {
    const head = FUSED_DIMS.length + 8 * 16;
    const lengths = (hidden: { units: number }[]) => {
      const { layout, ds, plan } = setup(hidden, 16);
      const f = fusedLayout(
        layout,
        plan,
        ds,
        hidden.map(() => false),
        1,
        1,
        1 << 20,
      );
      if (typeof f === 'string') throw new Error(f);
      const n = f.words[uniformWord('fused_mlp', 'nParamItems')];
      const covered = new Uint8Array(layout.size);
      const lens = [];
      for (let k = 0; k < n; k++) {
        const [, off, len] = f.words.subarray(head + 4 * k, head + 4 * k + 4);
        for (let i = off; i < off + len; i++) covered[i]++;
        lens.push(len);
      }
      expect(Array.from(covered).every((x) => x === 1)).toBe(true);
      expect(f.words[uniformWord('fused_mlp', 'nItems')]).toBeLessThanOrEqual(FUSED_MAX_ITEMS);
      return lens;
    };
    expect(PARAM_CHUNKS[0]).toBe(16);
    // the sweep's 2-16-16-2 net: no item longer than 16 (one SIMD group waits for its longest item)
    expect(Math.max(...lengths([{ units: 16 }, { units: 16 }]))).toBe(16);
    // wider nets need longer items to stay within the limit
    expect(Math.max(...lengths([{ units: 32 }, { units: 32 }, { units: 32 }]))).toBe(32);
    expect(Math.max(...lengths([{ units: 64 }, { units: 64 }]))).toBe(64);
  });

  it('says why a network does not fit', () => {
    const wide = setup([{ units: 65 }]);
    expect(fusedLayout(wide.layout, wide.plan, wide.ds, [false], 1, 1, 32768)).toMatch(/wider than 64/);
    const big = setup([{ units: 64 }, { units: 64 }], 64);
    expect(fusedLayout(big.layout, big.plan, big.ds, [true, true], 1, 1, 16384)).toMatch(/do not fit/);
  });
});
