// The lessons: the list (one card per lecture topic) or the open lesson.
import { LESSONS, lessonById } from '../../lessons/index';
import { closeLessons, openLesson, useLessonStore } from '../../lessons/lessonStore';
import { LessonPage } from './LessonPage';
import './lessons.css';

export function LessonList() {
  return (
    <section className="lesson-list" aria-labelledby="lessons-title" data-testid="lesson-list">
      <header className="lesson-list-head">
        <h2 id="lessons-title">Lessons: Training Neural Networks</h2>
        <button type="button" className="btn small" onClick={closeLessons}>
          Back to the playground
        </button>
      </header>
      <ol>
        {LESSONS.map((l) => (
          <li key={l.id}>
            <button type="button" className="lesson-card" onClick={() => openLesson(l.id)} data-lesson={l.id}>
              <span className="lesson-number">{l.number}</span>
              <span className="lesson-card-title">{l.title}</span>
              <span className="muted">{l.text[0]}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function LessonsPanel() {
  const id = useLessonStore((s) => s.lessonId);
  const lesson = id ? lessonById(id) : undefined;
  return <div className="lessons">{lesson ? <LessonPage key={lesson.id} lesson={lesson} /> : <LessonList />}</div>;
}
