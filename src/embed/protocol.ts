// The embed's postMessage protocol (docs/embed.md): the commands a parent page may send, validated
// here with a message that names what is wrong (the URL parameters: params.ts, re-exported).
// Pure (no DOM): unit-tested in protocol.test.ts; embedApi.ts wires it to the page and the trainer.
import { FIELDS } from '../config/fields';
import { checkField } from '../config/schema';

export * from './params';

export type EmbedCommand =
  | { type: 'play' | 'pause' | 'step' | 'reset' | 'getMetrics'; id?: string | number }
  | { type: 'setConfig'; id?: string | number; config: Record<string, number | string | boolean> };

export type Parsed = { ok: true; command: EmbedCommand } | { ok: false; error: string; id?: string | number };

const SIMPLE = ['play', 'pause', 'step', 'reset', 'getMetrics'] as const;
const TYPES = [...SIMPLE, 'setConfig'].join(', ');

/** Checks one config value against the field table (the schema's own check); null when fine. */
function fieldError(path: string, value: unknown): string | null {
  const f = FIELDS.find((x) => x.path === path);
  if (!f) return `config.${path} is not a setting (see the field table, src/config/fields.ts)`;
  const e = checkField(f, value);
  return e ? `config.${path}: ${e}` : null;
}

/** Validates a message from the parent page. */
export function parseCommand(data: unknown): Parsed {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { ok: false, error: 'a command must be an object like {"type": "play"}' };
  const m = data as Record<string, unknown>;
  const id = typeof m.id === 'string' || typeof m.id === 'number' ? m.id : undefined;
  if (m.id !== undefined && id === undefined) return { ok: false, error: 'id must be a string or a number' };
  if (typeof m.type !== 'string') return { ok: false, error: `type is missing; one of ${TYPES}`, id };
  if ((SIMPLE as readonly string[]).includes(m.type))
    return { ok: true, command: { type: m.type as (typeof SIMPLE)[number], id } };
  if (m.type !== 'setConfig') return { ok: false, error: `type "${m.type}" is not a command; one of ${TYPES}`, id };
  const cfg = m.config;
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg) || Object.keys(cfg).length === 0)
    return { ok: false, error: 'setConfig needs config: {"optimizer.lr": 0.05, ...}', id };
  for (const [path, value] of Object.entries(cfg)) {
    const e = fieldError(path, value);
    if (e) return { ok: false, error: e, id };
  }
  return { ok: true, command: { type: 'setConfig', id, config: cfg as Record<string, number | string | boolean> } };
}
