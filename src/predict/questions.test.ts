// The question kinds' outcome rules on recorded metric series, their edge cases (ties, runs that
// never reach the threshold, runs that end or diverge early), and the link form (round trip and
// named errors). __fixtures__/series.json holds per-epoch train/val losses recorded from the
// engine (Run.step, 6 significant digits) on the momentum and dropout lessons' presets and on
// the momentum lesson's SGD preset at lr 0.3, 3 and 30 (the last two diverge in epoch 2).
import { describe, expect, it } from 'vitest';
import series from './__fixtures__/series.json';
import { decodeQuestion, encodeQuestion, withAskParam } from './askLink';
import {
  defaultQuestion,
  firstEpochAtOrBelow,
  KINDS,
  outcomeReady,
  QUESTION_KINDS,
  type Question,
  QuestionError,
  type QuestionSetup,
  questionChoices,
  questionOutcome,
  questionText,
  type RacerResult,
  verdict,
} from './questions';

type Rec = { lr: number; status: string; trainLoss: (number | null)[]; valLoss: (number | null)[] };
const REC = series as Record<string, Rec>;
const num = (xs: (number | null)[]) => xs.map((x) => (x === null ? Number.NaN : x));
const result = (r: Rec): RacerResult => ({
  trainLoss: num(r.trainLoss),
  valLoss: num(r.valLoss),
  ended: r.status !== 'ok',
  diverged: r.status === 'diverged',
});
const setupOf = (names: string[]): QuestionSetup => ({
  racers: names.map((n) => ({ label: n, lr: REC[n].lr })),
});
const run = (trainLoss: number[], valLoss = trainLoss, extra: Partial<RacerResult> = {}): RacerResult => ({
  trainLoss,
  valLoss,
  ended: false,
  diverged: false,
  ...extra,
});
const racers = (n: number, lrs: number[] = []): QuestionSetup => ({
  racers: Array.from({ length: n }, (_, i) => ({ label: `R${i}`, lr: lrs[i] ?? 0.1 })),
});
const decided = (q: Question, setup: QuestionSetup, runs: RacerResult[]) => {
  const o = questionOutcome(q, setup, runs);
  if (!o.decided) throw new Error(`undecided: ${o.because}`);
  return o;
};

describe('first-below', () => {
  const q = (loss: number, epochs: number): Question => ({ kind: 'first-below', params: { loss, epochs } });

  it('recorded momentum lesson: the winner is the first epoch at or below the threshold, found by a plain scan', () => {
    const names = ['momentum/sgd', 'momentum/momentum'];
    const runs = names.map((n) => result(REC[n]));
    for (const loss of [0.3, 0.23, 0.2, 0.1, 0.05]) {
      // independent: a findIndex over the recorded series
      const firsts = runs.map((r) => Array.from(r.trainLoss).findIndex((x) => x <= loss) + 1 || Infinity);
      const best = Math.min(...firsts);
      const want = best === Infinity ? ['none'] : firsts.flatMap((e, i) => (e === best ? [`r${i}`] : []));
      expect(decided(q(loss, 20), setupOf(names), runs).correct, `loss ${loss}`).toEqual(want);
    }
    // at 0.3 momentum is there in epoch 1 (0.294), SGD in epoch 4 (0.302 is not yet <= 0.3)
    expect(decided(q(0.3, 20), setupOf(names), runs).because).toContain('momentum/momentum first, at epoch 1');
  });

  it('a threshold no run reaches within the horizon answers "none"', () => {
    const names = ['momentum/sgd', 'momentum/momentum'];
    const runs = names.map((n) => result(REC[n]));
    // momentum reaches 0.0999 only in epoch 17: not within 16 epochs
    expect(decided(q(0.1, 16), setupOf(names), runs).correct).toEqual(['none']);
    expect(decided(q(0.1, 17), setupOf(names), runs).correct).toEqual(['r1']);
    expect(decided(q(0.01, 20), setupOf(names), runs).correct).toEqual(['none']);
  });

  it('ties: runs reaching the threshold in the same epoch are all right', () => {
    const o = decided(q(0.5, 10), racers(3), [run([0.9, 0.4]), run([0.8, 0.5]), run([0.7, 0.6])]);
    expect(o.correct).toEqual(['r0', 'r1']);
    expect(o.because).toMatch(/A tie: R0 and R1/);
    expect(verdict({ id: 'r1', label: 'R1' }, o).held).toBe(true);
    expect(verdict({ id: 'r2', label: 'R2' }, o).held).toBe(false);
  });

  it('non-finite losses never count as reaching it; a diverged run just never gets there', () => {
    expect(firstEpochAtOrBelow([Number.NaN, Number.NEGATIVE_INFINITY, 0.2], 0.5, 10)).toBe(3);
    const lrs = ['sgd-lr/0.3', 'sgd-lr/3'];
    const o = decided(
      q(0.2, 10),
      setupOf(lrs),
      lrs.map((n) => result(REC[n])),
    );
    expect(o.correct).toEqual(['r0']);
  });
});

