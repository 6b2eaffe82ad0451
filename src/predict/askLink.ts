// Predict, then run: a question in a link (`ask=`), `kind:key=value:key=value`, e.g.
//   ask=first-below:loss=0.1:epochs=40      ask=val-rises:after=40:epochs=80:run=0
//   ask=diverges:epochs=20                  ask=lowest-val:epochs=30
// decodeQuestion refuses anything else with a QuestionError naming what is wrong (an unknown
// key such as `answer=` included: a link cannot carry the outcome). The kinds, their parameters
// and the checks are the table of questions.ts; this file only writes and reads the link form.
import {
  KINDS,
  type ParamKey,
  QUESTION_KINDS,
  type Question,
  QuestionError,
  type QuestionKind,
  type QuestionParams,
  validateQuestion,
} from './questions';

export const MAX_ASK_LENGTH = 200;

export function encodeQuestion(q: Question): string {
  validateQuestion(q);
  const spec = KINDS[q.kind];
  const parts: string[] = [q.kind];
  for (const s of spec.params) {
    const v = q.params[s.key];
    if (v !== undefined) parts.push(`${s.key}=${v}`);
  }
  return parts.join(':');
}

const NUM_RE = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** `kind:key=value:…` -> a checked Question; a QuestionError names what is wrong. */
export function decodeQuestion(text: string): Question {
  if (typeof text !== 'string' || text === '') throw new QuestionError('malformed', 'ask', 'the question is empty');
  if (text.length > MAX_ASK_LENGTH)
    throw new QuestionError(
      'malformed',
      'ask',
      `${text.length} characters is too long for a question (at most ${MAX_ASK_LENGTH})`,
    );
  const [kind, ...tokens] = text.split(':');
  if (!(kind in KINDS))
    throw new QuestionError(
      'unknown-kind',
      'kind',
      `unknown question kind '${kind}' (one of ${QUESTION_KINDS.join(', ')})`,
    );
  const params: QuestionParams = {};
  for (const t of tokens) {
    const eq = t.indexOf('=');
    if (eq <= 0) throw new QuestionError('malformed', 'ask', `'${t}' is not key=value`);
    const key = t.slice(0, eq);
    const value = t.slice(eq + 1);
    if (!KINDS[kind as QuestionKind].params.some((s) => s.key === key))
      throw new QuestionError('unknown-param', key, `'${key}' is not a parameter of a '${kind}' question`);
    if (key in params) throw new QuestionError('duplicate-param', key, `'${key}' appears more than once`);
    if (!NUM_RE.test(value)) throw new QuestionError('bad-param', key, `${key}=${value} is not a number`);
    params[key as ParamKey] = Number(value);
  }
  const q: Question = { kind: kind as QuestionKind, params };
  validateQuestion(q);
  return q;
}

/**
 * `href` with its hash's `ask=` replaced by `ask` (removed when null). The rest of the link is
 * kept character for character; the question goes before the closing `v=`, which stays last.
 */
export function withAskParam(href: string, ask: string | null): string {
  const hashAt = href.indexOf('#');
  const base = hashAt < 0 ? href : href.slice(0, hashAt);
  const parts = (hashAt < 0 ? '' : href.slice(hashAt + 1)).split('&').filter((p) => p !== '' && !p.startsWith('ask='));
  if (ask !== null) {
    const item = `ask=${encodeURIComponent(ask).replace(/%3A/gi, ':').replace(/%3D/gi, '=')}`;
    const v = parts.findIndex((p) => p.startsWith('v='));
    if (v < 0) parts.push(item);
    else parts.splice(v, 0, item);
  }
  return parts.length > 0 ? `${base}#${parts.join('&')}` : base;
}
