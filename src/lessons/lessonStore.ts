// Which lesson is open, kept in the link (`lesson=<id>`, or `lesson=list` for the list), so a
// shared link opens the same lesson. Reads the link at start and when a pasted link changes it;
// an unknown id becomes a notice. The lesson catalogue is not part of the first screen (issue 16
// §4): a lesson id is checked once the catalogue has loaded, and an unknown one is then closed.
import { create } from 'zustand';
import { describeValue } from '../config/schema';
import { getHashExtras, onHashExtras, setHashExtras } from '../state/persistence';
import { useStore } from '../state/store';

export interface LessonState {
  /** The lessons panel is shown instead of the playground. */
  open: boolean;
  /** The open lesson, or null for the list. */
  lessonId: string | null;
}

export const useLessonStore = create<LessonState>()(() => ({ open: false, lessonId: null }));

/** Opens `id` at once; when the catalogue has loaded, an unknown id is refused (with a notice if `say`). */
function openChecked(id: string, say: boolean): LessonState {
  void import('./index').then(({ lessonById }) => {
    if (lessonById(id) || useLessonStore.getState().lessonId !== id) return;
    if (say) {
      // An unknown lesson (a typo, a lesson renamed since) is named in the link's notices, like any
      // bad field of a link, and the page opens where the rest of the link points.
      const notice = { path: 'lesson', message: `${describeValue(id)} is not a lesson; see the Lessons list` };
      useStore.setState((s) => ({ notices: [...s.notices, notice], noticeSource: s.noticeSource ?? 'link' }));
      useLessonStore.setState({ open: false, lessonId: null });
    } else {
      const list = { open: true, lessonId: null };
      useLessonStore.setState(list);
      write(list);
    }
  });
  return { open: true, lessonId: id };
}

function fromLink(value: string | undefined): LessonState {
  if (value === undefined || value === '') return { open: false, lessonId: null };
  if (value === 'list') return { open: true, lessonId: null };
  return openChecked(value, true);
}

const write = (s: LessonState) => setHashExtras({ lesson: s.open ? (s.lessonId ?? 'list') : undefined });

export function openLessons(): void {
  const s = { open: true, lessonId: null };
  useLessonStore.setState(s);
  write(s);
}

export function openLesson(id: string): void {
  const s = openChecked(id, false);
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
