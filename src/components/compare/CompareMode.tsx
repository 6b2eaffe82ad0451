// Compare mode's two views: the race (a few optimizers, live curves) and the sweep (optimizer x
// learning rate grid, a heatmap). One switch at the top of both; the choice is the URL's `view`.
import { setView, useCompare } from '../../state/compareSlice';

const MODES = [
  { view: 'compare', label: 'Race', help: 'A few optimizer settings racing, live curves and table' },
  {
    view: 'sweep',
    label: 'Learning-rate sweep',
    help: 'Every optimizer at 6 to 16 learning rates (and optionally one more hyperparameter), trained together; a heatmap of the validation loss',
  },
] as const;

export function CompareMode() {
  const view = useCompare((s) => s.view);
  return (
    <nav className="segmented compare-mode" aria-label="Compare mode">
      {MODES.map((m) => (
        <button
          key={m.view}
          type="button"
          aria-pressed={view === m.view}
          title={m.help}
          data-mode={m.view}
          onClick={() => setView(m.view)}
        >
          {m.label}
        </button>
      ))}
    </nav>
  );
}