describe('val-rises', () => {
  const q = (after: number, epochs: number, r = 0): Question => ({
    kind: 'val-rises',
    params: { after, epochs, run: r },
  });

  it('recorded dropout lesson: higher at the horizon than at epoch N, compared directly', () => {
    const names = ['dropout/without', 'dropout/with'];
    const runs = names.map((n) => result(REC[n]));
    for (const r of [0, 1])
      for (const [after, epochs] of [
        [10, 60],
        [20, 40],
        [5, 15],
        [30, 31],
      ]) {
        const v = runs[r].valLoss;
        const want = v[epochs - 1] > v[after - 1] ? 'yes' : 'no';
        expect(decided(q(after, epochs, r), setupOf(names), runs).correct, `${names[r]} ${after}->${epochs}`).toEqual([
          want,
        ]);
      }
    // without dropout the validation loss of the recorded run climbs from 0.30 (epoch 10) to 0.38 (epoch 60)
    expect(decided(q(10, 60, 0), setupOf(names), runs).correct).toEqual(['yes']);
  });

  it('equal losses do not rise; a run that ends before the horizon is read at its last epoch', () => {
    expect(decided(q(1, 3), racers(1), [run([1, 1, 1], [0.5, 0.4, 0.5])]).correct).toEqual(['no']);
    const early = run([1, 1, 1, 1], [0.5, 0.4, 0.45, 0.6], { ended: true });
    const o = decided(q(2, 50), racers(1), [early]);
    expect(o.correct).toEqual(['yes']);
    expect(o.because).toContain('at epoch 4');
  });

  it('a run that ended at or before epoch N cannot answer it; a diverged one rose', () => {
    const o = questionOutcome(q(5, 10), racers(1), [run([1, 1, 1], [1, 1, 1], { ended: true })]);
    expect(o.decided).toBe(false);
    expect(verdict({ id: 'yes', label: 'Yes' }, o).held).toBeNull();
    const d = result(REC['sgd-lr/3']);
    expect(decided(q(1, 10), setupOf(['sgd-lr/3']), [d]).correct).toEqual(['yes']);
  });

  it('no validation split: undecided, with the reason', () => {
    const o = questionOutcome(q(1, 3), racers(1), [run([1, 1, 1], [Number.NaN, Number.NaN, Number.NaN])]);
    expect(o).toMatchObject({ decided: false });
    expect(o.because).toMatch(/no validation loss/);
  });
});

describe('diverges', () => {
  const q: Question = { kind: 'diverges', params: { epochs: 10 } };
  const names = ['sgd-lr/0.3', 'sgd-lr/3', 'sgd-lr/30'];

  it('recorded lr sweep: the smallest learning rate whose run diverged', () => {
    const runs = names.map((n) => result(REC[n]));
    const setup = setupOf(names);
    const want = Math.min(...names.filter((n) => REC[n].status === 'diverged').map((n) => REC[n].lr));
    expect(decided(q, setup, runs).correct).toEqual([`lr:${want}`]);
    expect(questionChoices(q, setup).map((c) => c.id)).toEqual(['lr:0.3', 'lr:3', 'lr:30', 'none']);
  });

  it('none diverged -> "none"; a divergence after the horizon does not count', () => {
    const setup = racers(2, [0.1, 1]);
    expect(decided(q, setup, [run([1, 1]), run([1, 1])]).correct).toEqual(['none']);
    const late = run(Array(12).fill(1), Array(12).fill(1), { ended: true, diverged: true });
    expect(decided(q, setup, [run(Array(10).fill(1)), late]).correct).toEqual(['none']);
  });

  it('two runs at the same smallest rate (a tie of racers) are one choice', () => {
    const setup = racers(3, [1, 1, 0.1]);
    const d = run([5], [5], { ended: true, diverged: true });
    expect(questionChoices(q, setup).map((c) => c.id)).toEqual(['lr:0.1', 'lr:1', 'none']);
    expect(decided(q, setup, [d, d, run(Array(10).fill(1))]).correct).toEqual(['lr:1']);
  });
});

describe('lowest-val', () => {
  const q = (epochs: number): Question => ({ kind: 'lowest-val', params: { epochs } });

  it('recorded runs: the minimum of the validation losses at the horizon', () => {
    const names = ['dropout/without', 'dropout/with'];
    const runs = names.map((n) => result(REC[n]));
    for (const h of [5, 20, 40, 60]) {
      const v = runs.map((r) => r.valLoss[h - 1]);
      const want = v[0] < v[1] ? ['r0'] : v[1] < v[0] ? ['r1'] : ['r0', 'r1'];
      expect(decided(q(h), setupOf(names), runs).correct, `epoch ${h}`).toEqual(want);
    }
  });

  it('ties, diverged runs lose, all diverged is undecided', () => {
    expect(
      decided(q(2), racers(3), [run([1, 1], [1, 0.3]), run([1, 1], [1, 0.3]), run([1, 1], [1, 0.4])]).correct,
    ).toEqual(['r0', 'r1']);
    const d = run([5], [0.01], { ended: true, diverged: true });
    expect(decided(q(2), racers(2), [d, run([1, 1], [1, 0.9])]).correct).toEqual(['r1']);
    expect(questionOutcome(q(2), racers(2), [d, d]).decided).toBe(false);
  });

  it('needs two runs', () => {
    expect(() => questionChoices(q(3), racers(1))).toThrow(/at least two runs/);
  });
});

