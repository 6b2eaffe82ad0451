// The share dialog's question builder: a teacher picks a question kind from the table
// (src/predict/questions.ts), sets its parameters and sees the question and its choices as the
// students will, built from the current setup (the one run, or the compare set's racers). The
// link then carries the question (`ask=kind:key=value…`), never its answer.
import { useEffect, useMemo, useState } from 'react';
import { decodeQuestion, encodeQuestion } from '../../predict/askLink';
import {
  defaultQuestion,
  KINDS,
  kindParams,
  QUESTION_KINDS,
  type Question,
  QuestionError,
  type QuestionKind,
  questionChoices,
  questionText,
} from '../../predict/questions';
import { useStore } from '../../state/store';
import { playgroundSetup } from './setup';
import './predict.css';

/** Calls `onChange` with the `ask=` text to put in the link (null: no question). */
export function QuestionBuilder({ onChange }: { onChange: (ask: string | null) => void }) {
  const view = useStore((s) => s.compare.view);
  const compare = useStore((s) => s.compare.compare);
  const config = useStore((s) => s.config);
  const setup = useMemo(() => playgroundSetup(view, compare, config), [view, compare, config]);
  // starts from the page's own question when its link has one (sharing it on keeps it)
  const [initial] = useState(() => pageQuestion(useStore.getState().predict.ask));
  const [on, setOn] = useState(initial !== null);
  const [kind, setKind] = useState<QuestionKind>(initial?.kind ?? (view === 'compare' ? 'first-below' : 'val-rises'));
  const [text, setText] = useState<Record<string, string>>(() =>
    paramsText(initial ?? defaultQuestion(kind, setup, config.maxEpochs)),
  );
  const question: Question = { kind, params: Object.fromEntries(Object.entries(text).map(([k, v]) => [k, Number(v)])) };
  let problem = '';
  let preview = '';
  let choices: string[] = [];
  try {
    choices = questionChoices(question, setup).map((c) => c.label);
    preview = questionText(question, setup);
  } catch (e) {
    problem = e instanceof QuestionError ? `${e.field}: ${e.message}` : String(e);
  }
  const ask = on && !problem ? encodeQuestion(question) : null;
  useEffect(() => onChange(ask), [ask, onChange]);

  return (
    <fieldset className="question-builder" data-testid="question-builder">
      <legend>Predict, then run</legend>
      <label>
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} data-testid="ask-on" /> Ask a
        question before the run (the link carries the question, not the answer)
      </label>
      {on && (
        <div className="question-fields">
          <label>
            Question{' '}
            <select
              value={kind}
              data-testid="ask-kind"
              onChange={(e) => {
                const k = e.target.value as QuestionKind;
                setKind(k);
                setText(paramsText(defaultQuestion(k, setup, config.maxEpochs)));
              }}
            >
              {QUESTION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KINDS[k].title}
                </option>
              ))}
            </select>
          </label>
          {kindParams(kind).map((p) => (
            <label key={p.key}>
              {p.label}{' '}
              <input
                type="number"
                inputMode="decimal"
                step={p.integer ? 1 : 'any'}
                min={p.min}
                max={p.max}
                value={text[p.key] ?? ''}
                data-testid={`ask-${p.key}`}
                onChange={(e) => setText((t) => ({ ...t, [p.key]: e.target.value }))}
              />
            </label>
          ))}
          {problem ? (
            <p className="predict-error" role="alert" data-testid="ask-problem">
              {problem}
            </p>
          ) : (
            <p className="muted" data-testid="ask-preview">
              {preview} Choices: {choices.join(' · ')}
            </p>
          )}
        </div>
      )}
    </fieldset>
  );
}

function pageQuestion(ask: string | null): Question | null {
  try {
    return ask === null ? null : decodeQuestion(ask);
  } catch {
    return null;
  }
}

function paramsText(q: Question): Record<string, string> {
  return Object.fromEntries(Object.entries(q.params).map(([k, v]) => [k, String(v)]));
}
