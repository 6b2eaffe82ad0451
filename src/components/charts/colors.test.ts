import { schemeTableau10 } from 'd3';
import { describe, expect, it } from 'vitest';
import { classColor, rgb } from './colors';

describe('colour parsing', () => {
  it('reads the forms a minified stylesheet produces', () => {
    expect(rgb('#fff')).toEqual([255, 255, 255]);
    expect(rgb('#ffffff')).toEqual([255, 255, 255]);
    expect(rgb('#1d2330')).toEqual([29, 35, 48]);
    expect(rgb('rgb(10, 20, 30)')).toEqual([10, 20, 30]);
    expect(rgb('white')).toEqual([255, 255, 255]);
    expect(rgb('not a colour')).toEqual([128, 128, 128]);
  });

  it('gives distinct colours to every class of a 10-class set', () => {
    const cs = new Set(Array.from({ length: 10 }, (_, c) => classColor(c, 10)));
    expect(cs.size).toBe(10);
    expect(classColor(0, 2)).not.toBe(classColor(1, 2));
  });

  it("writes out d3's Tableau 10 exactly (kept off the first screen's bundle)", () => {
    expect(Array.from({ length: 10 }, (_, c) => classColor(c, 10))).toEqual(schemeTableau10);
  });
});
