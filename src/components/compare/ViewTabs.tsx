// The page's three views: the playground (one network), the optimizer race on that network (or
// its hyperparameter sweep, `view=sweep`), and the 2D arena. The choice is in the URL (`view=compare`), so a link opens the same view.
// The lessons are a fourth place to be (the Lessons button of the classroom bar): while they are
// open no tab is the current page, and a tab leaves the lessons for its view.

import { closeLessons, useLessonStore } from '../../lessons/lessonStore';
import { setView, useCompare, type ViewName } from '../../state/compareSlice';

const TABS: { view: ViewName; label: string; help: string }[] = [
  { view: 'train', label: 'Playground', help: 'Train one network and watch it learn' },
  {
    view: 'compare',
    label: 'Compare optimizers',
    help: 'Race 2 to 12 optimizers on the same network, data and initial weights, or sweep their learning rates',
  },
  { view: 'arena', label: 'Arena', help: 'Optimizers racing on classic 2D test functions, step by step' },
];

export function ViewTabs() {
  const view = useCompare((s) => s.view);
  const lessonsOpen = useLessonStore((s) => s.open);
  return (
    <nav className="segmented view-tabs" aria-label="View">
      {TABS.map((t) => {
        // The sweep is a mode of compare (its switch is inside the compare views).
        const current = !lessonsOpen && (view === t.view || (view === 'sweep' && t.view === 'compare'));
        return (
          <button
            key={t.view}
            type="button"
            aria-pressed={current}
            aria-current={current ? 'page' : undefined}
            title={t.help}
            data-view={t.view}
            onClick={() => {
              if (lessonsOpen) closeLessons();
              setView(t.view);
            }}
          >
            {t.label}
          </button>
        );
      })}
    </nav>
  );
}
