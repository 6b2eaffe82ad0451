// The config as a JSON file, and reading one back through the same schema as a link: every bad
// field is named in a notice and replaced by its default, nothing else changes.
import { type Notice, parseConfig } from '../config/schema';
import type { TrainConfig } from '../engine/types';

export const CONFIG_FILE_MIME = 'application/json';

/** Pretty JSON of the whole config (version included), ending with a newline. */
export function configToJson(cfg: TrainConfig): string {
  return `${JSON.stringify(cfg, null, 2)}\n`;
}

export type ImportResult = { ok: true; config: TrainConfig; notices: Notice[] } | { ok: false; message: string };

/**
 * Reads an exported (or hand-written) config file. Not JSON, or JSON that is not an object, is
 * refused with a message; otherwise the config is read field by field (missing fields reported).
 */
export function configFromJson(text: string): ImportResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, message: `the file is not JSON (${why.slice(0, 120)})` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, message: 'the file holds JSON but not a config object' };
  const { config, notices } = parseConfig(raw, { reportMissing: true });
  return { ok: true, config, notices };
}
