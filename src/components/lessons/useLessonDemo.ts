// Runs a lesson's demo in the lesson worker (through src/trainer/lessonClient.ts) and holds the
// latest snapshot. A page only listens to snapshots of its own lesson.
import { useCallback, useEffect, useState } from 'react';
import type { ArenaSnapshot, LessonSnapshot } from '../../../workers/lessons/protocol';
import { lessonById } from '../../lessons';
import { lessonJob } from '../../lessons/job';
import { onLessonEvent, startLesson, stopLesson } from '../../trainer/lessonClient';

export interface DemoState {
  running: boolean;
  snapshot: LessonSnapshot | null;
  arena: ArenaSnapshot | null;
  error: string | null;
}

export function useLessonDemo(lessonId: string) {
  const [state, setState] = useState<DemoState>({ running: false, snapshot: null, arena: null, error: null });

  useEffect(() => {
    let mine = false; // only after this page pressed "Run": snapshots of an earlier run are ignored
    const unsubscribe = onLessonEvent((e) => {
      if (e.type === 'snapshot') {
        if (!mine || e.snapshot.lessonId !== lessonId) return;
        setState((s) => ({ ...s, snapshot: e.snapshot, running: !e.snapshot.done, error: null }));
      } else if (e.type === 'arena') {
        if (mine) setState((s) => ({ ...s, arena: e.arena }));
      } else if (e.type === 'error') {
        if (mine) setState((s) => ({ ...s, error: e.message, running: false }));
      }
    });
    const onStart = () => {
      mine = true;
    };
    addEventListener(`lesson-start:${lessonId}`, onStart);
    return () => {
      unsubscribe();
      removeEventListener(`lesson-start:${lessonId}`, onStart);
      if (mine) stopLesson();
    };
  }, [lessonId]);

  const start = useCallback(() => {
    dispatchEvent(new Event(`lesson-start:${lessonId}`));
    setState((s) => ({ ...s, running: true, snapshot: null, arena: null, error: null }));
    const lesson = lessonById(lessonId);
    if (!lesson) {
      setState((s) => ({ ...s, running: false, error: `no lesson '${lessonId}'` }));
      return;
    }
    try {
      startLesson(lessonJob(lesson));
    } catch (e) {
      setState((s) => ({ ...s, running: false, error: e instanceof Error ? e.message : String(e) }));
    }
  }, [lessonId]);
  const stop = useCallback(() => {
    stopLesson();
    setState((s) => ({ ...s, running: false }));
  }, []);
  return { ...state, start, stop };
}
