import { describe, expect, it } from 'vitest';
import { layerNames, RATIO_BAND, ratioHint } from './LayerCharts';

describe('update-ratio hint', () => {
  it('says too high, too low or fine from the median layer', () => {
    expect(ratioHint([0.05, 0.2, 0.03]).level).toBe('high');
    expect(ratioHint([1e-6, 5e-6, 1e-3]).level).toBe('low');
    expect(ratioHint([1e-3, 2e-3, 5e-2]).level).toBe('ok');
    expect(ratioHint([Number.NaN, 0]).level).toBe('none');
    expect(ratioHint([0.05]).text).toMatch(/learning rate is likely too high/);
    expect(ratioHint([1e-6]).text).toMatch(/learning rate is likely too low/);
  });

  it('shades a band that contains 1e-3', () => {
    expect(RATIO_BAND[0]).toBeLessThan(1e-3);
    expect(RATIO_BAND[1]).toBeGreaterThan(1e-3);
    expect(layerNames(3)).toEqual(['layer 1', 'layer 2', 'output']);
  });
});
