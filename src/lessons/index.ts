// Every lesson, in the lecture's order, then what lies beyond it.
import { LESSONS_BEYOND } from './catalogBeyond';
import { LESSONS_OPTIMIZATION } from './catalogOptimization';
import { LESSONS_REGULARIZATION } from './catalogRegularization';
import { LESSONS_TRICKS } from './catalogTricks';
import type { Lesson } from './types';

export const LESSONS: readonly Lesson[] = [
  ...LESSONS_REGULARIZATION,
  ...LESSONS_OPTIMIZATION,
  ...LESSONS_TRICKS,
  ...LESSONS_BEYOND,
];

export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}

export type { Lesson, LessonPreset, LessonView } from './types';
