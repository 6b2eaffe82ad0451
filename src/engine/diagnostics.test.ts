// Each diagnostic fires on its triggering demo config and not on its healthy one (diagnosticDemos.ts),
// after DEMO_STEPS steps of the engine; the rules' thresholds on hand-made inputs.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/schema';
import { DEMO_STEPS, diagnosticDemos } from './diagnosticDemos';
import { activationStats, diagnose, RATIO_TARGET } from './diagnostics';
import { Run } from './trainer';
import type { TrainConfig } from './types';

/** Diagnose a config after n steps, from the last 50 steps' metrics (as the page does from its buffer). */
function diagnoseAfter(cfg: TrainConfig, n = DEMO_STEPS) {
  const run = new Run(cfg);
  const steps = run.step(n).steps.slice(-50);
  const L = run.layout.layers.length;
  const perLayer = (k: 'gradNorm' | 'updateRatio') =>
    Array.from({ length: L }, (_, l) => steps.map((s) => (s[k] as ArrayLike<number>)[l]));
  const stats = activationStats(run.layout, run.getParams(), run.getBnStats(), cfg.model, run.dataset);
  return diagnose({
    stats,
    gradNorms: perLayer('gradNorm'),
    updateRatios: perLayer('updateRatio'),
    lr: cfg.optimizer.lr,
  });
}

describe('diagnostics on their demo configs', () => {
  for (const d of diagnosticDemos()) {
    it(`${d.kind}: fires on "${d.what}", not on the healthy config`, () => {
      const bad = diagnoseAfter(d.triggers);
      expect(bad.map((x) => x.kind)).toContain(d.kind);
      const good = diagnoseAfter(d.healthy);
      expect(good.map((x) => x.kind)).not.toContain(d.kind);
    });
  }
});

describe('demo configs', () => {
  it('are valid configs (the links the panel and lessons open), each kind once', () => {
    const demos = diagnosticDemos();
    expect(new Set(demos.map((d) => d.kind)).size).toBe(demos.length);
    for (const d of demos)
      for (const c of [d.triggers, d.healthy]) expect(parseConfig(JSON.parse(JSON.stringify(c))).notices).toEqual([]);
  });
});

describe('diagnose rules', () => {
  it('suggests lr x 1e-3 / ratio for update ratios far from 1e-3', () => {
    const d = diagnose({ stats: [], gradNorms: [[1], [1]], updateRatios: [[0.05, 0.05, 0.05], [1e-3]], lr: 0.2 });
    expect(d).toHaveLength(1);
    expect(d[0].kind).toBe('ratio-high');
    expect(d[0].layer).toBe(0);
    expect(d[0].suggestedLr).toBeCloseTo((0.2 * RATIO_TARGET) / 0.05, 12);
    expect(d[0].text).toMatch(/^Layer 1: .*too high; about 0\.004/);
  });
  it('names the output layer and reads medians (one outlier step does not fire)', () => {
    const d = diagnose({
      stats: [],
      gradNorms: [
        [1, 1, 500],
        [2e-4, 1e-4, 1e-4],
      ],
      updateRatios: [],
      lr: 0.1,
    });
    expect(d.map((x) => [x.kind, x.layer])).toEqual([['vanishing', 1]]);
    expect(d[0].text).toMatch(/^Output layer/);
  });
});
