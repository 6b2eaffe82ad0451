// The classroom controls in the top bar: lessons, presenter mode, share, export, and `?`.
// In presenter mode a row of panel toggles appears (the link's `hide=` list).
import { closeLessons, openLessons, useLessonStore } from '../../lessons/lessonStore';
import { useStore } from '../../state/store';
import { ExportMenu } from './ExportMenu';
import { setHelp, setShare, togglePanel, togglePresenter, usePresenterStore } from './presenterStore';

/** Panels a presenter can hide (names as in the playground's Views and the `hide=` parameter). */
export const PANELS: [string, string][] = [
  ['controls', 'Controls'],
  ['boundary', 'Boundary'],
  ['network', 'Network'],
  ['histograms', 'Histograms'],
  ['loss', 'Loss'],
  ['accuracy', 'Accuracy'],
  ['ratio', 'Update ratio'],
  ['gradients', 'Gradients'],
  ['diagnostics', 'Diagnostics'],
  ['trajectory', 'Trajectory'],
];

export function ClassroomBar() {
  const lessonsOpen = useLessonStore((s) => s.open);
  const presenter = usePresenterStore((s) => s.presenter);
  return (
    <div className="classroom-bar" role="toolbar" aria-label="Classroom">
      <button
        type="button"
        className="btn"
        aria-pressed={lessonsOpen}
        aria-current={lessonsOpen ? 'page' : undefined}
        data-testid="lessons-button"
        onClick={lessonsOpen ? closeLessons : openLessons}
        title="Lessons that follow the lecture (l)"
      >
        Lessons
      </button>
      <button
        type="button"
        className="btn"
        aria-pressed={presenter}
        data-testid="presenter-toggle"
        onClick={togglePresenter}
        title="Presenter mode: large type, thick lines, high contrast (p)"
      >
        Present
      </button>
      <button
        type="button"
        className="btn"
        data-testid="share-button"
        onClick={() => setShare(true)}
        title="Copy a link to this experiment, or show its QR code (k)"
      >
        Share
      </button>
      <ExportMenu />
      <button
        type="button"
        className="btn"
        aria-label="Keyboard shortcuts"
        onClick={() => setHelp(true)}
        title="Keyboard shortcuts (?)"
      >
        ?
      </button>
    </div>
  );
}

export function PanelToggles() {
  const presenter = usePresenterStore((s) => s.presenter);
  const hidden = useStore((s) => s.ui.hidden);
  if (!presenter) return null;
  return (
    <fieldset className="panel-toggles" data-testid="panel-toggles">
      <legend>Show</legend>
      {PANELS.map(([id, label]) => (
        <label key={id}>
          <input type="checkbox" checked={!hidden.includes(id)} onChange={() => togglePanel(id)} /> {label}
        </label>
      ))}
    </fieldset>
  );
}
