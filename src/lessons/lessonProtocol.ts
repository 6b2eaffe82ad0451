// Messages between the lesson demo (page) and lesson.worker.ts.
import type { ArenaSnapshot, LessonSnapshot } from './snapshot';

export type LessonCommand =
  | { type: 'start'; lessonId: string; digitsUrl: string }
  | { type: 'stop' }
  /** Load the digits now (page start-up), so digit lessons also run offline later. */
  | { type: 'prefetch'; digitsUrl: string };

export type LessonEvent =
  | { type: 'snapshot'; snapshot: LessonSnapshot }
  | { type: 'arena'; arena: ArenaSnapshot | null }
  | { type: 'error'; message: string };
