// The link's question in the playground (`ask=…`, loaded on demand only when a link carries
// one): decoded and checked here, its choices built from the current setup (the one run, or the
// compare set's racers). Play and Step stay disabled until an answer is locked in
// (state/predictSlice.ts); then the verdict is computed from the runs' own per-epoch metrics,
// read from the page's ring buffers, once every run has reached the question's epochs.
import { useEffect, useMemo, useState } from 'react';
import { decodeQuestion } from '../../predict/askLink';
import {
  type Outcome,
  outcomeReady,
  type Question,
  QuestionError,
  questionChoices,
  questionOutcome,
} from '../../predict/questions';
import { answerQuestion, clearQuestionInvalid, markQuestionInvalid } from '../../state/predictSlice';
import { useStore } from '../../state/store';
import { useRunBuffers } from '../../trainer/runBuffers';
import { PredictCard } from './PredictCard';
import { playgroundResults, playgroundSetup } from './setup';

export function PlaygroundQuestion() {
  const ask = useStore((s) => s.predict.ask);
  const answer = useStore((s) => s.predict.answer);
  const invalid = useStore((s) => s.predict.invalid);
  const view = useStore((s) => s.compare.view);
  const compare = useStore((s) => s.compare.compare);
  const config = useStore((s) => s.config);
  const buffers = useRunBuffers();
  const setup = useMemo(() => playgroundSetup(view, compare, config), [view, compare, config]);
  const parsed = useMemo((): { q: Question; choices: ReturnType<typeof questionChoices> } | { error: string } => {
    if (ask === null) return { error: '' };
    try {
      const q = decodeQuestion(ask);
      return { q, choices: questionChoices(q, setup) };
    } catch (e) {
      return { error: e instanceof QuestionError ? `${e.field}: ${e.message}` : String(e) };
    }
  }, [ask, setup]);
  const error = 'error' in parsed ? parsed.error : null;
  useEffect(() => {
    // an unusable question never holds the run back; one that fits again (setup changed) does
    if (error && answer === null) markQuestionInvalid(error);
    else if (!error && invalid !== null) clearQuestionInvalid();
  }, [error, answer, invalid]);

  // The outcome, polled from the ring buffers while a verdict is awaited (a few times a second).
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const q = 'q' in parsed ? parsed.q : null;
  useEffect(() => {
    setOutcome(null);
    if (!q || answer === null || !buffers) return;
    const tick = () => {
      const runs = playgroundResults(buffers.metrics, buffers.getState().status, setup.racers.length);
      if (runs && outcomeReady(q, runs, setup.racers.length)) setOutcome(questionOutcome(q, setup, runs));
      else setOutcome(null);
    };
    tick();
    const id = setInterval(tick, 300);
    return () => clearInterval(id);
  }, [q, answer, buffers, setup]);

  if (ask === null) return null;
  if (error !== null || !q || !('choices' in parsed))
    return (
      <section className="predict-card" aria-labelledby="ask-error-title" data-testid="predict-card">
        <h3 id="ask-error-title">Predict, then run</h3>
        <p className="predict-error" role="alert" data-testid="predict-error">
          The link’s question cannot be used ({error}); the run is not held back.
        </p>
      </section>
    );
  return (
    <PredictCard
      id="ask"
      question={q}
      setup={setup}
      choices={parsed.choices}
      answer={answer}
      onAnswer={answerQuestion}
      outcome={outcome}
      runHint="Press Play"
    />
  );
}
