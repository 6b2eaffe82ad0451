// Any config the schema accepts either trains (a few steps through the worker's service, as the
// page drives it) or is refused up front with a message naming the field; and non-finite values
// during training always end as 'diverged' at the step they appeared, with finite weights kept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validConfig } from '../../test-support/arbitraries';
import { recordFigures, scaled } from '../../test-support/figures';
import {
  cpuCapacityProblem,
  cpuCost,
  forwardMacs,
  MAX_CPU_EVAL_MACS,
  MAX_CPU_STEP_MACS,
} from '../../workers/cpu/capacity';
import { serviceWithLog } from '../../workers/testDoubles';
import { FIELDS } from '../config/fields';
import { loadDigits } from '../engine';
import { DEFAULT_CONFIG } from '../engine/defaults';
import type { TrainConfig } from '../engine/types';

const FIELD_PATHS = new Set(FIELDS.map((f) => f.path));
const namesField = (p: string) => FIELD_PATHS.has(p) || /^model\.hidden(\[\d+\](\.\w+)?)?$/.test(p);

function digitsNet(hidden: number[], batch: number, samples = 5000): TrainConfig {
  const c = structuredClone(DEFAULT_CONFIG);
  c.data.name = 'digits';
  c.data.samples = samples;
  c.data.valFraction = 0.2; // the shipped digits: 5,000 training and 1,000 validation images
  c.batchSize = batch;
  c.model.hidden = hidden.map((units) => ({ units, activation: 'relu', dropout: 0, batchNorm: false }));
  return c;
}

describe('capacity: what the CPU engine takes on', () => {
  it('counts multiply-adds by hand: 784-512-512-10 is 668,672 per sample', () => {
    expect(forwardMacs(784, [512, 512], 10)).toBe(784 * 512 + 512 * 512 + 512 * 10);
    const shape = { inputDim: 784, outputDim: 10, nTrain: 4000, nVal: 1000 };
    // 3 x 256 x 668,672 = 513.5 million per step: under the limit; 5000 x 668,672 = 3.34 billion per evaluation.
    expect(cpuCost([digitsNet([512, 512], 256)], shape).stepMacs).toBe(3 * 256 * 668_672);
    expect(cpuCapacityProblem([digitsNet([512, 512], 256)], shape)).toBeNull();
    // At batch 1024 it is 2.05 billion: refused, and the largest batch that fits is floor(1e9 / (3 x 668,672)) = 498.
    const p = cpuCapacityProblem([digitsNet([512, 512], 1024)], shape);
    expect(p?.field).toBe('batchSize');
    expect(p?.message).toContain('at most 498');
    // The same net raced by 6 optimizers costs six times as much: refused at batch 256.
    const six = Array.from({ length: 6 }, () => digitsNet([512, 512], 256));
    expect(cpuCapacityProblem(six, shape)?.message).toMatch(/for 6 runs/);
  });

  it('refuses the largest net the schema allows through the worker, naming batchSize, before any step', async () => {
    await loadDigits();
    const { svc } = serviceWithLog();
    const big = digitsNet(Array(8).fill(512), 1024);
    const t0 = performance.now();
    const r = await svc.create([big], { backend: 'cpu' });
    const ms = performance.now() - t0;
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.field)).toEqual(['batchSize']);
    expect(r.message).toMatch(/too much for the CPU engine/);
    // Refused up front: building the dataset is the only work done (no minute-long step).
    expect(ms).toBeLessThan(30_000);
    // Evaluation-bound: 8 x 512 at batch 32 steps cheaply but evaluating 5,000 digits is 11 billion multiply-adds.
    const evalBound = await svc.create([digitsNet(Array(8).fill(512), 32)], { backend: 'cpu' });
    expect(evalBound.ok ? [] : evalBound.problems.map((p) => p.field)).toEqual(['data.samples']);
  });
});

type Outcome = 'trained' | 'diverged' | 'refused' | 'failed';

describe('any config the schema accepts trains or is refused up front', () => {
  it('builds, steps and reports each generated config through the worker service', { timeout: 900_000 }, async () => {
    await loadDigits();
    const n = scaled(24, 160);
    const steps = scaled(2, 5);
    const configs = fc.sample(validConfig, { numRuns: n, seed: 77 });
    const outcomes: Record<Outcome, number> = { trained: 0, diverged: 0, refused: 0, failed: 0 };
    const refusedBy: Record<string, number> = {};
    const failures: string[] = [];
    const { svc } = serviceWithLog();
    const t0 = performance.now();
    for (const cfg of configs) {
      const r = await svc.create([cfg], { backend: 'cpu' });
      if (!r.ok) {
        outcomes.refused++;
        for (const p of r.problems) refusedBy[p.field] = (refusedBy[p.field] ?? 0) + 1;
        if (r.problems.length === 0 || !r.problems.every((p) => namesField(p.field) && p.message.length > 0))
          failures.push(`refused without naming a field: ${r.message}`);
        // Refusals beyond the schema: CPU capacity, and what the data allows (the digits split).
        continue;
      }
      const st = await svc.step(steps);
      const run = st.runs[0];
      const notice = st.notice ?? '';
      if (/Training stopped/.test(notice)) {
        outcomes.failed++;
        failures.push(`engine error: ${notice}`);
      } else if (run.state === 'diverged') {
        outcomes.diverged++;
        if (!(run.statusStep >= 0 && run.statusStep < run.step))
          failures.push(`diverged without a step: ${run.statusStep}`);
      } else if (run.step >= 1) {
        outcomes.trained++;
      } else {
        outcomes.failed++;
        failures.push(`no step taken, state ${run.state}`);
      }
      const theta = await svc.getParams(0);
      if (!theta?.every(Number.isFinite)) failures.push('non-finite weights kept after training');
    }
    recordFigures('train-fuzz', {
      configsTried: n,
      stepsEach: steps,
      outcomes,
      refusedBy,
      limits: { stepMacs: MAX_CPU_STEP_MACS, evalMacs: MAX_CPU_EVAL_MACS },
      ms: Math.round(performance.now() - t0),
    });
    await svc.dispose();
    expect(failures, failures.slice(0, 8).join('\n')).toEqual([]);
    expect(outcomes.trained + outcomes.diverged).toBeGreaterThan(n / 3);
  });
});
