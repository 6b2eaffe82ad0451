// A preset's full TrainConfig: its patch merged onto the defaults, then read by the same schema
// as a URL or an imported file. A lesson whose preset produces notices is a bug in the lesson.
import { type Notice, parseConfig } from '../config/schema';
import { mergePatch } from '../engine/configPatch';
import { DEFAULT_CONFIG } from '../engine/defaults';
import type { TrainConfig } from '../engine/types';
import type { ConfigPatch, Lesson, LessonPreset } from './types';

export { mergePatch };

/** The preset's config and the schema's notices about it (empty for a well-written lesson). */
export function presetConfigChecked(preset: LessonPreset): { config: TrainConfig; notices: Notice[] } {
  return parseConfig(mergePatch(DEFAULT_CONFIG, preset.config as ConfigPatch));
}

/** The preset's config; throws naming the lesson, preset and field when the patch is invalid. */
export function presetConfig(lesson: Lesson, preset: LessonPreset): TrainConfig {
  const { config, notices } = presetConfigChecked(preset);
  if (notices.length > 0) {
    const what = notices.map((n) => `${n.path}: ${n.message}`).join('; ');
    throw new Error(`lesson '${lesson.id}', preset '${preset.id}': ${what}`);
  }
  return config;
}
