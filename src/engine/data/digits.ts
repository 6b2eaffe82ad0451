// Handwritten digits (real MNIST images, a 5,000 + 1,000 subset shipped in public/data/digits.bin;
// provenance and license in public/data/README.md; built by scripts/make-digits.mjs).
//
// File format (little-endian), gzip-compressed as a whole:
//   bytes 0..3   magic "DGT1"
//   u32 nTrain, u32 nVal, u32 height (28), u32 width (28)
//   u8  trainImages[nTrain * height * width]   pixel intensity 0..255 (0 = background)
//   u8  trainLabels[nTrain]                    0..9
//   u8  valImages[nVal * height * width]
//   u8  valLabels[nVal]
// The file is gzip-compressed (about 1 MB instead of 4.7 MB) but deliberately not named *.gz, so
// static hosts serve it as opaque bytes; parseDigits() inflates it with DecompressionStream (in
// browsers, workers and Node >= 18) when it starts with the gzip magic bytes 1f 8b.
// The engine only parses: loading the file (fetch, or the disk in Node) is workers/digits.ts, and
// the caller keeps the parsed data and passes it to makeDataset.
import type { Rng } from '../rng';
import { shuffleInPlace } from '../rng';
import type { RawData } from './types';

export interface DigitsData {
  height: number;
  width: number;
  nTrain: number;
  nVal: number;
  /** [nTrain, height*width] bytes. */
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  /** [nVal, height*width] bytes. */
  valImages: Uint8Array;
  valLabels: Uint8Array;
}

/** Path of the file relative to the site root (the page's base URL). */
export const DIGITS_PATH = 'data/digits.bin';

/** Decode the file's bytes (compressed or not). */
export async function parseDigits(bytes: ArrayBuffer | Uint8Array): Promise<DigitsData> {
  let u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (u8[0] === 0x1f && u8[1] === 0x8b) {
    const stream = new Blob([u8 as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    u8 = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  const magic = String.fromCharCode(u8[0], u8[1], u8[2], u8[3]);
  if (magic !== 'DGT1') throw new Error(`digits: not a digits file (magic '${magic}', expected 'DGT1')`);
  const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const nTrain = dv.getUint32(4, true);
  const nVal = dv.getUint32(8, true);
  const height = dv.getUint32(12, true);
  const width = dv.getUint32(16, true);
  const px = height * width;
  const expected = 20 + (nTrain + nVal) * (px + 1);
  if (u8.byteLength !== expected)
    throw new Error(`digits: file has ${u8.byteLength} bytes, header implies ${expected}`);
  let o = 20;
  const take = (len: number) => {
    const s = u8.slice(o, o + len);
    o += len;
    return s;
  };
  const trainImages = take(nTrain * px);
  const trainLabels = take(nTrain);
  const valImages = take(nVal * px);
  const valLabels = take(nVal);
  return { height, width, nTrain, nVal, trainImages, trainLabels, valImages, valLabels };
}

/**
 * The first nTrain images of a seeded permutation of the training part and the first nVal of
 * the validation part (rows: training then validation), pixels scaled to [0, 1].
 */
export function digitsRaw(d: DigitsData, nTrain: number, nVal: number, rng: Rng): RawData {
  if (nTrain > d.nTrain || nVal > d.nVal) {
    throw new Error(
      `data.samples: digits ships ${d.nTrain} training and ${d.nVal} validation images; ` +
        `this config asks for ${nTrain} and ${nVal} (lower data.samples or adjust data.valFraction)`,
    );
  }
  const px = d.height * d.width;
  const x = new Float32Array((nTrain + nVal) * px);
  const y = new Int32Array(nTrain + nVal);
  const pick = (images: Uint8Array, labels: Uint8Array, count: number, total: number, row0: number) => {
    const order = new Int32Array(total);
    for (let i = 0; i < total; i++) order[i] = i;
    shuffleInPlace(order, rng);
    for (let r = 0; r < count; r++) {
      const src = order[r] * px;
      const dst = (row0 + r) * px;
      for (let j = 0; j < px; j++) x[dst + j] = images[src + j] / 255;
      y[row0 + r] = labels[order[r]];
    }
  };
  pick(d.trainImages, d.trainLabels, nTrain, d.nTrain, 0);
  pick(d.valImages, d.valLabels, nVal, d.nVal, nTrain);
  return { x, y, inputDim: px, outputDim: 10, classes: 10, image: { width: d.width, height: d.height } };
}
