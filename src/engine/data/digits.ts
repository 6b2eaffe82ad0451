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
// static hosts serve it as opaque bytes; loadDigits() inflates it with DecompressionStream (in
// browsers, workers and Node >= 18) when it starts with the gzip magic bytes 1f 8b.
import type { Rng } from '../rng';
import { shuffleInPlace } from '../rng';
import type { RawData } from './generators2d';

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

let cached: DigitsData | null = null;

/** The digits from the last successful loadDigits(), or null (makeDataset reads this). */
export function getLoadedDigits(): DigitsData | null {
  return cached;
}

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
 * Load the digits once (cached; later calls return the same object). `source`:
 *  - bytes (ArrayBuffer / Uint8Array): parsed directly (e.g. the page fetched them and
 *    transferred them to a worker);
 *  - a URL or string: fetched (http/https/relative) or read from disk (file: URL, in Node);
 *  - omitted: in a page, `./data/digits.bin` relative to document.baseURI (works offline and from
 *    any sub-folder, since Vite copies public/ to the site root); in Node, public/data/digits.bin of
 *    this repository. In a worker there is no page base URL: pass `new URL(DIGITS_PATH,
 *    document.baseURI).href` from the page, or the bytes.
 */
export async function loadDigits(source?: string | URL | ArrayBuffer | Uint8Array): Promise<DigitsData> {
  if (source === undefined && cached) return cached;
  let bytes: ArrayBuffer | Uint8Array;
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) {
    bytes = source;
  } else {
    const url = source === undefined ? defaultUrl() : new URL(String(source), baseForRelative());
    bytes = url.protocol === 'file:' ? await readFileUrl(url) : await fetchBytes(url);
  }
  cached = await parseDigits(bytes);
  return cached;
}

function isNode(): boolean {
  return (
    typeof process !== 'undefined' && typeof process.versions?.node === 'string' && typeof document === 'undefined'
  );
}

function baseForRelative(): string {
  if (typeof document !== 'undefined') return document.baseURI;
  if (typeof location !== 'undefined') return location.href;
  return import.meta.url;
}

function defaultUrl(): URL {
  if (typeof document !== 'undefined') return new URL(`./${DIGITS_PATH}`, document.baseURI);
  if (isNode()) return new URL(`../../../public/${DIGITS_PATH}`, import.meta.url);
  throw new Error(
    'loadDigits: no page base URL in a worker; pass new URL(DIGITS_PATH, document.baseURI).href from the page, or the bytes',
  );
}

async function fetchBytes(url: URL): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`loadDigits: ${url.href} answered ${res.status} ${res.statusText}`);
  return res.arrayBuffer();
}

async function readFileUrl(url: URL): Promise<Uint8Array> {
  // A computed specifier keeps bundlers from trying to ship node:fs to the browser.
  const fsName = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
  return new Uint8Array(await fs.readFile(url));
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
