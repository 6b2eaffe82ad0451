// Puts the digits loader (workers/digits.ts) and the engine's parser on window for e2e/digits.spec.ts: fetch of the shipped file
// relative to the page, gzip inflation with DecompressionStream, parsing, and a dataset from it.

import { makeDataset } from '../../src/engine/data/dataset';
import { DIGITS_PATH } from '../../src/engine/data/digits';
import { DEFAULT_CONFIG } from '../../src/engine/defaults';
import { loadDigits } from '../../workers/digits';

async function load(relativeToPage: string) {
  const d = await loadDigits(new URL(relativeToPage, document.baseURI).href);
  let inkSum = 0;
  for (const v of d.trainImages) inkSum += v;
  const counts = new Array(10).fill(0);
  for (const l of d.trainLabels) counts[l]++;
  const ds = makeDataset({ ...DEFAULT_CONFIG.data, name: 'digits', samples: 600, valFraction: 0.2 }, 1, d);
  let maxX = 0;
  for (const v of ds.xTrain) maxX = Math.max(maxX, v);
  return { nTrain: d.nTrain, nVal: d.nVal, inkSum, counts, dsTrain: ds.nTrain, dsVal: ds.nVal, maxX };
}

declare global {
  interface Window {
    digitsHarness: { load: typeof load; path: string };
  }
}
window.digitsHarness = { load, path: DIGITS_PATH };
document.body.dataset.ready = '1';
