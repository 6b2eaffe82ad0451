// Predict, then run: the question kinds, one table (KINDS) and the only source of truth for
// each kind's text, its parameters, how its choices are built from the setup and how its outcome
// is computed from the run's own metrics. Nothing here stores an answer: a question is a kind
// and its parameters (what a link or a lesson carries), the outcome exists only once the runs
// have produced the epochs it needs.
//
// Convention (stated on screen by each kind's `rule`): every rule reads the per-epoch records of
// the runs, i.e. the data loss over the whole training / validation split in evaluation mode at
// the end of epoch e (1-based; index e-1 of the series), never the noisy minibatch loss. Only the
// first `epochs` epochs (the horizon H) count, so the outcome no longer changes once every run
// has completed H epochs or ended (finished, stopped early, diverged).
//
// A question in a link (`ask=`) is written and read by askLink.ts.

/** The racers a question is about, as known before anything runs (compare slots, lesson presets). */
export interface SetupRacer {
  label: string;
  /** Learning rate the racer starts with (the `diverges` kind's choices). */
  lr: number;
}

export interface QuestionSetup {
  racers: readonly SetupRacer[];
}

/** One racer's run, as far as it got: per-epoch losses (index e-1 = end of epoch e). */
export interface RacerResult {
  trainLoss: ArrayLike<number>;
  valLoss: ArrayLike<number>;
  /** The run will train no further (finished, stopped early or diverged). */
  ended: boolean;
  diverged: boolean;
}

export type ParamKey = 'loss' | 'epochs' | 'after' | 'run';
export type QuestionKind = 'first-below' | 'val-rises' | 'diverges' | 'lowest-val';
export type QuestionParams = Partial<Record<ParamKey, number>>;

export interface Question {
  kind: QuestionKind;
  params: QuestionParams;
}

export interface Choice {
  /** 'r<i>' for racer i, 'lr:<value>', 'yes', 'no', 'none'. */
  id: string;
  label: string;
}

export type Outcome = { decided: true; correct: string[]; because: string } | { decided: false; because: string };

interface ParamSpec {
  key: ParamKey;
  label: string;
  min: number;
  max: number;
  integer: boolean;
  /** Default for the share dialog's question builder. */
  initial: (setup: QuestionSetup, maxEpochs: number) => number;
}

interface KindSpec {
  kind: QuestionKind;
  /** Name in the builder's picker. */
  title: string;
  params: ParamSpec[];
  /** The question as the student reads it. */
  text: (p: Required<QuestionParams>, setup: QuestionSetup) => string;
  /** How the outcome is measured, one sentence (on screen under the question). */
  rule: string;
  /** The choices, or why the question does not fit this setup. */
  choices: (p: Required<QuestionParams>, setup: QuestionSetup) => Choice[] | string;
  outcome: (p: Required<QuestionParams>, setup: QuestionSetup, runs: readonly RacerResult[]) => Outcome;
}

export type ErrorCode =
  | 'malformed'
  | 'unknown-kind'
  | 'unknown-param'
  | 'duplicate-param'
  | 'missing-param'
  | 'bad-param'
  | 'not-applicable';

/** A question that cannot be used: `code` says what kind of problem, `field` where, the message in words. */
export class QuestionError extends Error {
  override readonly name = 'QuestionError';
  constructor(
    readonly code: ErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

// --- helpers ------------------------------------------------------------------------------------

const fmtNum = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x));
const racerChoices = (setup: QuestionSetup): Choice[] => setup.racers.map((r, i) => ({ id: `r${i}`, label: r.label }));
const horizonEpochs = (run: RacerResult, h: number) => Math.min(h, run.trainLoss.length, run.valLoss.length);
const listNames = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

/** 1-based first epoch e <= h with series[e-1] <= threshold (a non-finite value never is), or 0. */
export function firstEpochAtOrBelow(series: ArrayLike<number>, threshold: number, h: number): number {
  const n = Math.min(h, series.length);
  for (let i = 0; i < n; i++) if (Number.isFinite(series[i]) && series[i] <= threshold) return i + 1;
  return 0;
}

