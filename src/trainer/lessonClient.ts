// The page's side of the lesson worker (workers/lessons/lesson.worker.ts): one worker for the
// page, started at start-up (prewarm) so a demo also runs when the network is gone after the
// first load. Like the trainer's client, the only place the page starts it or posts to it.
import type { LessonCommand, LessonEvent, LessonJob } from '../../workers/lessons/protocol';

let worker: Worker | null = null;

function lessonWorker(): Worker {
  worker ??= new Worker(new URL('../../workers/lessons/lesson.worker.ts', import.meta.url), { type: 'module' });
  return worker;
}

const post = (c: LessonCommand) => lessonWorker().postMessage(c);

/** The digits file's address for the worker (it has no page base URL). */
const digitsUrl = () => new URL('./data/digits.bin', document.baseURI).href;

/** Start the worker and load the digits while the network is there. */
export const prefetchLessons = () => post({ type: 'prefetch', digitsUrl: digitsUrl() });
/** Train `job` (a resolved lesson: src/lessons/job.ts); replaces the demo that was running. */
export const startLesson = (job: LessonJob) => post({ type: 'start', job, digitsUrl: digitsUrl() });
export const stopLesson = () => post({ type: 'stop' });

/** Call `fn` with every event of the worker; returns the unsubscribe function. */
export function onLessonEvent(fn: (e: LessonEvent) => void): () => void {
  const w = lessonWorker();
  const listener = (ev: MessageEvent<LessonEvent>) => fn(ev.data);
  w.addEventListener('message', listener);
  return () => w.removeEventListener('message', listener);
}
