import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validConfig } from '../../test-support/arbitraries';
import { DEFAULT_CONFIG } from '../engine/defaults';
import { FIELDS } from './fields';
import { noticeText, validateConfig } from './schema';
import { decodeHash, encodeHash, MAX_HASH_LENGTH } from './urlHash';

const KNOWN_PATHS = new Set(['link', 'version', 'hide', 'model.hidden', ...FIELDS.map((f) => f.path)]);
const namesAField = (path: string) => KNOWN_PATHS.has(path) || /^model\.hidden\[\d+\](\.\w+)?$/.test(path);

describe('URL hash', () => {
  it('round-trips any valid config exactly, with no notice', () => {
    fc.assert(
      fc.property(validConfig, (cfg) => {
        const back = decodeHash(`#${encodeHash(cfg)}`);
        expect(back.notices).toEqual([]);
        expect(back.config).toEqual(cfg);
        expect(back.hasConfig).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is readable: short keys, layers as units:activation, version last', () => {
    const cfg = structuredClone(DEFAULT_CONFIG);
    cfg.model.hidden = [
      { units: 16, activation: 'relu', dropout: 0.2, batchNorm: true },
      { units: 4, activation: 'tanh', dropout: 0, batchNorm: false },
    ];
    const h = encodeHash(cfg, { hide: ['network'] });
    expect(h).toContain('&hidden=16:relu:d0.2:bn,4:tanh&');
    expect(h).toContain('&lr=0.1&');
    expect(h).toMatch(/&hide=network&v=1$/);
    expect(decodeHash(h).extras.hide).toEqual(['network']);
  });

  it("keeps a link's question (ask=, predict then run) through a rewrite of the hash", () => {
    const ask = 'first-below:loss=0.1:epochs=40';
    const h = encodeHash(DEFAULT_CONFIG, { ask });
    expect(h).toMatch(/&ask=first-below:loss%3D0\.1:epochs%3D40&v=1$/);
    const d = decodeHash(h);
    expect(d.extras.ask).toBe(ask);
    expect(d.notices).toEqual([]);
    expect(decodeHash('#data=xor&ask=first-below:loss=0.1:epochs=40&v=1').extras.ask).toBe(ask);
  });

  it('picks the MSE loss quietly for a partial link to a regression set, but names a contradicting one', () => {
    const quiet = decodeHash('#data=regGauss&v=1');
    expect(quiet.notices).toEqual([]);
    expect(quiet.config.model.loss).toBe('mse');
    const loud = decodeHash('#data=regGauss&loss=softmaxCE&v=1');
    expect(loud.config.model.loss).toBe('mse');
    expect(loud.notices.map((n) => n.path)).toEqual(['model.loss']);
  });

  it('reads a hand-written partial link without complaint', () => {
    const r = decodeHash('#data=xor&opt=adam&lr=0.003&hidden=4:relu&v=1');
    expect(r.notices).toEqual([]);
    expect(r.config.data.name).toBe('xor');
    expect(r.config.optimizer).toEqual({ ...DEFAULT_CONFIG.optimizer, name: 'adam', lr: 0.003 });
    expect(r.config.model.hidden).toEqual([{ units: 4, activation: 'relu', dropout: 0, batchNorm: false }]);
    expect(r.config.seed).toBe(DEFAULT_CONFIG.seed);
  });

  it('names each bad field and keeps the good ones', () => {
    const r = decodeHash('#data=xor&lr=abc&batch=-3&hidden=8:tanh,1000000000:relu:bn,8:wiggle&opt=adam&v=1');
    expect(r.notices.map(noticeText)).toEqual([
      'optimizer.lr: "abc" is not a number; using the default 0.1',
      'batchSize: -3 is below the minimum 1; using the default 16',
      'model.hidden[1].units: 1000000000 is above the maximum 512; using the default 8',
      'model.hidden[2].activation: "wiggle" is not one of relu, leakyRelu, elu, tanh, sigmoid, linear; using the default "tanh"',
    ]);
    expect(r.config.data.name).toBe('xor');
    expect(r.config.optimizer.name).toBe('adam');
    expect(r.config.model.hidden[1]).toEqual({ units: 8, activation: 'relu', dropout: 0, batchNorm: true });
  });

  it('notices a link cut short (no version) and unknown parameters', () => {
    const full = encodeHash(DEFAULT_CONFIG);
    const cut = full.slice(0, full.indexOf('&opt='));
    const r = decodeHash(cut);
    expect(r.config).toEqual(DEFAULT_CONFIG);
    expect(r.notices.map((n) => n.path)).toEqual(['version']);
    expect(decodeHash('#lr=0.1&bogus=1&v=1').notices.map(noticeText)).toEqual([
      'link: unknown parameter "bogus", ignored',
    ]);
  });

  it('treats an empty hash as "no config here"', () => {
    for (const h of ['', '#', '#hide=loss']) {
      const r = decodeHash(h);
      expect(r.hasConfig).toBe(false);
      expect(r.config).toEqual(DEFAULT_CONFIG);
    }
  });

  it('refuses oversized hashes whole', () => {
    const r = decodeHash(`#lr=0.5&${'x'.repeat(MAX_HASH_LENGTH)}`);
    expect(r.config).toEqual(DEFAULT_CONFIG);
    expect(r.notices[0].path).toBe('link');
  });

  it('never throws on garbage, truncation or mutation; every notice names a field', () => {
    const encoded = fc.tuple(validConfig, fc.nat()).map(([c, n]) => {
      const h = encodeHash(c);
      return h.slice(0, n % (h.length + 1));
    });
    const mutated = fc.tuple(validConfig, fc.nat(), fc.string({ maxLength: 12 })).map(([c, n, s]) => {
      const h = encodeHash(c);
      const i = n % (h.length + 1);
      return h.slice(0, i) + s + h.slice(i + s.length);
    });
    const garbage = fc.oneof(fc.string({ maxLength: 200 }), fc.webFragments(), encoded, mutated);
    fc.assert(
      fc.property(garbage, (h) => {
        const r = decodeHash(h);
        expect(validateConfig(r.config)).toEqual([]);
        for (const n of r.notices) expect(namesAField(n.path), noticeText(n)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps markup out of the config and reports it as quoted text', () => {
    const r = decodeHash('#data=%3Cscript%3Ealert(1)%3C%2Fscript%3E&hidden=8:%3Cimg%20src%3Dx%3E&v=1');
    expect(JSON.stringify(r.config)).not.toContain('<');
    expect(r.notices.map((n) => n.path)).toEqual(['data.name', 'model.hidden[0].activation']);
    expect(r.notices[0].message).toContain('"<script>alert(1)</script>"');
  });
});