const EPOCHS: ParamSpec = {
  key: 'epochs',
  label: 'within epochs',
  min: 1,
  max: 10000,
  integer: true,
  initial: (_s, maxEpochs) => (maxEpochs > 0 ? maxEpochs : 20),
};

// --- the table ----------------------------------------------------------------------------------

export const KINDS: Record<QuestionKind, KindSpec> = {
  'first-below': {
    kind: 'first-below',
    title: 'Which run reaches a loss first?',
    params: [{ key: 'loss', label: 'training loss', min: 0, max: 1e6, integer: false, initial: () => 0.1 }, EPOCHS],
    text: (p) => `Which run reaches a training loss of ${fmtNum(p.loss)} first (within ${p.epochs} epochs)?`,
    rule: 'Measured on the training loss over the whole training split at the end of each epoch: the first epoch at or below the threshold wins; runs that get there in the same epoch tie.',
    choices: (p, setup) =>
      setup.racers.length === 0
        ? 'needs at least one run'
        : [...racerChoices(setup), { id: 'none', label: `None within ${p.epochs} epochs` }],
    outcome: (p, setup, runs) => {
      const firsts = runs.map((r) => firstEpochAtOrBelow(r.trainLoss, p.loss, p.epochs));
      const reached = firsts.filter((e) => e > 0);
      const detail = firsts
        .map((e, i) => `${setup.racers[i].label}: ${e > 0 ? `epoch ${e}` : `not within ${p.epochs} epochs`}`)
        .join('; ');
      if (reached.length === 0)
        return { decided: true, correct: ['none'], because: `No run reached ${fmtNum(p.loss)} (${detail}).` };
      const best = Math.min(...reached);
      const winners = firsts.flatMap((e, i) => (e === best ? [i] : []));
      const who = listNames(winners.map((i) => setup.racers[i].label));
      const head =
        winners.length > 1
          ? `A tie: ${who} reached ${fmtNum(p.loss)} at epoch ${best}`
          : `${who} first, at epoch ${best}`;
      return { decided: true, correct: winners.map((i) => `r${i}`), because: `${head} (${detail}).` };
    },
  },
  'val-rises': {
    kind: 'val-rises',
    title: 'Will the validation loss rise after an epoch?',
    params: [
      { key: 'after', label: 'after epoch', min: 1, max: 9999, integer: true, initial: () => 20 },
      { ...EPOCHS, label: 'checked at epoch', initial: (_s, m) => (m > 0 ? m : 60) },
      { key: 'run', label: 'run (0-based)', min: 0, max: 11, integer: true, initial: () => 0 },
    ],
    text: (p, setup) =>
      `Will the validation loss of ${setup.racers[p.run]?.label ?? `run ${p.run}`} be higher at epoch ${p.epochs} than at epoch ${p.after}?`,
    rule: 'Compares the validation loss over the whole validation split at the end of the two epochs (the last epoch the run reached, if it ended sooner); a run that diverges counts as rising.',
    choices: (p, setup) =>
      p.run >= setup.racers.length
        ? `run ${p.run} does not exist (${setup.racers.length} run${setup.racers.length === 1 ? '' : 's'})`
        : [
            { id: 'yes', label: 'Yes, it rises' },
            { id: 'no', label: 'No, it does not rise' },
          ],
    outcome: (p, setup, runs) => {
      const r = runs[p.run];
      const name = setup.racers[p.run]?.label ?? `run ${p.run}`;
      if (!r) return { decided: false, because: `${name} has no results` };
      const n = horizonEpochs(r, p.epochs);
      const at = r.valLoss[p.after - 1];
      if (n >= p.after && !Number.isFinite(at) && !r.diverged)
        return { decided: false, because: `${name} has no validation loss (no validation split?)` };
      if (r.diverged && n < p.epochs)
        return { decided: true, correct: ['yes'], because: `${name} diverged: its loss blew up.` };
      if (n <= p.after)
        return {
          decided: false,
          because: `${name} ended at epoch ${n}, not after epoch ${p.after}: the question cannot be answered by this run.`,
        };
      const end = r.valLoss[n - 1];
      const rose = !Number.isFinite(end) || end > at;
      return {
        decided: true,
        correct: [rose ? 'yes' : 'no'],
        because: `Validation loss ${fmtNum(at)} at epoch ${p.after}, ${fmtNum(end)} at epoch ${n}: it ${rose ? 'rose' : 'did not rise'}.`,
      };
    },
  },
  diverges: {
    kind: 'diverges',
    title: 'Which learning rate diverges?',
    params: [EPOCHS],
    text: (p) => `Which is the smallest learning rate that diverges within ${p.epochs} epochs?`,
    rule: 'A run diverges when its loss turns non-finite or its last 20 step losses average over 10 times its first loss (the trainer stops it); the smallest such learning rate is the answer.',
    choices: (_p, setup) => {
      if (setup.racers.length === 0) return 'needs at least one run';
      const lrs = [...new Set(setup.racers.map((r) => r.lr))].sort((a, b) => a - b);
      return [
        ...lrs.map((lr) => ({ id: `lr:${lr}`, label: `ε = ${fmtNum(lr)}` })),
        { id: 'none', label: 'None diverges' },
      ];
    },
    outcome: (p, setup, runs) => {
      // A run counts when it diverged before completing the horizon (later divergence is outside the question).
      const bad = runs.flatMap((r, i) => (r.diverged && r.trainLoss.length < p.epochs ? [i] : []));
      if (bad.length === 0)
        return { decided: true, correct: ['none'], because: `No run diverged within ${p.epochs} epochs.` };
      const lr = Math.min(...bad.map((i) => setup.racers[i].lr));
      const names = listNames(bad.map((i) => setup.racers[i].label));
      return {
        decided: true,
        correct: [`lr:${lr}`],
        because: `Diverged: ${names}; the smallest diverging rate is ε = ${fmtNum(lr)}.`,
      };
    },
  },
  'lowest-val': {
    kind: 'lowest-val',
    title: 'Which run ends with the lowest validation loss?',
    params: [EPOCHS],
    text: (p) => `Which run has the lowest validation loss after ${p.epochs} epochs?`,
    rule: 'Compares the validation loss over the whole validation split at the end of that epoch (a run that ended sooner: at its last epoch; a diverged run loses); equal losses tie.',
    choices: (_p, setup) => (setup.racers.length < 2 ? 'needs at least two runs to compare' : racerChoices(setup)),
    outcome: (p, setup, runs) => {
      const vals = runs.map((r) => {
        const n = horizonEpochs(r, p.epochs);
        const v = n > 0 ? r.valLoss[n - 1] : Number.NaN;
        return r.diverged || !Number.isFinite(v) ? Number.POSITIVE_INFINITY : v;
      });
      const best = Math.min(...vals);
      if (!Number.isFinite(best))
        return {
          decided: false,
          because: 'No run has a finite validation loss (all diverged, or no validation split).',
        };
      const winners = vals.flatMap((v, i) => (v === best ? [i] : []));
      const detail = vals
        .map((v, i) => `${setup.racers[i].label}: ${Number.isFinite(v) ? fmtNum(v) : 'diverged'}`)
        .join('; ');
      const who = listNames(winners.map((i) => setup.racers[i].label));
      return {
        decided: true,
        correct: winners.map((i) => `r${i}`),
        because: `${winners.length > 1 ? `A tie: ${who}` : `Lowest: ${who}`} (${detail}).`,
      };
    },
  },
};

