// Which lesson is open, kept in the link (`lesson=<id>`, or `lesson=list` for the list), so a
// shared link opens the same lesson. Reads the link at start and when a pasted link changes it;
// an unknown id becomes a notice.
import { create } from 'zustand';
import { describeValue } from '../config/schema';
import { getHashExtras, onHashExtras, setHashExtras } from '../state/persistence';
import { useStore } from '../state/store';
import { lessonById } from './index';

export interface LessonState {
  /** The lessons panel is shown instead of the playground. */
  open: boolean;
  /** The open lesson, or null for the list. */
  lessonId: string | null;
}

export const useLessonStore = create<LessonState>()(() => ({ open: false, lessonId: null }));

function fromLink(value: string | undefined): LessonState {
  if (value === undefined || value === '') return { open: false, lessonId: null };
  if (value === 'list') return { open: true, lessonId: null };
  if (lessonById(value)) return { open: true, lessonId: value };
  // An unknown lesson (a typo, a lesson renamed since) is named in the link's notices, like any
  // bad field of a link, and the page opens where the rest of the link points.
  const notice = { path: 'lesson', message: `${describeValue(value)} is not a lesson; see the Lessons list` };
  useStore.setState((s) => ({ notices: [...s.notices, notice], noticeSource: s.noticeSource ?? 'link' }));
  return { open: false, lessonId: null };
}

const write = (s: LessonState) => setHashExtras({ lesson: s.open ? (s.lessonId ?? 'list') : undefined });

export function openLessons(): void {
  const s = { open: true, lessonId: null };
  useLessonStore.setState(s);
  write(s);
}

export function openLesson(id: string): void {
  const s = { open: true, lessonId: lessonById(id) ? id : null };
  useLessonStore.setState(s);
  write(s);
}

export function closeLessons(): void {
  const s = { open: false, lessonId: null };
  useLessonStore.setState(s);
  write(s);
}

/** Start after startPersistence(): applies the link's lesson and follows pasted links. */
export function startLessonSync(): () => void {
  useLessonStore.setState(fromLink(getHashExtras().lesson));
  return onHashExtras((e) => useLessonStore.setState(fromLink(e.lesson)));
}
