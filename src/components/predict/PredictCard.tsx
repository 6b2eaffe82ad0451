// The question card of "predict, then run": the question, its choices (radio buttons) and a
// button that commits to one; then, once the runs have produced what the question needs, the
// verdict computed from them (src/predict/questions.ts). Before the answer the card holds only
// the question and its choices: no metric, no outcome (the runs have not started).
import { useState } from 'react';
import {
  type Choice,
  type Outcome,
  type Question,
  type QuestionSetup,
  questionHorizon,
  questionRule,
  questionText,
  verdict,
} from '../../predict/questions';
import './predict.css';

export interface PredictCardProps {
  /** Distinguishes the ids of several cards. */
  id: string;
  question: Question;
  setup: QuestionSetup;
  choices: Choice[];
  answer: Choice | null;
  onAnswer: (c: Choice) => void;
  /** Null until every run has completed the question's epochs (or ended). */
  outcome: Outcome | null;
  /** What starts the runs, for the waiting line ("Press Play", "Run the demo"). */
  runHint: string;
}

export function PredictCard({ id, question, setup, choices, answer, onAnswer, outcome, runHint }: PredictCardProps) {
  const [picked, setPicked] = useState<string | null>(null);
  const titleId = `${id}-title`;
  const v = answer && outcome ? verdict(answer, outcome) : null;
  return (
    <section className="predict-card" aria-labelledby={titleId} data-testid="predict-card">
      <h3 id={titleId}>Predict, then run</h3>
      {answer === null ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const c = choices.find((x) => x.id === picked);
            if (c) onAnswer(c);
          }}
        >
          <fieldset>
            <legend data-testid="predict-question">{questionText(question, setup)}</legend>
            <div className="predict-choices">
              {choices.map((c) => (
                <label key={c.id}>
                  <input
                    type="radio"
                    name={`${id}-choice`}
                    value={c.id}
                    checked={picked === c.id}
                    onChange={() => setPicked(c.id)}
                  />{' '}
                  {c.label}
                </label>
              ))}
            </div>
          </fieldset>
          <p className="muted predict-rule">{questionRule(question)}</p>
          <button type="submit" className="btn primary" disabled={picked === null} data-testid="predict-commit">
            Lock in my prediction
          </button>
        </form>
      ) : (
        <>
          <p data-testid="predict-question">{questionText(question, setup)}</p>
          <p>
            Your prediction: <strong data-testid="predict-answer">{answer.label}</strong>
          </p>
          <p className="muted predict-rule">{questionRule(question)}</p>
          <p
            role="status"
            className={`predict-verdict ${v ? (v.held ? 'held' : v.held === false ? 'missed' : 'open') : 'waiting'}`}
            data-testid="predict-verdict"
            data-held={v ? String(v.held) : undefined}
          >
            {v
              ? v.text
              : `${runHint}: the verdict shows once every run has reached epoch ${questionHorizon(question)} (or stopped).`}
          </p>
        </>
      )}
    </section>
  );
}
