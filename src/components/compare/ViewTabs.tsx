// The page's three views: the playground (one network), the optimizer race on that network,
// and the 2D arena. The choice is in the URL (`view=compare`), so a link opens the same view.
import { setView, useCompare, type ViewName } from '../../compare/compareStore';

const TABS: { view: ViewName; label: string; help: string }[] = [
  { view: 'train', label: 'Playground', help: 'Train one network and watch it learn' },
  {
    view: 'compare',
    label: 'Compare optimizers',
    help: 'Race 2 to 8 optimizers on the same network, data and initial weights',
  },
  { view: 'arena', label: 'Arena', help: 'Optimizers racing on classic 2D test functions, step by step' },
];

export function ViewTabs() {
  const view = useCompare((s) => s.view);
  return (
    <nav className="segmented view-tabs" aria-label="View">
      {TABS.map((t) => (
        <button
          key={t.view}
          type="button"
          aria-pressed={view === t.view}
          aria-current={view === t.view ? 'page' : undefined}
          title={t.help}
          data-view={t.view}
          onClick={() => setView(t.view)}
        >
          {t.label}
        </button>
      ))}
    </nav>
  );
}
