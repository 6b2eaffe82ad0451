// The file formats of the export menu: config JSON round trip and validated import, metrics as
// CSV/JSON, and trained weights laid out as the engine's theta.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../engine/defaults';
import { Run } from '../engine/trainer';
import { configFromJson, configToJson } from './configFile';
import { type MetricsRun, metricsCsv, metricsJson } from './metrics';
import { weightsFile } from './weights';

describe('config JSON', () => {
  it('round-trips a config exactly, without notices', () => {
    const cfg = defaultConfig();
    cfg.optimizer = { ...cfg.optimizer, name: 'adamw', lr: 0.0031, weightDecay: 0.02 };
    cfg.model.hidden = [{ units: 17, activation: 'elu', dropout: 0.3, batchNorm: true }];
    const r = configFromJson(configToJson(cfg));
    expect(r).toEqual({ ok: true, config: cfg, notices: [] });
  });

  it('refuses a file that is not JSON or not an object, and names a bad field', () => {
    expect(configFromJson('{not json')).toMatchObject({ ok: false, message: expect.stringMatching(/not JSON/) });
    expect(configFromJson('[1, 2]')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a config object/),
    });
    const bad = JSON.parse(configToJson(defaultConfig()));
    bad.optimizer.lr = -1;
    const r = configFromJson(JSON.stringify(bad));
    if (!r.ok) throw new Error('expected a config');
    expect(r.notices.map((n) => n.path)).toEqual(['optimizer.lr']);
    expect(r.config.optimizer.lr).toBe(defaultConfig().optimizer.lr);
  });
});

describe('metrics', () => {
  const runs: MetricsRun[] = [
    {
      label: 'SGD, lr=0.1',
      steps: { step: [0, 1, 2], loss: [1.5, Number.NaN, 0.5] },
      epochs: { epoch: [1], valLoss: [0.7] },
    },
    { label: 'Adam', steps: { step: [0], loss: [2] }, epochs: {} },
  ];

  it('CSV: one long table with the union of columns, labels quoted, non-finite values empty', () => {
    const lines = metricsCsv(runs).trim().split('\n');
    expect(lines[0]).toBe('run,label,series,step,loss,epoch,valLoss');
    expect(lines.slice(1)).toEqual([
      '0,"SGD, lr=0.1",step,0,1.5,,',
      '0,"SGD, lr=0.1",step,1,,,',
      '0,"SGD, lr=0.1",step,2,0.5,,',
      '0,"SGD, lr=0.1",epoch,,,1,0.7',
      '1,Adam,step,0,2,,',
    ]);
  });

  it('JSON: every run and column, NaN written as null', () => {
    const j = JSON.parse(metricsJson(runs));
    expect(j.format).toBe('descent-metrics');
    expect(j.runs[0].steps.loss).toEqual([1.5, null, 0.5]);
    expect(j.runs[1]).toEqual({ label: 'Adam', steps: { step: [0], loss: [2] }, epochs: {} });
  });
});

describe('weights JSON', () => {
  it("lays out W[O][I], b, gamma and beta exactly as the engine's theta", () => {
    const cfg = defaultConfig();
    cfg.model.hidden = [{ units: 3, activation: 'relu', dropout: 0, batchNorm: true }];
    const run = new Run(cfg);
    run.step(20);
    const theta = run.getParams();
    const f = weightsFile(cfg, run.dataset.inputDim, run.dataset.outputDim, theta, run.getBnStats());
    expect(f.params).toBe(theta.length);
    expect(f.layers).toHaveLength(2);
    for (const [k, L] of run.layout.layers.entries()) {
      const w = f.layers[k];
      expect(w.W).toHaveLength(L.outDim);
      for (let o = 0; o < L.outDim; o++)
        for (let i = 0; i < L.inDim; i++) expect(Math.fround(w.W[o][i])).toBe(theta[L.w + o * L.inDim + i]);
      expect(w.b.map(Math.fround)).toEqual(Array.from(theta.subarray(L.b, L.b + L.outDim)));
    }
    expect(f.layers[0].gamma?.map(Math.fround)).toEqual(
      Array.from(theta.subarray(run.layout.layers[0].gamma, run.layout.layers[0].gamma + 3)),
    );
    expect(f.layers[0].runVar).toHaveLength(3);
    expect(f.layers[1].gamma).toBeUndefined();
    expect(() => weightsFile(cfg, 2, 2, new Float32Array(5))).toThrow(/got 5 parameters/);
  });
});
