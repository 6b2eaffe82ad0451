import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/defaults';
import { mergePatch, presetConfig, presetConfigChecked } from './presetConfig';
import type { Lesson } from './types';

describe('preset configs', () => {
  it('merge leaves over the defaults and replace the layer list whole', () => {
    const out = mergePatch(DEFAULT_CONFIG, {
      optimizer: { lr: 0.5 },
      model: { hidden: [{ units: 4, activation: 'relu', dropout: 0, batchNorm: false }] },
    }) as typeof DEFAULT_CONFIG;
    expect(out.optimizer).toEqual({ ...DEFAULT_CONFIG.optimizer, lr: 0.5 });
    expect(out.model.hidden).toHaveLength(1);
    expect(out.model.init).toBe(DEFAULT_CONFIG.model.init);
    expect(DEFAULT_CONFIG.optimizer.lr).toBe(0.1); // the defaults are not touched
  });

  it('name the lesson, the preset and the bad field when a preset is invalid', () => {
    const preset = { id: 'p', label: 'P', color: '#000000', config: { optimizer: { lr: -2 }, typo: 1 } };
    expect(presetConfigChecked(preset).notices.map((n) => n.path)).toEqual(['typo', 'optimizer.lr']);
    const lesson = { id: 'demo', presets: [preset] } as unknown as Lesson;
    expect(() => presetConfig(lesson, preset)).toThrow(/lesson 'demo', preset 'p': .*optimizer\.lr/);
  });
});
