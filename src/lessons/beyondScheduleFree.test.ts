// The Schedule-Free demo's effect (beyondScheduleFree.ts), as the lessons test checks the others.
import { describe, expect, it } from 'vitest';
import { LessonRunner, type PresetRun } from '../../workers/lessons/runner';
import { LESSON_SCHEDULE_FREE } from './beyondScheduleFree';
import { lessonJob } from './job';
import { presetConfigChecked } from './presetConfig';

const last = (r: PresetRun) => r.epochs[r.epochs.length - 1];

describe('11 beyond the lecture: Schedule-Free', () => {
  it('its presets are valid configs', () => {
    for (const p of LESSON_SCHEDULE_FREE.presets) expect(presetConfigChecked(p).notices, p.id).toEqual([]);
  });

  it('at a constant lr it ends within 10% of a tuned cosine schedule’s final loss; AdamW at that lr does not', () => {
    for (const seed of [undefined, 11, 12]) {
      const r = new LessonRunner(lessonJob(LESSON_SCHEDULE_FREE), { seed }).runToEnd();
      const cosine = last(r.byId('cosine')).trainLoss;
      const sf = r.byId('schedulefree');
      expect(last(sf).trainLoss / cosine, `seed ${seed}`).toBeLessThan(1.1);
      expect(last(r.byId('constant')).trainLoss / cosine, `seed ${seed}`).toBeGreaterThan(2);
      // a constant rate indeed: after its own 50-step warm-up ε0 min(1, t/50), every step used ε0 (recorded as applied)
      expect(sf.steps.map((s) => s.lr)).toEqual(sf.steps.map((_, i) => 0.1 * Math.min(1, (i + 1) / 50)));
      expect(new Set(sf.steps.slice(49).map((s) => s.lr))).toEqual(new Set([0.1]));
      // and the cosine ran down to 0
      expect(last(r.byId('cosine')).lr).toBeLessThan(1e-3);
    }
  });
});
