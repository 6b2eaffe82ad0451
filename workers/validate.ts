// Config checks at the worker's door: every config the page sends is validated field by field
// (src/config/schema.ts, the same validator as the URL and imported files), and the runs of a
// compare set must share what the backends share: data, architecture, seed and minibatch order.
// Problems come back as values naming the field; nothing here throws.
import { validateConfig } from '../src/config/schema';
import type { TrainConfig } from '../src/engine/types';
import type { ConfigProblem, Result } from './protocol';

/** Most runs in one set: 12 racers x 16 seeds (a seed band), or a sweep's grid. */
export const MAX_RUNS = 256;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The first field at which compare run b differs from run a where it must not, else null.
 * Free to differ: optimizer, schedule, regularization, dropout rates, early stopping, clipping, maxEpochs,
 * and model.initSeed (each run of a seed band starts from its own initial weights).
 */
export function sharedMismatch(a: TrainConfig, b: TrainConfig): string | null {
  if (a.seed !== b.seed) return 'seed';
  if (a.batchSize !== b.batchSize) return 'batchSize';
  for (const k of Object.keys(a.data) as (keyof TrainConfig['data'])[]) if (a.data[k] !== b.data[k]) return `data.${k}`;
  for (const k of ['init', 'initScale', 'loss', 'dropoutKind', 'bnMomentum', 'bnEps'] as const)
    if (a.model[k] !== b.model[k]) return `model.${k}`;
  if (a.model.hidden.length !== b.model.hidden.length) return 'model.hidden';
  for (let i = 0; i < a.model.hidden.length; i++)
    for (const k of ['units', 'activation', 'batchNorm'] as const)
      if (a.model.hidden[i][k] !== b.model.hidden[i][k]) return `model.hidden[${i}].${k}`;
  return null;
}

/** Every problem of a list of configs; fields are prefixed `runs[i].` when there are several. */
export function configProblems(cfgs: unknown): ConfigProblem[] {
  if (!Array.isArray(cfgs) || cfgs.length === 0)
    return [{ field: 'configs', message: `expected a list of 1 to ${MAX_RUNS} configs` }];
  if (cfgs.length > MAX_RUNS)
    return [{ field: 'configs', message: `${cfgs.length} runs; a compare set has at most ${MAX_RUNS}` }];
  const prefix = (i: number) => (cfgs.length > 1 ? `runs[${i}].` : '');
  const problems: ConfigProblem[] = [];
  cfgs.forEach((c, i) => {
    if (!isObj(c)) {
      problems.push({ field: cfgs.length > 1 ? `runs[${i}]` : 'config', message: 'is not a config object' });
      return;
    }
    // The schema's notices end with the default it would substitute; the worker substitutes nothing.
    for (const n of validateConfig(c as unknown as TrainConfig))
      problems.push({ field: `${prefix(i)}${n.path}`, message: n.message.replace(/; using .*$/s, '') });
  });
  if (problems.length > 0) return problems;
  const first = cfgs[0] as TrainConfig;
  cfgs.forEach((c, i) => {
    if (i === 0) return;
    const f = sharedMismatch(first, c as TrainConfig);
    if (f)
      problems.push({
        field: `runs[${i}].${f}`,
        message: 'must equal run 0 in a compare set (the runs share data, architecture, seed and minibatch order)',
      });
  });
  return problems;
}

/** A failed Result whose message names the first few fields. */
export function rejected(problems: ConfigProblem[]): { ok: false; message: string; problems: ConfigProblem[] } {
  const shown = problems.slice(0, 3).map((p) => `${p.field}: ${p.message}`);
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return { ok: false, message: `Invalid config: ${shown.join('; ')}${more}`, problems };
}

/** An engine error ("data.noise must be in [0, 1], got 2") as a problem naming its field when it starts with one. */
export function problemFromError(e: unknown, fallbackField = 'config'): ConfigProblem {
  const message = e instanceof Error ? e.message : String(e);
  // An error that carries its field (CapacityError) is taken at its word.
  const field = (e as { field?: unknown } | null)?.field;
  if (typeof field === 'string') return { field, message: message.replace(`${field}: `, '') };
  const m = /^([a-zA-Z]+(?:\.[a-zA-Z]+|\[\d+\])+)[:\s]\s*(.*)$/s.exec(message);
  return m ? { field: m[1], message: m[2] } : { field: fallbackField, message };
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}
