// DataConfig.order: 'byClass' re-orders only the training rows (sorted by label, as real datasets
// often arrive); the split and the validation set are those of 'random'. With shuffle off every
// early minibatch then holds one class; with shuffle on they are mixed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../defaults';
import { TrainLoop } from '../loop';
import { streamSeed } from '../rng';
import { needsRebuild } from '../trainer';
import type { DataConfig, DataOrder, TrainConfig } from '../types';
import { makeDataset } from './dataset';

const dataCfg = (over: Partial<DataConfig>): DataConfig => ({ ...DEFAULT_CONFIG.data, ...over });
const trainCfg = (order: DataOrder, shuffle: boolean): TrainConfig => ({
  ...DEFAULT_CONFIG,
  data: dataCfg({ name: 'blobs', classes: 3, samples: 300, order, shuffle }),
  batchSize: 16,
});

/** The training rows as strings "x,y|label", for multiset comparison. */
function trainRows(ds: ReturnType<typeof makeDataset>): string[] {
  const out: string[] = [];
  for (let i = 0; i < ds.nTrain; i++) out.push(`${ds.xTrainRaw[2 * i]},${ds.xTrainRaw[2 * i + 1]}|${ds.yTrain[i]}`);
  return out;
}

/** Distinct labels in each of the first `steps` minibatches of epoch 0. */
function classesPerBatch(cfg: TrainConfig, steps: number): number[] {
  const ds = makeDataset(cfg.data, cfg.seed);
  if (ds.kind !== 'classification') throw new Error('classification expected');
  const loop = new TrainLoop(cfg, ds.nTrain, streamSeed(cfg.seed, 'shuffle'));
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    const idx = loop.nextBatch();
    out.push(new Set(Array.from(idx, (i) => ds.yTrain[i])).size);
    loop.state.sampleInEpoch += idx.length; // advance as Run.step's afterStep does within one epoch
  }
  return out;
}

describe("data.order 'byClass'", () => {
  it.each([
    ['blobs', 4],
    ['spiral', 3],
    ['moons', 3],
  ] as const)('%s: training rows sorted by label, same rows and same validation set as random', (name, classes) => {
    const random = makeDataset(dataCfg({ name, classes, samples: 240 }), 7);
    const sorted = makeDataset(dataCfg({ name, classes, samples: 240, order: 'byClass' }), 7);
    expect(sorted.yVal).toEqual(random.yVal);
    expect(sorted.xValRaw).toEqual(random.xValRaw);
    expect(sorted.nTrain).toBe(random.nTrain);
    expect([...trainRows(sorted)].sort()).toEqual([...trainRows(random)].sort());
    const y = Array.from(sorted.yTrain);
    expect(y).toEqual([...y].sort((a, b) => a - b));
    // the random order is not sorted already (else the option would show nothing)
    const yr = Array.from(random.yTrain);
    expect(yr).not.toEqual([...yr].sort((a, b) => a - b));
  });

  it('preprocessing statistics are those of the same training rows', () => {
    const c = dataCfg({ name: 'moons', samples: 200, preprocess: 'standardize' });
    const a = makeDataset(c, 3);
    const b = makeDataset({ ...c, order: 'byClass' }, 3);
    expect(b.xVal).toEqual(a.xVal);
  });

  it('is ignored for regression sets (no classes)', () => {
    const c = dataCfg({ name: 'regGauss', samples: 150 });
    expect(makeDataset({ ...c, order: 'byClass' }, 4)).toEqual(makeDataset(c, 4));
  });

  it('rejects an unknown order, naming the field', () => {
    expect(() => makeDataset(dataCfg({ order: 'sorted' as DataOrder }), 1)).toThrow(/data\.order/);
  });

  it('with shuffle off every early minibatch is single-class; with shuffle on they are mixed', () => {
    const off = classesPerBatch(trainCfg('byClass', false), 6);
    expect(off).toEqual([1, 1, 1, 1, 1, 1]);
    const on = classesPerBatch(trainCfg('byClass', true), 6);
    for (const k of on) expect(k).toBeGreaterThan(1);
    // random order without shuffling is mixed too: it is the sorting that makes batches pure
    const random = classesPerBatch(trainCfg('random', false), 6);
    expect(random.filter((k) => k > 1).length).toBeGreaterThanOrEqual(5);
  });

  it('changing the order rebuilds the run; toggling shuffle stays live', () => {
    const a = trainCfg('random', true);
    expect(needsRebuild(a, trainCfg('byClass', true))).toBe(true);
    expect(needsRebuild(a, trainCfg('random', false))).toBe(false);
  });
});
