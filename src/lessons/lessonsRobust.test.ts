// Every lesson's claim, checked again with the run's numbers moved at float32 level: each initial
// weight w becomes fround(w (1 + 2^-22 u)), u = ±1 seeded by weight index (test-support/lessonRun.ts
// perturbWeights; 2-4 ulp, the size of difference a float32-accurate tanh or another summation
// order makes). Training amplifies it, so each perturbation is in effect another trajectory from
// the same start: a claim that flips here held by a hair, and would flip for a student whose
// browser rounds differently. Same seeds as lessons.test.ts, four perturbations each; its own file
// so it trains beside lessons.test.ts (vitest runs files in parallel).
import { describe, expect, it } from 'vitest';
import { LESSON_SEEDS, perturbWeights, runLessonHeadless } from '../../test-support/lessonRun';
import { lessonChecks } from '../../workers/lessons/checks';
import { LESSONS, lessonById } from './index';
import { lessonJob } from './job';

const PERTURBATIONS = [1, 2, 3, 4];

describe('the perturbation', () => {
  it('moves every nonzero weight by 2^-22 of itself (rounded to float32), the same way for every run', () => {
    const w = new Float32Array(4096).map((_, i) => (i % 7 === 0 ? 0 : Math.sin(i + 1)));
    const a = perturbWeights(w, 1);
    expect(perturbWeights(w, 1)).toEqual(a);
    let up = 0;
    let down = 0;
    w.forEach((x, i) => {
      if (x === 0) {
        expect(a[i]).toBe(0);
        return;
      }
      const rel = (a[i] - x) / x;
      expect(Math.abs(Math.abs(rel) - 2 ** -22)).toBeLessThan(2 ** -23); // within float32 rounding
      if (rel > 0) up++;
      else down++;
    });
    expect(Math.min(up, down)).toBeGreaterThan(1500); // both signs, about evenly
    expect(perturbWeights(w, 2)).not.toEqual(a);
  });
});

describe.each(LESSONS.map((l) => [l.number, l.id] as const))('%i %s', (_, id) => {
  const cases = (LESSON_SEEDS[id] ?? [undefined]).flatMap((seed) => PERTURBATIONS.map((k) => [seed, k] as const));
  it.each(cases)(
    'the claim holds with the numbers moved at float32 level (seed %s, perturbation %i)',
    async (seed, k) => {
      const lesson = lessonById(id);
      if (!lesson) throw new Error(`no lesson ${id}`);
      const r = await runLessonHeadless(lessonJob(lesson), seed, k);
      expect(r.done).toBe(true);
      for (const c of lessonChecks(r))
        expect(c.ok, `${id}, seed ${seed}, perturbation ${k}: ${c.claim} (${c.detail})`).toBe(true);
    },
    600_000,
  );
});
