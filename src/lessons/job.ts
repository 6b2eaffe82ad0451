// A catalogue lesson as the job its demo trains (LessonJob, workers/protocol.ts): each preset's
// patch resolved into its whole config here, on the page, through the config schema
// (presetConfig throws naming the lesson, preset and field when a patch is invalid).
import type { LessonJob } from '../../workers/protocol';
import { presetConfig } from './presetConfig';
import type { Lesson } from './types';

export function lessonJob(lesson: Lesson): LessonJob {
  return {
    id: lesson.id,
    epochs: lesson.epochs,
    presets: lesson.presets.map((p) => ({
      id: p.id,
      label: p.label,
      color: p.color,
      config: presetConfig(lesson, p),
      phases: p.phases,
    })),
  };
}
