// The lesson demo's question: a small lock around the demo's run control. The control (passed
// as `children(locked)`) is disabled until an answer is locked in; the verdict comes from the
// demo's own results, handed in as RacerResults (setup.ts lessonResults), so this component does
// not know how the demo trains. The answer lives in this component: a reload or another lesson
// asks again.
import { type ReactNode, useMemo, useState } from 'react';
import type { Lesson } from '../../lessons/types';
import { type Choice, outcomeReady, questionChoices, questionOutcome, type RacerResult } from '../../predict/questions';
import { PredictCard } from './PredictCard';
import { lessonSetup } from './setup';

export const LESSON_LOCK_MESSAGE = 'Answer the question first: the demo runs after your prediction.';

export function LessonQuestion({
  lesson,
  results,
  children,
}: {
  lesson: Lesson;
  /** The demo's runs so far, or null before it ran. */
  results: RacerResult[] | null;
  children: (locked: boolean, describedBy: string | undefined) => ReactNode;
}) {
  const [answer, setAnswer] = useState<Choice | null>(null);
  const setup = useMemo(() => lessonSetup(lesson), [lesson]);
  const choices = useMemo(() => questionChoices(lesson.question, setup), [lesson, setup]);
  const outcome =
    answer && results && outcomeReady(lesson.question, results, setup.racers.length)
      ? questionOutcome(lesson.question, setup, results)
      : null;
  const locked = answer === null;
  const lockId = `lesson-lock-${lesson.id}`;
  return (
    <>
      <PredictCard
        id={`lesson-${lesson.id}`}
        question={lesson.question}
        setup={setup}
        choices={choices}
        answer={answer}
        onAnswer={setAnswer}
        outcome={outcome}
        runHint="Run the demo"
      />
      {children(locked, locked ? lockId : undefined)}
      {locked && (
        <p className="muted predict-lock-note" id={lockId} data-testid="predict-lock">
          Locked. {LESSON_LOCK_MESSAGE}
        </p>
      )}
    </>
  );
}