export const QUESTION_KINDS = Object.keys(KINDS) as QuestionKind[];

// --- validation, text, choices, outcome ---------------------------------------------------------

/** Checks every parameter of `q` against its kind (and, given a setup, that the choices can be built). */
export function validateQuestion(q: Question, setup?: QuestionSetup): Required<QuestionParams> {
  const spec = KINDS[q.kind];
  if (!spec)
    throw new QuestionError(
      'unknown-kind',
      'kind',
      `unknown question kind '${String(q.kind)}' (one of ${QUESTION_KINDS.join(', ')})`,
    );
  const known = new Set(spec.params.map((s) => s.key));
  for (const k of Object.keys(q.params))
    if (!known.has(k as ParamKey))
      throw new QuestionError('unknown-param', k, `'${k}' is not a parameter of a '${q.kind}' question`);
  const out: Record<string, number> = { loss: 0, epochs: 0, after: 0, run: 0 };
  for (const s of spec.params) {
    const v = q.params[s.key];
    if (v === undefined) {
      if (s.key === 'run') continue; // racer 0 unless said otherwise
      throw new QuestionError('missing-param', s.key, `a '${q.kind}' question needs ${s.key}=… (${s.label})`);
    }
    const lowOk = s.key === 'loss' ? v > s.min : v >= s.min;
    if (typeof v !== 'number' || !Number.isFinite(v) || !lowOk || v > s.max || (s.integer && !Number.isInteger(v)))
      throw new QuestionError(
        'bad-param',
        s.key,
        `${s.key}=${String(v)} is not ${s.integer ? 'a whole number' : 'a number'} ${s.key === 'loss' ? 'above' : 'from'} ${s.min}${s.key === 'loss' ? '' : ` to ${s.max}`}`,
      );
    out[s.key] = v;
  }
  if (q.kind === 'val-rises' && out.after >= out.epochs)
    throw new QuestionError('bad-param', 'after', `after=${out.after} must be before epochs=${out.epochs}`);
  const p = out as Required<QuestionParams>;
  if (setup) {
    const c = spec.choices(p, setup);
    if (typeof c === 'string')
      throw new QuestionError('not-applicable', 'setup', `this question does not fit the setup: ${c}`);
  }
  return p;
}

