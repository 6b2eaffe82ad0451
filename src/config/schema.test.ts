import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nastyValue, validConfig } from '../../test-support/arbitraries';
import { DEFAULT_CONFIG, DEFAULT_LAYER } from '../engine/defaults';
import type { TrainConfig } from '../engine/types';
import { FIELDS, type Field, MAX_HIDDEN_LAYERS, MAX_UNITS } from './fields';
import { noticeText, parseConfig, validateConfig } from './schema';

// Tests poke wrong types into configs on purpose, so they work on a loosely typed copy.
// biome-ignore lint/suspicious/noExplicitAny: deliberately untyped test input
type Loose = any;
const clone = (c: TrainConfig) => structuredClone(c) as Loose;
function put(obj: Loose, path: string, v: unknown) {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = cur[p];
  cur[parts[parts.length - 1]] = v;
}
function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce((o: Loose, p) => o[p], obj);
}
/** A value that breaks the field: out of range, not in the enum, or the wrong type. */
function badValue(f: Field): unknown {
  if (f.kind === 'number') return f.max + 1;
  if (f.kind === 'enum') return 'bogus';
  return 'yes';
}
/** A valid, non-default value, so we can see that good fields are kept. */
function otherValue(f: Field, current: unknown): unknown {
  if (f.kind === 'boolean') return !current;
  if (f.kind === 'enum') return f.values.find((v) => v !== current && v !== 'regPlane' && v !== 'regGauss');
  return current === f.max ? f.min : f.max;
}

