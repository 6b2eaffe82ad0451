// The optimizer arena: 2 to 12 optimizers race on a 2D test function from a start point the user
// clicks. Left: the function and the racers; middle: the contours with the animated paths and
// the playback bar; right: the selected racer's update split into its terms, and the race table.
import { arenaLr } from '../../compare/arenaDefaults';
import { makeTestFunction, TEST_FUNCTION_NAMES } from '../../engine/data/testFunctions';
import { SlotEditor } from '../compare/SlotEditor';
import { ArenaPlot } from './ArenaPlot';
import { addRacer, removeRacer, select, setFunction, setSlotOptimizer, toggleHidden, useArena } from './arenaStore';
import { NoisePanel } from './NoisePanel';
import { PlayControls } from './PlayControls';
import { QuadraticPanel } from './QuadraticPanel';
import { RaceTable } from './RaceTable';
import { StepPanel } from './StepPanel';
import { useArenaRace } from './useArenaPaths';
import './arena.css';

const LABELS = Object.fromEntries(
  TEST_FUNCTION_NAMES.map((n) => [n, makeTestFunction(n).label.replace(/ \(.*\)/, '')]),
);

export function ArenaView() {
  const fnName = useArena((s) => s.fn);
  const slots = useArena((s) => s.slots);
  const hidden = useArena((s) => s.hidden);
  const selected = useArena((s) => s.selected);
  const { fn, paths } = useArenaRace();
  return (
    <div className="arena" data-testid="arena">
      <aside className="arena-side">
        <section className="card" aria-label="Test function">
          <header className="card-head">
            <h2 title="Classic 2D test functions for optimizers">Test function</h2>
          </header>
          <fieldset className="segmented fn-choice">
            <legend className="visually-hidden">Test function</legend>
            {TEST_FUNCTION_NAMES.map((n) => (
              <button key={n} type="button" aria-pressed={n === fnName} data-fn={n} onClick={() => setFunction(n)}>
                {LABELS[n]}
              </button>
            ))}
          </fieldset>
          <p className="formula-line">{fn.formula}</p>
          <p className="muted small">Click on the plot to start the race from there.</p>
        </section>
        {fn.hessian && <QuadraticPanel fn={fn} />}
        <NoisePanel fn={fn} paths={paths} />
        <section className="card" aria-label="Racing optimizers">
          <header className="card-head">
            <h2 title="Each racer has its own optimizer, hyperparameters and colour">Racers</h2>
          </header>
          <SlotEditor
            slots={slots}
            hidden={hidden}
            selected={selected}
            onSelect={select}
            onToggle={toggleHidden}
            onChange={setSlotOptimizer}
            onRemove={removeRacer}
            onAdd={addRacer}
            lrFor={(name) => arenaLr(fnName, name)}
          />
        </section>
      </aside>
      <div className="arena-main">
        <section className="card arena-plot-card" aria-label={`${fn.label} arena`}>
          <ArenaPlot fn={fn} paths={paths} />
          <PlayControls />
        </section>
      </div>
      <aside className="arena-side">
        <StepPanel fn={fn} paths={paths} />
        <section className="card" aria-label="Race table">
          <header className="card-head">
            <h2 title="Where each racer is at the shown step">Race</h2>
          </header>
          <RaceTable fn={fn} paths={paths} />
        </section>
      </aside>
    </div>
  );
}
