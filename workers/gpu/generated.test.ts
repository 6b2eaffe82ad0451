// The generated WGSL constants agree with the TypeScript tables they come from, and every kernel
// names its hyper words and optimizer ids through them (no hand-kept numbers left to drift).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/defaults';
import { GPU_OPTIMIZER_NAMES, OPTIMIZERS } from '../../src/engine/optimizers/registry';
import { OPTIMIZER_NAMES, type TrainConfig } from '../../src/engine/types';
import { DROP_Q_WORD, HS, HYPER_ROW, HYPER_WORD, hyperWGSL, SLOT_WORD, SLOT_WORDS } from './hyper';
import { KERNELS } from './kernels';
import {
  initialState,
  OPT_EACH_RUN,
  OPT_RUNS_BIT,
  optimizersWGSL,
  optimizerVariant,
  orphanRules,
  ruleSource,
} from './optimizers';

/** name -> value of every `const NAME: u32 = Nu;` in a WGSL source. */
function consts(src: string): Map<string, number> {
  return new Map([...src.matchAll(/const (\w+): u32 = (\d+)u;/g)].map((m) => [m[1], Number(m[2])]));
}

describe('generated WGSL constants', () => {
  const hyper = consts(hyperWGSL());
  const opt = consts(optimizersWGSL());

  it('declares every word of the hyper table at the index packHyper writes', () => {
    expect(hyper.get('HS')).toBe(HS);
    expect(hyper.get('SLOT_WORDS')).toBe(SLOT_WORDS);
    expect(hyper.get('H_DROP_Q')).toBe(DROP_Q_WORD);
    expect(HYPER_ROW.length).toBeLessThanOrEqual(DROP_Q_WORD);
    for (const [name, i] of Object.entries(HYPER_WORD)) {
      const wgsl = `H_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
      expect(hyper.get(wgsl), wgsl).toBe(i);
    }
    expect(hyper.get('H_L1')).toBe(HYPER_WORD.l1);
    expect(hyper.get('H_OM_BETA1')).toBe(HYPER_WORD.omBeta1);
    expect(hyper.get('SLOT_EPOCH_END')).toBe(SLOT_WORD.epochEnd);
  });

  it('gives each optimizer of the list its index as id, a rule and a case of optimizer_step', () => {
    const src = optimizersWGSL();
    OPTIMIZER_NAMES.forEach((name, i) => {
      const id = `OPT_${name.toUpperCase()}`;
      expect(opt.get(id), id).toBe(i);
      expect(ruleSource(name), `kernels/optimizers/${name}.wgsl`).toMatch(new RegExp(`fn ${name}_step\\(`));
      expect(src).toContain(
        `if (opt_may(opt, ${id})) { out = moved_if(out, ${name}_step(w, g, m, v, a), kind == ${id}); }`,
      );
    });
    expect(orphanRules()).toEqual([]);
  });

  it('gives each optimizer parity cases (alone, in the every-optimizer race, with L1), run on the GPU paths by the e2e suite', async () => {
    const { TRAINING_CASES } = await import('./parity/trainingCases');
    const patched = (f: ((c: TrainConfig) => void) | undefined) => {
      const c = structuredClone(DEFAULT_CONFIG);
      f?.(c);
      return c;
    };
    const onGpu = OPTIMIZERS.filter((o) => !o.gpuUnsupported); // the others train on the CPU engine
    expect(onGpu.map((o) => o.name)).toEqual(GPU_OPTIMIZER_NAMES);
    for (const o of onGpu) {
      const own = patched(TRAINING_CASES[o.name]?.patch);
      expect([own.optimizer.name, own.optimizer.lr], o.name).toEqual([o.name, o.parity.lr]);
    }
    const race = (TRAINING_CASES['all-optimizers'].runs ?? []).map((f) => patched(f).optimizer.name);
    expect(race).toEqual(GPU_OPTIMIZER_NAMES);
    const l1 = (TRAINING_CASES.l1.runs ?? []).map((f) => patched(f));
    expect(l1.map((c) => [c.optimizer.name, c.optimizer.lr, c.reg.l1])).toEqual(
      onGpu.map((o) => [o.name, ...o.parity.l1]),
    );
    // the browser suite runs one case per registered optimizer and the race on the fused and general paths
    const spec = readFileSync(new URL('../../e2e/gpu-parity.spec.ts', import.meta.url), 'utf8');
    expect(spec).toMatch(/const full = \[\n\s+\.\.\.GPU_OPTIMIZER_NAMES,\n\s+'all-optimizers',/);
    expect(spec).toMatch(/\['fused', \[\.\.\.full,/);
    expect(spec).toMatch(/\['general', \[\.\.\.full,/);
  });

  it('refuses, naming the field and the reason, a rule the GPU cannot run (the CPU engine takes it)', () => {
    const cfg = structuredClone(DEFAULT_CONFIG);
    const theta = new Float32Array(10);
    for (const o of OPTIMIZERS) {
      cfg.optimizer.name = o.name;
      if (o.gpuUnsupported)
        expect(() => initialState(cfg, theta)).toThrow(`optimizer.name: '${o.name}' ${o.gpuUnsupported}`);
      else expect(() => initialState(cfg, theta)).not.toThrow();
    }
    expect(OPTIMIZERS.filter((o) => o.gpuUnsupported).map((o) => o.name)).toEqual([]);
  });

  it('keeps the each-run sentinel out of the id range', () => {
    expect(opt.get('OPT_EACH_RUN')).toBe(OPT_EACH_RUN);
    expect(OPT_EACH_RUN).toBeGreaterThanOrEqual(OPTIMIZER_NAMES.length);
    expect(optimizerVariant(['adam', 'adam'])).toBe(OPTIMIZER_NAMES.indexOf('adam'));
    // a mixed set: each run's own rule, and only the rules the set uses are compiled in
    const mixed = optimizerVariant(['sgd', 'adamw', 'sgd']);
    expect(mixed).toBe(
      (OPT_RUNS_BIT | (1 << OPTIMIZER_NAMES.indexOf('sgd')) | (1 << OPTIMIZER_NAMES.indexOf('adamw'))) >>> 0,
    );
    expect(mixed).toBeGreaterThanOrEqual(OPT_RUNS_BIT);
    expect((OPT_EACH_RUN & OPT_RUNS_BIT) >>> 0).toBe(OPT_RUNS_BIT); // the any-rule sentinel is such a set
    expect(opt.get('OPT_RUNS_BIT')).toBe(OPT_RUNS_BIT);
    expect(() => optimizerVariant(['sgd', 'nadam'])).toThrow(/optimizer\.name/);
  });

  for (const [name, spec] of Object.entries(KERNELS)) {
    it(`${name}: reads hyper words and optimizer ids only by generated name`, () => {
      const declared = consts(spec.code);
      const code = spec.code.replace(/\/\/.*$/gm, '');
      const used = new Set([...code.matchAll(/\b(H_\w+|SLOT_[A-Z_0-9]+|OPT_[A-Z_0-9]+)\b/g)].map((m) => m[1]));
      for (const id of used) expect(declared.has(id), `${id} used but not declared`).toBe(true);
      expect(spec.code).not.toMatch(/hyper_[uf]\([^;]*?,\s*\d+u\)/);
      expect(spec.code).not.toMatch(/slot_(?:f|entry|word)\([^;]*?,\s*\d+u\)/);
      expect(spec.code).not.toMatch(/OPT\s*[=!]=\s*\d/);
      expect(spec.code).not.toMatch(/override OPT: u32 = \d/);
    });
  }
});
