// Every registered optimizer is complete: label, help, convention, typeset rule, known
// hyperparameters with sane limits around their defaults, a PyTorch mapping that passes each of
// them to the script; its arena terms add up to the move its step makes, and its L1 prox scale
// is positive and finite. Names and URL keys are unique. Other registry checks live beside what
// they check and loop over OPTIMIZERS the same way: the WGSL rule file and GPU parity case
// (workers/gpu/generated.test.ts), the PyTorch script run in torch
// (src/export/pytorchRun.test.ts), the KaTeX typesetting of `rule`
// (src/components/controls/formulas.test.ts).
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/schema';
import { TEST_FUNCTION_NAMES } from '../data/testFunctions';
import { DEFAULT_CONFIG } from '../defaults';
import { optimizerStep } from '../optim';
import { Rng } from '../rng';
import { HYPERS, hyperDef, type OptimizerHypers } from './hypers';
import {
  OPTIMIZER_NAMES,
  OPTIMIZERS,
  type OptimizerConfig,
  type OptimizerName,
  optimizerDefaults,
  optimizerSpec,
  switchOptimizer,
} from './registry';

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
        optimizerStep(cfg, w, g, state, 0.05, null);
        for (let i = 0; i < 2; i++)
          expect(terms.gradient[i] + terms.momentum[i] + terms.decay[i]).toBeCloseTo(w[i] - before[i], 14);
        const s = o.proxScale(state, cfg);
        for (let i = 0; i < 2; i++) expect(s(i)).toBeGreaterThan(0);
        for (let i = 0; i < 2; i++) expect(Number.isFinite(s(i))).toBe(true);
      }
    },
  );
});

describe('per-rule defaults (spec.defaults)', () => {
  // A rule with its own defaults, as Lion's beta2 0.99 beside Adam's 0.999: set on a registered
  // spec for the test, so the mechanism is checked whichever rules declare defaults today.
  const withDefaults = <T>(name: OptimizerName, defaults: Partial<OptimizerHypers>, f: () => T): T => {
    const spec = optimizerSpec(name) as { defaults?: Partial<OptimizerHypers> };
    const saved = spec.defaults;
    spec.defaults = { ...saved, ...defaults };
    try {
      return f();
    } finally {
      spec.defaults = saved;
    }
  };

  it('switching takes the new rule defaults for untouched values and keeps the values the user set', () => {
    withDefaults('adamw', { beta2: 0.99, weightDecay: 0.1 }, () => {
      const adam: OptimizerConfig = { ...optimizerDefaults('adam'), name: 'adam', beta1: 0.8 };
      const adamw = switchOptimizer(adam, 'adamw');
      expect([adamw.beta2, adamw.weightDecay, adamw.beta1, adamw.lr]).toEqual([0.99, 0.1, 0.8, adam.lr]);
      // and back: the untouched values return to Adam's, the user's beta1 stays
      const back = switchOptimizer(adamw, 'adam');
      expect([back.beta2, back.weightDecay, back.beta1]).toEqual([0.999, DEFAULT_CONFIG.optimizer.weightDecay, 0.8]);
      // a value the user moved away from the default is kept across the switch
      const tuned = switchOptimizer({ ...adam, beta2: 0.95 }, 'adamw');
      expect(tuned.beta2).toBe(0.95);
    });
  });

  it('a link or file naming the rule without a value reads the rule default; a bad value falls back to it', () => {
    withDefaults('adamw', { beta2: 0.99 }, () => {
      expect(parseConfig({ optimizer: { name: 'adamw' } }, { reportMissing: false }).config.optimizer.beta2).toBe(0.99);
      const bad = parseConfig({ optimizer: { name: 'adamw', beta2: 'x' } }, { reportMissing: false });
      expect(bad.config.optimizer.beta2).toBe(0.99);
      expect(bad.notices.map((n) => n.path)).toContain('optimizer.beta2');
      expect(parseConfig({ optimizer: { name: 'adamw', beta2: 0.9 } }).config.optimizer.beta2).toBe(0.9);
      expect(parseConfig({ optimizer: { name: 'adam' } }).config.optimizer.beta2).toBe(0.999);
    });
  });
});
