// Extreme learning rates and initial scales, every optimizer, no clipping: whatever blows up
// must end as status 'diverged' at the step it happened (the last step the page receives), with
// the last finite weights kept; a run that does not diverge never streams a non-finite loss.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validConfig } from '../../test-support/arbitraries';
import { recordFigures, scaled } from '../../test-support/figures';
import { serviceWithLog } from '../../workers/testDoubles';
import type { TrainConfig } from '../engine/types';

const extreme: fc.Arbitrary<TrainConfig> = fc
  .tuple(
    validConfig,
    fc.double({ min: 0.5, max: 10, noNaN: true }),
    fc.double({ min: 1, max: 10, noNaN: true }),
    fc.constantFrom('circle', 'xor', 'spiral', 'blobs', 'regPlane', 'regGauss'),
    fc.array(
      fc.record({
        units: fc.integer({ min: 1, max: 32 }),
        activation: fc.constantFrom('relu', 'leakyRelu', 'elu', 'tanh', 'sigmoid', 'linear'),
        dropout: fc.constantFrom(0, 0.5),
        batchNorm: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
  )
  .map(([c, lr, initScale, data, hidden]) => {
    const cfg = structuredClone(c);
    cfg.optimizer.lr = lr;
    cfg.model.initScale = initScale;
    cfg.model.hidden = hidden as TrainConfig['model']['hidden'];
    cfg.data.name = data as TrainConfig['data']['name'];
    cfg.data.samples = Math.min(cfg.data.samples, 400);
    cfg.model.loss = data.startsWith('reg') ? 'mse' : cfg.model.loss;
    cfg.clipNorm = 0;
    cfg.schedule.kind = 'constant';
    cfg.earlyStop.enabled = false;
    cfg.maxEpochs = 0;
    return cfg;
  });

describe('divergence under extreme settings', () => {
  it('ends every blow-up as diverged at its step, keeps finite weights, never streams NaN otherwise', {
    timeout: 900_000,
  }, async () => {
    const n = scaled(40, 300);
    const maxSteps = scaled(150, 400);
    const configs = fc.sample(extreme, { numRuns: n, seed: 4242 });
    const figures = { configsTried: n, maxSteps, divergedNonFinite: 0, divergedBlowUp: 0, survived: 0 };
    const failures: string[] = [];
    for (const cfg of configs) {
      const { svc, updates } = serviceWithLog();
      const r = await svc.create([cfg], { backend: 'cpu' });
      if (!r.ok) {
        failures.push(`refused: ${r.message}`);
        continue;
      }
      const st = await svc.step(maxSteps);
      const run = st.runs[0];
      const steps: number[] = [];
      const losses: number[] = [];
      for (const u of updates)
        for (const m of u.metrics) {
          steps.push(...m.step);
          losses.push(...m.loss);
        }
      const bad = losses.findIndex((x) => !Number.isFinite(x));
      const theta = await svc.getParams(0);
      const tag = `${cfg.optimizer.name} lr ${cfg.optimizer.lr.toPrecision(3)} init x${cfg.model.initScale.toPrecision(3)}`;
      if (!theta?.every(Number.isFinite)) failures.push(`${tag}: non-finite weights kept`);
      if (run.state === 'diverged') {
        if (bad >= 0) figures.divergedNonFinite++;
        else figures.divergedBlowUp++;
        // The diverged step is the last one streamed, and the status says which one it was.
        if (run.statusStep !== steps[steps.length - 1])
          failures.push(`${tag}: statusStep ${run.statusStep}, last streamed step ${steps[steps.length - 1]}`);
        if (bad >= 0 && steps[bad] !== run.statusStep)
          failures.push(`${tag}: first non-finite loss at step ${steps[bad]}, diverged at ${run.statusStep}`);
      } else {
        figures.survived++;
        if (bad >= 0) failures.push(`${tag}: non-finite loss at step ${steps[bad]} but state ${run.state}`);
        if (run.step !== maxSteps) failures.push(`${tag}: stopped at ${run.step} in state ${run.state}`);
      }
      await svc.dispose();
    }
    recordFigures('divergence-fuzz', figures);
    expect(failures, failures.slice(0, 8).join('\n')).toEqual([]);
    // The generator really is extreme: most configs blow up, some of them to NaN/Infinity.
    expect(figures.divergedNonFinite + figures.divergedBlowUp).toBeGreaterThan(n / 4);
    expect(figures.divergedNonFinite).toBeGreaterThan(0);
  });
});
