import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/defaults';
import { buildLayout } from '../../src/engine/layout';
import { MetricColumns, STEP_METRICS } from '../../src/engine/metricsSchema';
import type { BufferPool } from './buffers';
import { copyGpuFields, divergence, ReadbackRing, slotRecord, trackWords } from './metrics';
import { makePlan, TRACK_WORDS } from './plan';

describe('records on the host', () => {
  const layout = buildLayout(defaultConfig().model, 2, 2);
  const plan = makePlan(layout, 2, 4, 3);

  it('decodes a slot record and the divergence the GPU marked', () => {
    const words = new Float32Array(plan.recSize);
    const u = new Uint32Array(words.buffer);
    const o = (2 * plan.R + 1) * plan.M;
    words.set([1.5, 1.25, 3, 0, 10, 7, 4, 2], o);
    words.set([0.1, 0.2, 0.3], o + 8);
    words.set([0.01, 0.02, 0.03], o + 8 + plan.L);
    const rec = slotRecord(words, plan, 2, 1);
    expect([rec.at, rec.correct, rec.trainLossSum, rec.valLossSum]).toEqual([o, 3, 10, 4]);
    // the step fields the GPU writes land in the row of the run's metric columns
    const cols = new MetricColumns(STEP_METRICS, plan.L);
    cols.addRow();
    const i = cols.addRow();
    copyGpuFields(words, plan, rec.at, cols, i);
    const got = cols.takeSeries();
    expect([got.loss[i], got.dataLoss[i], got.step[i], got.lr[i]]).toEqual([1.5, 1.25, 0, 0]);
    expect(Array.from(got.gradNorm.subarray(3))).toEqual(Array.from(new Float32Array([0.1, 0.2, 0.3])));
    expect(Array.from(got.updateRatio.subarray(3))).toEqual(Array.from(new Float32Array([0.01, 0.02, 0.03])));
    expect(Array.from(got.updateRatio.subarray(0, 3))).toEqual([0, 0, 0]);
    // global steps: run 1's loss diverged at step 102, run 0's weights overflowed at step 102
    u[plan.trackOff + TRACK_WORDS] = 1;
    u[plan.trackOff + TRACK_WORDS + 1] = 102;
    u[plan.flagsOff + 1] = 103; // run 0, segment 1: step + 1
    u[plan.flagsOff + 2] = 104; // a later step's flag does not count
    expect(divergence(words, plan, 1, 100)).toEqual({ lossSlot: 2, weightSlot: -1 });
    expect(divergence(words, plan, 0, 100)).toEqual({ lossSlot: -1, weightSlot: 2 });
  });

  it('writes the loop divergence window oldest first with the next write position', () => {
    const t = trackWords(0.7, [1, 2, 3]);
    const f = new Float32Array(t.buffer);
    expect([f[2], t[3], t[4], f[8], f[10]]).toEqual([Math.fround(0.7), 3, 3, 1, 3]);
    expect(Number.isNaN(new Float32Array(trackWords(Number.NaN, []).buffer)[2])).toBe(true);
    expect(trackWords(1, Array(20).fill(1))[4]).toBe(0);
  });

  describe('readback of a short chunk', () => {
    // fake buffers: bytes on the host; the encoder copies at once, mapAsync records the mapped size
    interface Fake {
      bytes: Uint8Array;
      mapped: number;
    }
    const fake = (n: number): Fake => ({ bytes: new Uint8Array(n), mapped: 0 });
    const asGpu = (f: Fake) =>
      Object.assign(f, {
        mapAsync: async (_mode: number, offset: number, size: number) => {
          f.mapped = size - offset;
        },
        getMappedRange: (offset: number, size: number) => f.bytes.slice(offset, offset + size).buffer,
        unmap: () => {},
      }) as unknown as GPUBuffer & Fake;
    const enc = {
      copyBufferToBuffer: (src: Fake, so: number, dst: Fake, d: number, n: number) =>
        dst.bytes.set(src.bytes.subarray(so, so + n), d),
    } as unknown as GPUCommandEncoder;
    const had = 'GPUMapMode' in globalThis;
    beforeAll(() => {
      if (!had) Object.assign(globalThis, { GPUMapMode: { READ: 1 } });
    });
    afterAll(() => {
      if (!had) Reflect.deleteProperty(globalThis, 'GPUMapMode');
    });

    it('maps the track, the flags and only the S slots written, each word back at its place', async () => {
      const big = makePlan(layout, 5, 4, 16); // R = 5, 16 slots
      const rec = fake(big.recSize * 4);
      const words = new Float32Array(rec.bytes.buffer);
      for (let i = 0; i < big.recSize; i++) words[i] = i + 0.5;
      const pool = { readback: (n: number) => asGpu(fake(n)) } as unknown as BufferPool;
      const ring = new ReadbackRing(pool, (big.recSize + 1) * 4);
      for (const S of [1, 3, 16]) {
        const staging = (await ring.take()) as GPUBuffer & Fake;
        ring.copyRecords(enc, asGpu(rec), staging, big, S);
        const got = await ring.read(staging, big, S);
        const written = S * big.R * big.M;
        expect(Array.from(got.subarray(0, written))).toEqual(Array.from(words.subarray(0, written)));
        expect(got.subarray(written, big.trackOff).every((x) => x === 0)).toBe(true);
        expect(Array.from(got.subarray(big.trackOff))).toEqual(Array.from(words.subarray(big.trackOff)));
        // what crosses from the GPU: the tail and S slots (plus at most one word of alignment)
        expect(staging.mapped).toBeLessThanOrEqual((big.recSize - big.trackOff + written + 1) * 4);
      }
    });
  });
});
