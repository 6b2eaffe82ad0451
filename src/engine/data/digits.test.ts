import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadDigits } from '../../../workers/digits';
import { DEFAULT_CONFIG } from '../defaults';
import { makeDataset } from './dataset';
import { parseDigits } from './digits';

const digitsCfg = { ...DEFAULT_CONFIG.data, name: 'digits' as const, samples: 1200, valFraction: 1 / 6 };

describe('digits', () => {
  it('loads the shipped file from disk in Node: 5,000 + 1,000 balanced 28x28 images', async () => {
    const d = await loadDigits();
    expect([d.nTrain, d.nVal, d.height, d.width]).toEqual([5000, 1000, 28, 28]);
    expect(d.trainImages.length).toBe(5000 * 784);
    for (const [labels, per] of [
      [d.trainLabels, 500],
      [d.valLabels, 100],
    ] as const) {
      const counts = new Array(10).fill(0);
      for (const l of labels) counts[l]++;
      expect(counts).toEqual(new Array(10).fill(per));
    }
    // Real handwriting: ink covers roughly 10-25% of an MNIST image, with the full grey range.
    let ink = 0;
    let max = 0;
    for (const v of d.trainImages) {
      if (v > 0) ink++;
      max = Math.max(max, v);
    }
    expect(ink / d.trainImages.length).toBeGreaterThan(0.1);
    expect(ink / d.trainImages.length).toBeLessThan(0.25);
    expect(max).toBe(255);
    // The border is background (MNIST digits are centred in a 20x20 box).
    let border = 0;
    for (let i = 0; i < 5000; i++) border += d.trainImages[i * 784] + d.trainImages[i * 784 + 783];
    expect(border).toBe(0);
  });

  it('the mean image of each class looks like its digit: a 1 is narrow, a 0 has a hole', async () => {
    const d = await loadDigits();
    const mean = (digit: number) => {
      const m = new Float64Array(784);
      let c = 0;
      for (let i = 0; i < d.nTrain; i++)
        if (d.trainLabels[i] === digit) {
          c++;
          for (let j = 0; j < 784; j++) m[j] += d.trainImages[i * 784 + j] / 255;
        }
      return m.map((v) => v / c);
    };
    const one = mean(1);
    const zero = mean(0);
    const centre = 14 * 28 + 14;
    expect(one[centre]).toBeGreaterThan(0.5); // the stroke of a 1 goes through the centre
    expect(zero[centre]).toBeLessThan(0.2); // the hole of a 0
    expect(zero[14 * 28 + 8]).toBeGreaterThan(one[14 * 28 + 8]); // a 0's left stroke, where a 1 has none
  });

  it('parses compressed and uncompressed bytes alike, and rejects other files', async () => {
    const gz = readFileSync(new URL('../../../public/data/digits.bin', import.meta.url));
    const a = await parseDigits(new Uint8Array(gz));
    const raw = new Uint8Array(
      await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer(),
    );
    const b = await parseDigits(raw);
    // Buffer.equals: a byte compare (toEqual on 3.9 MB would walk it element by element).
    expect(Buffer.from(b.trainImages).equals(Buffer.from(a.trainImages))).toBe(true);
    expect(Buffer.from(b.valLabels).equals(Buffer.from(a.valLabels))).toBe(true);
    await expect(parseDigits(gzipSync(Buffer.from('hello world')))).rejects.toThrow(/not a digits file/);
    await expect(parseDigits(raw.slice(0, 1000))).rejects.toThrow(/header implies/);
  });

  it('makeDataset builds a seeded digits split, pixels in [0, 1], 10 classes', async () => {
    const d = await loadDigits();
    const ds = makeDataset(digitsCfg, 3, d);
    expect(ds.kind).toBe('classification');
    expect([ds.nTrain, ds.nVal, ds.inputDim, ds.outputDim, ds.classes]).toEqual([1000, 200, 784, 10, 10]);
    expect(ds.image).toEqual({ width: 28, height: 28 });
    expect(ds.bounds).toBeUndefined();
    expect(ds.xTrain.reduce((m, v) => Math.max(m, v), 0)).toBe(1);
    expect(ds.xTrain.reduce((m, v) => Math.min(m, v), 1)).toBe(0);
    const same = (p: Int32Array, q: Int32Array) => p.every((v, i) => v === q[i]);
    expect(same(makeDataset(digitsCfg, 3, d).yTrain as Int32Array, ds.yTrain as Int32Array)).toBe(true);
    expect(same(makeDataset(digitsCfg, 4, d).yTrain as Int32Array, ds.yTrain as Int32Array)).toBe(false);
  });

  it('refuses a digits config without the images, and asks for no more images than it ships', async () => {
    expect(() => makeDataset(digitsCfg, 1)).toThrow(/data\.name 'digits': the images are not loaded/);
    const d = await loadDigits();
    expect(() => makeDataset({ ...digitsCfg, samples: 8000 }, 1, d)).toThrow(/data\.samples/);
  });
});