describe('readiness', () => {
  it('final only when every run completed the horizon or ended', () => {
    const q: Question = { kind: 'lowest-val', params: { epochs: 3 } };
    expect(outcomeReady(q, [run([1, 1, 1]), run([1, 1])], 2)).toBe(false);
    expect(outcomeReady(q, [run([1, 1, 1]), run([1, 1], [1, 1], { ended: true })], 2)).toBe(true);
    expect(outcomeReady(q, [run([1, 1, 1])], 2)).toBe(false);
  });
});

describe('link form', () => {
  it('every kind round-trips through the link with its defaults and other values', () => {
    for (const kind of QUESTION_KINDS) {
      const d = defaultQuestion(kind, racers(3), 40);
      expect(decodeQuestion(encodeQuestion(d))).toEqual(d);
    }
    const q: Question = { kind: 'first-below', params: { loss: 0.0375, epochs: 7 } };
    expect(encodeQuestion(q)).toBe('first-below:loss=0.0375:epochs=7');
    expect(decodeQuestion('val-rises:after=40:epochs=80:run=1')).toEqual({
      kind: 'val-rises',
      params: { after: 40, epochs: 80, run: 1 },
    });
  });

  const bad: [string, string, string][] = [
    ['', 'malformed', 'ask'],
    ['x'.repeat(201), 'malformed', 'ask'],
    ['guess:epochs=3', 'unknown-kind', 'kind'],
    ['diverges:epochs=3:answer=lr:1', 'unknown-param', 'answer'],
    ['lowest-val:epochs=3:correct=r1', 'unknown-param', 'correct'],
    ['diverges:epochs=3:epochs=4', 'duplicate-param', 'epochs'],
    ['diverges', 'missing-param', 'epochs'],
    ['first-below:epochs=3', 'missing-param', 'loss'],
    ['first-below:loss=0:epochs=3', 'bad-param', 'loss'],
    ['first-below:loss=abc:epochs=3', 'bad-param', 'loss'],
    ['diverges:epochs=2.5', 'bad-param', 'epochs'],
    ['diverges:epochs=0', 'bad-param', 'epochs'],
    ['val-rises:after=40:epochs=40', 'bad-param', 'after'],
    ['diverges:epochs', 'malformed', 'ask'],
  ];
  for (const [text, code, field] of bad)
    it(`refuses '${text.slice(0, 40)}' as ${code} naming ${field}`, () => {
      let err: unknown;
      try {
        decodeQuestion(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(QuestionError);
      expect((err as QuestionError).code).toBe(code);
      expect((err as QuestionError).field).toBe(field);
      expect((err as QuestionError).message).toMatch(
        field === 'ask' ? /./ : new RegExp(field === 'kind' ? 'kind' : field),
      );
    });

  it('a question that does not fit the setup is named (run index, too few runs)', () => {
    const q = decodeQuestion('val-rises:after=2:epochs=4:run=3');
    expect(() => questionChoices(q, racers(2))).toThrow(/run 3 does not exist/);
    expect(() => questionOutcome(q, racers(2), [])).toThrow(QuestionError);
  });

  it('the text names the question, never an outcome', () => {
    for (const kind of QUESTION_KINDS) {
      const q = defaultQuestion(kind, racers(2, [0.1, 1]), 30);
      const t = questionText(q, racers(2, [0.1, 1]));
      expect(t.endsWith('?')).toBe(true);
      expect(KINDS[kind].rule.length).toBeGreaterThan(40);
    }
  });
});

describe('withAskParam', () => {
  it('puts the question before v=, replaces an old one, removes it, keeps the rest as it was', () => {
    const href = 'https://x.org/app/#seed=1&hidden=8:tanh,4:relu&view=compare&v=1';
    const a = withAskParam(href, 'first-below:loss=0.1:epochs=40');
    expect(a).toBe(
      'https://x.org/app/#seed=1&hidden=8:tanh,4:relu&view=compare&ask=first-below:loss=0.1:epochs=40&v=1',
    );
    expect(withAskParam(a, 'diverges:epochs=5')).toBe(
      'https://x.org/app/#seed=1&hidden=8:tanh,4:relu&view=compare&ask=diverges:epochs=5&v=1',
    );
    expect(withAskParam(a, null)).toBe(href);
    expect(withAskParam('https://x.org/', 'diverges:epochs=5')).toBe('https://x.org/#ask=diverges:epochs=5');
    // what the page reads back is the same question
    const hash = new URL(a).hash.slice(1);
    expect(decodeQuestion(new URLSearchParams(hash).get('ask') ?? '')).toEqual({
      kind: 'first-below',
      params: { loss: 0.1, epochs: 40 },
    });
  });
});
