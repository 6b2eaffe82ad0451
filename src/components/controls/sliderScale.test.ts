import { describe, expect, it } from 'vitest';
import { FIELDS, fieldAt, type NumberField } from '../../config/fields';
import { checkField } from '../../config/schema';
import { logLadder, sliderScale } from './sliderScale';

describe('log sliders', () => {
  it('stop at nice values only, ascending, inside the limits', () => {
    const l = logLadder(1e-6, 10);
    expect(l[0]).toBe(1e-6);
    expect(l[l.length - 1]).toBe(10);
    expect(l).toContain(0.003);
    expect(l).toContain(0.01);
    for (let i = 1; i < l.length; i++) expect(l[i]).toBeGreaterThan(l[i - 1]);
  });

  it('round-trip every stop, and every stop is valid for its field', () => {
    for (const f of FIELDS.filter((x): x is NumberField => x.kind === 'number' && !!x.log)) {
      const sc = sliderScale(f);
      for (let p = sc.min; p <= sc.max; p++) {
        const v = sc.toValue(p);
        expect(checkField(f, v), `${f.path} at ${p}`).toBeNull();
        expect(sc.toPos(v)).toBe(p);
      }
    }
  });

  it('puts "off" at the far left of penalties and shows off-grid values at the nearest stop', () => {
    const sc = sliderScale(fieldAt('reg.l2') as NumberField);
    expect(sc.toValue(0)).toBe(0);
    expect(sc.toPos(0)).toBe(0);
    const lr = sliderScale(fieldAt('optimizer.lr') as NumberField);
    expect(lr.toValue(lr.toPos(0.0031))).toBe(0.003);
  });
});
