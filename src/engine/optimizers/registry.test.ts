// Every registered optimizer is complete: label, help, convention, typeset rule, known
// hyperparameters with sane limits around their defaults, a PyTorch mapping that passes each of
// them to the script; its arena terms add up to the move its step makes, and its L1 prox scale
// is positive and finite. Names and URL keys are unique. Other registry checks live beside what
// they check and loop over OPTIMIZERS the same way: the WGSL rule file and GPU parity case
// (workers/gpu/generated.test.ts), the PyTorch script run in torch
// (src/export/pytorchRun.test.ts), the KaTeX typesetting of `rule`
// (src/components/controls/formulas.test.ts).
import { describe, expect, it } from 'vitest';
import { ARENA_SEGMENTS } from '../arena';
import { TEST_FUNCTION_NAMES } from '../data/testFunctions';
import { DEFAULT_CONFIG } from '../defaults';
import { optimizerStep } from '../optim';
import { Rng } from '../rng';
import { HYPERS, hyperDef } from './hypers';
import { OPTIMIZER_NAMES, OPTIMIZERS, type OptimizerConfig } from './registry';

describe('optimizer registry', () => {
  it('has unique names and URL keys, and every hyperparameter default inside its limits', () => {
    expect(new Set(OPTIMIZER_NAMES).size).toBe(OPTIMIZERS.length);
    expect(new Set(HYPERS.map((h) => h.urlKey)).size).toBe(HYPERS.length);
    for (const h of HYPERS) {
      expect(h.min, h.key).toBeLessThanOrEqual(h.default);
      expect(h.default, h.key).toBeLessThanOrEqual(h.max);
      expect(h.help.length, h.key).toBeGreaterThan(20);
    }
  });

  it.each(OPTIMIZERS.map((o) => [o.name, o] as const))('%s has its texts and known hyperparameters', (_, o) => {
    expect(o.label.length).toBeGreaterThan(0);
    expect(o.help.length).toBeGreaterThan(20);
    expect(o.convention.length).toBeGreaterThan(20);
    expect(o.rule.length).toBeGreaterThan(0);
    expect(o.rule.some((line) => line.startsWith('w \\leftarrow'))).toBe(true); // it says how w moves
    for (const k of o.hypers) expect(() => hyperDef(k)).not.toThrow();
    expect(o.hypers).not.toContain('lr');
    for (const fn of TEST_FUNCTION_NAMES) expect(o.arena.lr[fn], fn).toBeGreaterThan(0);
  });

  it.each(OPTIMIZERS.map((o) => [o.name, o] as const))('%s has a PyTorch mapping', (_, o) => {
    const { constants, build, prox } = o.pytorch;
    // every hyperparameter the rule reads reaches the script as a constant, and each is used
    expect(constants.map((c) => c.hyper).sort()).toEqual([...o.hypers].sort());
    const python = [...build, ...prox.scale, ...(prox.after ?? [])].join('\n');
    for (const c of constants) expect(python, c.name).toMatch(new RegExp(`\\b${c.name}\\b`));
    // it builds `optimizer` from LR0, says the equivalence in a comment or docstring, and sets the prox scale s
    expect(build.some((l) => l.startsWith('optimizer = '))).toBe(true);
    expect(build.join('\n')).toMatch(/LR0/);
    expect(build[0]).toMatch(/^(#|class )/);
    expect(prox.why.length).toBeGreaterThan(5);
    expect(prox.scale.some((l) => /^s = /.test(l))).toBe(true);
  });

  it.each(OPTIMIZERS.map((o) => [o.name, o] as const))(
    '%s: the arena terms add up to the move; prox scale > 0',
    (name, o) => {
      const rng = new Rng(5);
      const cfg: OptimizerConfig = { ...DEFAULT_CONFIG.optimizer, name, weightDecay: 0.1, initialAccumulator: 0.1 };
      const w = Float64Array.from([0.7, -1.3]);
      const state = { t: 0, m: new Float64Array(2), v: new Float64Array(2) };
      for (let step = 0; step < 5; step++) {
        const g = Float64Array.from([rng.gaussian(), rng.gaussian()]);
        const before = w.slice();
        const x = { w: before, g, m: state.m.slice(), v: state.v.slice(), t: state.t + 1, lr: 0.05, hp: cfg };
        const terms = o.terms(x);
        optimizerStep(cfg, w, g, state, 0.05, null, ARENA_SEGMENTS);
        for (let i = 0; i < 2; i++)
          expect(terms.gradient[i] + terms.momentum[i] + terms.decay[i]).toBeCloseTo(w[i] - before[i], 14);
        const s = o.proxScale(state, cfg, ARENA_SEGMENTS);
        for (let i = 0; i < 2; i++) expect(s(i)).toBeGreaterThan(0);
        for (let i = 0; i < 2; i++) expect(Number.isFinite(s(i))).toBe(true);
      }
    },
  );
});