export function questionText(q: Question, setup: QuestionSetup): string {
  return KINDS[q.kind].text(validateQuestion(q), setup);
}

export function questionRule(q: Question): string {
  return KINDS[q.kind].rule;
}

/** The choices for `setup`; throws a QuestionError (not-applicable) when the question does not fit it. */
export function questionChoices(q: Question, setup: QuestionSetup): Choice[] {
  const p = validateQuestion(q);
  const c = KINDS[q.kind].choices(p, setup);
  if (typeof c === 'string')
    throw new QuestionError('not-applicable', 'setup', `this question does not fit the setup: ${c}`);
  return c;
}

/** The epochs every run must complete (or end before) for the outcome to be final. */
export const questionHorizon = (q: Question): number => validateQuestion(q).epochs;

/** True when every run completed the horizon or ended: the outcome is final. */
export function outcomeReady(q: Question, runs: readonly RacerResult[], racers: number): boolean {
  const h = questionHorizon(q);
  return runs.length === racers && runs.every((r) => r.ended || Math.min(r.trainLoss.length, r.valLoss.length) >= h);
}

/** The outcome from the runs' metrics (only the first `epochs` epochs count). */
export function questionOutcome(q: Question, setup: QuestionSetup, runs: readonly RacerResult[]): Outcome {
  const p = validateQuestion(q, setup);
  if (runs.length !== setup.racers.length)
    return { decided: false, because: `${runs.length} results for ${setup.racers.length} runs` };
  return KINDS[q.kind].outcome(p, setup, runs);
}

/** Whether the answer held (null when the outcome is undecided), and the sentence the page shows. */
export function verdict(answer: Choice, outcome: Outcome): { held: boolean | null; text: string } {
  if (!outcome.decided) return { held: null, text: `No verdict: ${outcome.because}` };
  const held = outcome.correct.includes(answer.id);
  return {
    held,
    text: `${held ? 'Your prediction held' : 'Your prediction did not hold'} (you chose “${answer.label}”). ${outcome.because}`,
  };
}

/** A question of `kind` with the builder's default parameters for this setup. */
export function defaultQuestion(kind: QuestionKind, setup: QuestionSetup, maxEpochs: number): Question {
  const params: QuestionParams = {};
  for (const s of KINDS[kind].params) params[s.key] = s.initial(setup, maxEpochs);
  if (kind === 'val-rises' && (params.after ?? 0) >= (params.epochs ?? 0))
    params.after = Math.max(1, Math.floor((params.epochs ?? 2) / 2));
  return { kind, params };
}

/** The parameters of a kind (the builder's fields). */
export const kindParams = (
  kind: QuestionKind,
): readonly Pick<ParamSpec, 'key' | 'label' | 'min' | 'max' | 'integer'>[] => KINDS[kind].params;
