// Learning works: sensible small networks reach high validation accuracy on the 2D sets and on
// the digits within a bounded number of epochs (the run is capped with maxEpochs and the final
// epoch's validation accuracy is what counts, not the best one along the way).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDigits } from '../../workers/digits';
import { makeDataset } from './data/dataset';
import type { DigitsData } from './data/digits';
import { defaultConfig } from './defaults';
import { Run } from './trainer';
import type { DatasetName, TrainConfig } from './types';

/** Trains to maxEpochs and returns the last epoch record. */
function trainToEnd(cfg: TrainConfig, digits?: DigitsData) {
  const run = new Run(cfg, makeDataset(cfg.data, cfg.seed, digits));
  const r = run.step(cfg.maxEpochs * run.stepsPerEpoch);
  expect(run.status).toBe('finished');
  return { run, last: r.epochs[r.epochs.length - 1] };
}

function twoD(name: DatasetName, seed: number): TrainConfig {
  const cfg = defaultConfig(); // 400 samples, 30% validation, noise 0.1
  cfg.data.name = name;
  cfg.seed = seed;
  cfg.maxEpochs = 150;
  return cfg;
}

describe('2D classification reaches >= 95% validation accuracy within 150 epochs (3 seeds each)', () => {
  // The app's default network: 2 hidden layers of 8 tanh units, SGD lr 0.1, batch 16.
  for (const name of ['circle', 'xor'] as const) {
    it(`${name} with the default network`, () => {
      for (const seed of [1, 2, 3]) expect(trainToEnd(twoD(name, seed)).last.valAcc).toBeGreaterThanOrEqual(0.95);
    });
  }

  // Two spirals need more capacity and a better optimizer: 2 x 24 ReLU (He init), Adam lr 0.01.
  it('two spirals with 2 x 24 ReLU and Adam', () => {
    for (const seed of [1, 2, 3]) {
      const cfg = twoD('spiral', seed);
      cfg.model.init = 'he';
      cfg.model.hidden = [0, 1].map(() => ({ units: 24, activation: 'relu' as const, dropout: 0, batchNorm: false }));
      cfg.optimizer = { ...cfg.optimizer, name: 'adam', lr: 0.01 };
      expect(trainToEnd(cfg).last.valAcc).toBeGreaterThanOrEqual(0.95);
    }
  });
});

describe('regression', () => {
  it('gaussian bump: MSE network explains > 90% of the validation variance within 100 epochs', () => {
    const cfg = defaultConfig();
    cfg.data.name = 'regGauss';
    cfg.model.loss = 'mse';
    cfg.model.hidden = [0, 1].map(() => ({ units: 16, activation: 'tanh' as const, dropout: 0, batchNorm: false }));
    cfg.optimizer = { ...cfg.optimizer, name: 'adam', lr: 0.01 };
    cfg.maxEpochs = 100;
    const { run, last } = trainToEnd(cfg);
    const ds = run.dataset;
    // loss of the best constant prediction (the mean): 0.5 * variance of the targets
    const y = ds.yVal as Float32Array;
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const baseline = (0.5 * y.reduce((a, b) => a + (b - mean) ** 2, 0)) / y.length;
    expect(Number.isNaN(last.valAcc)).toBe(true);
    expect(1 - last.valLoss / baseline).toBeGreaterThan(0.9);
  });
});

describe('digits', () => {
  let digits: DigitsData;
  beforeAll(async () => {
    digits = await loadDigits();
  });

  // 3,200 training images, 800 validation; 784-64-10 ReLU MLP, Adam lr 0.002, batch 32, 5 epochs.
  it('a small MLP reaches >= 90% validation accuracy within 5 epochs', () => {
    const cfg = defaultConfig();
    cfg.data = { ...cfg.data, name: 'digits', samples: 4000, valFraction: 0.2 };
    cfg.model.init = 'he';
    cfg.model.hidden = [{ units: 64, activation: 'relu', dropout: 0, batchNorm: false }];
    cfg.optimizer = { ...cfg.optimizer, name: 'adam', lr: 0.002 };
    cfg.batchSize = 32;
    cfg.maxEpochs = 5;
    const { run, last } = trainToEnd(cfg, digits);
    expect(run.dataset.nVal).toBe(800);
    expect(last.valAcc).toBeGreaterThanOrEqual(0.9);
  });
});