describe('parseConfig', () => {
  it('accepts the defaults without a notice', () => {
    const r = parseConfig(DEFAULT_CONFIG);
    expect(r.notices).toEqual([]);
    expect(r.config).toEqual(DEFAULT_CONFIG);
  });

  it('replaces exactly the one bad field with its default and names it', () => {
    // Start from a config where every field differs from the default, so any collateral reset shows.
    const base = clone(DEFAULT_CONFIG);
    for (const f of FIELDS) put(base, f.path, otherValue(f, get(DEFAULT_CONFIG, f.path)));
    expect(parseConfig(base).notices).toEqual([]);
    for (const f of FIELDS) {
      const input = structuredClone(base);
      put(input, f.path, badValue(f));
      const { config, notices } = parseConfig(input);
      expect(notices.map((n) => n.path)).toEqual([f.path]);
      const expected = structuredClone(base);
      put(expected, f.path, get(DEFAULT_CONFIG, f.path));
      expect(config).toEqual(expected);
    }
  });

  it('names the layer and the limit for a too-wide layer', () => {
    const input = clone(DEFAULT_CONFIG);
    input.model.hidden = [DEFAULT_LAYER, DEFAULT_LAYER, { ...DEFAULT_LAYER, units: 1e9, activation: 'relu' }];
    const { config, notices } = parseConfig(input);
    expect(notices.map(noticeText)).toEqual([
      `model.hidden[2].units: 1000000000 is above the maximum ${MAX_UNITS}; using the default ${DEFAULT_LAYER.units}`,
    ]);
    expect(config.model.hidden[2]).toEqual({ ...DEFAULT_LAYER, activation: 'relu' });
  });

  it('keeps the first 8 of too many layers and reports wrong-typed layers', () => {
    const input = clone(DEFAULT_CONFIG);
    input.model.hidden = Array.from({ length: 12 }, (_, i) => ({ ...DEFAULT_LAYER, units: i + 1 }));
    input.model.hidden[1] = 'wide';
    const { config, notices } = parseConfig(input);
    expect(config.model.hidden).toHaveLength(MAX_HIDDEN_LAYERS);
    expect(config.model.hidden[0].units).toBe(1);
    expect(config.model.hidden[1]).toEqual(DEFAULT_LAYER);
    expect(config.model.hidden[7].units).toBe(8);
    expect(notices.map((n) => n.path)).toEqual(['model.hidden', 'model.hidden[1]']);
  });

  it('names non-finite, fractional and wrong-typed numbers', () => {
    const input = clone(DEFAULT_CONFIG);
    input.optimizer.lr = Number.NaN;
    input.batchSize = 2.5;
    input.data.samples = '400';
    const texts = parseConfig(input).notices.map(noticeText);
    expect(texts).toEqual([
      'data.samples: "400" is not a number; using the default 400',
      'optimizer.lr: NaN is not a finite number; using the default 0.1',
      'batchSize: 2.5 is not a whole number; using the default 16',
    ]);
  });

  it('handles missing, newer and unknown versions and reports unknown fields', () => {
    const { version: _v, ...noVersion } = clone(DEFAULT_CONFIG);
    expect(parseConfig(noVersion).notices.map((n) => n.path)).toEqual(['version']);
    const newer = { ...clone(DEFAULT_CONFIG), version: 7, futureThing: 1 };
    const r = parseConfig(newer);
    expect(r.config).toEqual(DEFAULT_CONFIG);
    expect(r.notices.map(noticeText)[0]).toMatch(/^version: 7 is newer/);
    expect(r.notices.map((n) => n.path)).toEqual(['version', 'futureThing']);
    expect(parseConfig({ ...clone(DEFAULT_CONFIG), version: 'one' }).notices[0].message).toMatch(/not a known version/);
  });

  it('gives one notice for a missing or wrong-typed section, and defaults for it only', () => {
    const input = clone(DEFAULT_CONFIG);
    input.optimizer.name = 'adam';
    input.schedule = 5;
    delete input.reg;
    const { config, notices } = parseConfig(input);
    expect(notices.map((n) => n.path).sort()).toEqual(['reg', 'schedule']);
    expect(config.optimizer.name).toBe('adam');
    expect(config.schedule).toEqual(DEFAULT_CONFIG.schedule);
  });

  it('stays quiet about missing fields when asked (hand-written partial links)', () => {
    const { config, notices } = parseConfig({ optimizer: { name: 'adam' } }, { reportMissing: false });
    expect(notices).toEqual([]);
    expect(config).toEqual({ ...DEFAULT_CONFIG, optimizer: { ...DEFAULT_CONFIG.optimizer, name: 'adam' } });
  });

  it('forces MSE for regression data', () => {
    const input = clone(DEFAULT_CONFIG);
    input.data.name = 'regPlane';
    const { config, notices } = parseConfig(input);
    expect(config.model.loss).toBe('mse');
    expect(notices.map((n) => n.path)).toEqual(['model.loss']);
  });

  it('gives Schedule-Free a β₁ > 0, naming the field (its average x is recovered by dividing by β₁)', () => {
    const input = clone(DEFAULT_CONFIG);
    input.optimizer = { ...input.optimizer, name: 'schedulefree', beta1: 0 };
    const { config, notices } = parseConfig(input);
    expect(config.optimizer.beta1).toBe(0.9);
    expect(notices.map((n) => n.path)).toEqual(['optimizer.beta1']);
    input.optimizer.name = 'adam'; // other rules keep β₁ = 0
    expect(parseConfig(input).config.optimizer.beta1).toBe(0);
  });

  it('never lets markup through: script strings are replaced and quoted as plain text', () => {
    const input = clone(DEFAULT_CONFIG);
    input.data.name = '<script>alert(1)</script>';
    input.model.hidden[0].activation = '<img src=x onerror=alert(1)>';
    const { config, notices } = parseConfig(input);
    expect(JSON.stringify(config)).not.toContain('<');
    expect(notices[0].message.startsWith('"<script>alert(1)</script>" is not one of')).toBe(true);
  });

  it('never throws on arbitrary input and always returns a config that validates clean', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), (x) => {
        const { config, notices } = parseConfig(x);
        expect(validateConfig(config)).toEqual([]);
        for (const n of notices) expect(typeof n.message).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('on a valid config with one field mangled, keeps every other field', () => {
    const paths = FIELDS.map((f) => f.path);
    fc.assert(
      fc.property(validConfig, fc.constantFrom(...paths), nastyValue, (cfg, path, bad) => {
        const input = clone(cfg);
        put(input, path, bad);
        const { config, notices } = parseConfig(input);
        expect(validateConfig(config)).toEqual([]);
        for (const f of FIELDS) {
          if (f.path === path || f.path === 'model.loss') continue; // loss may follow a changed dataset
          expect(get(config, f.path)).toEqual(get(cfg, f.path));
        }
        expect(config.model.hidden).toEqual(cfg.model.hidden);
        if (notices.length > 0) expect(notices.some((n) => n.path === path || n.path === 'model.loss')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('survives inputs that throw when read', () => {
    const evil = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    const r = parseConfig(evil);
    expect(r.config).toEqual(DEFAULT_CONFIG);
    expect(r.notices[0].path).toBe('config');
  });
});
