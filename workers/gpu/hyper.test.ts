import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/defaults';
import { streamSeed } from '../../src/engine/rng';
import { DROP_Q_WORD, HS, hyperWords, packHyper, SLOT_WORD, SLOT_WORDS, HYPER_WORD as W } from './hyper';

describe('packHyper', () => {
  it('writes each run row and the per-slot learning rate, bias corrections and epoch-end flags', () => {
    const a = defaultConfig();
    const b = defaultConfig();
    b.optimizer = { ...b.optimizer, name: 'adam', beta1: 0.8, beta2: 0.99, lr: 0.01 };
    b.model.hidden[1].dropout = 0.25;
    b.reg.decayBiases = true;
    const R = 2;
    const slots = 3;
    const out = new Uint32Array(hyperWords(R, slots));
    const f = new Float32Array(out.buffer);
    const lrs = new Float64Array([0.1, 0.01, 0.09, 0.02, 0.08, 0.03]);
    const flags = new Uint8Array([0, 0, 0, 1, 0, 0]);
    packHyper(
      out,
      [a, b],
      [
        { activeSlots: 3, step: 10, t: 0 },
        { activeSlots: 2, step: 10, t: 4 },
      ],
      lrs,
      flags,
    );
    expect(out[HS + W.optimizer]).toBe(5); // adam is OPTIMIZER_NAMES[5]
    expect([out[W.activeSlots], out[W.step], out[HS + W.activeSlots], out[HS + W.t]]).toEqual([3, 10, 2, 4]);
    expect(f[HS + W.beta1]).toBeCloseTo(0.8, 6);
    expect(f[HS + W.omBeta1]).toBeCloseTo(0.2, 6); // 1 - beta1 from float64
    expect(out[HS + W.dropSeed]).toBe(streamSeed(b.seed, 'dropout'));
    expect(out[HS + W.decayBiases]).toBe(1);
    expect(f[HS + DROP_Q_WORD + 1]).toBe(0.25);
    // slot 1 of run 1: lr, 1 - b1^t, 1 - b2^t with t = 4 + 1 + 1, then its epoch-end flag
    const o = R * HS + (1 * R + 1) * SLOT_WORDS;
    expect(f[o + SLOT_WORD.lr]).toBeCloseTo(0.02, 7);
    expect(f[o + SLOT_WORD.c1]).toBeCloseTo(1 - 0.8 ** 6, 6);
    expect(f[o + SLOT_WORD.c2]).toBeCloseTo(1 - 0.99 ** 6, 6);
    expect(f[o + SLOT_WORD.epochEnd]).toBe(1);
    expect(f[R * HS + SLOT_WORD.epochEnd]).toBe(0);
  });

  it('names the field when a network has more hidden layers than a row holds', () => {
    const c = defaultConfig();
    c.model.hidden = Array.from({ length: 17 }, () => ({ ...c.model.hidden[0] }));
    expect(() =>
      packHyper(new Uint32Array(hyperWords(1, 1)), [c], [{ activeSlots: 1, step: 0, t: 0 }], new Float64Array(1)),
    ).toThrow(/model\.hidden/);
  });
});
