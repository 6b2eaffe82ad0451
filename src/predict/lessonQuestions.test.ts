// Every lesson asks a question before its demo runs: it is a valid question of the table, its
// choices can be built from the lesson's presets, it needs no more epochs than the demo trains,
// and its choices carry nothing but labels (no outcome in the page before the answer).
import { describe, expect, it } from 'vitest';
import { LESSONS } from '../lessons';
import { presetConfig } from '../lessons/presetConfig';
import { decodeQuestion, encodeQuestion } from './askLink';
import { questionChoices, questionText, validateQuestion } from './questions';

describe('lesson questions', () => {
  it('there are lessons to check', () => expect(LESSONS.length).toBeGreaterThanOrEqual(15));
  for (const lesson of LESSONS)
    it(`${lesson.id}: a valid question that fits its presets and its epochs`, () => {
      const setup = {
        racers: lesson.presets.map((p) => ({ label: p.label, lr: presetConfig(lesson, p).optimizer.lr })),
      };
      const p = validateQuestion(lesson.question, setup);
      expect(p.epochs).toBeLessThanOrEqual(lesson.epochs);
      const choices = questionChoices(lesson.question, setup);
      expect(choices.length).toBeGreaterThanOrEqual(2);
      expect(new Set(choices.map((c) => c.id)).size).toBe(choices.length);
      expect(questionText(lesson.question, setup)).toMatch(/\?$/);
      expect(decodeQuestion(encodeQuestion(lesson.question))).toEqual(lesson.question);
      if (lesson.question.kind === 'val-rises') {
        // the run asked about has a validation split
        expect(presetConfig(lesson, lesson.presets[p.run]).data.valFraction).toBeGreaterThan(0);
      }
    });
});
