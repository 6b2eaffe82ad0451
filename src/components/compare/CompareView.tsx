// Compare mode: 2 to 12 optimizer settings race on the playground's network, data, initial
// weights and minibatch order (the sidebar still sets those for all of them). Left: the racers;
// right: the overlaid loss chart, the live table, accuracy and update-ratio charts, one decision boundary
// per optimizer and the weight-space trajectories on one shared plane.
import { useEffect, useState } from 'react';
import { defaultCompareConfig, MAX_SEEDS, MAX_SLOTS } from '../../compare/compareSet';
import type { OptimizerName } from '../../engine/types';
import {
  addCompareSlot,
  changeSlot,
  removeCompareSlot,
  setSeeds,
  toggleRun,
  useCompare,
} from '../../state/compareSlice';
import { useStore } from '../../state/store';
import { TrajectoryView } from '../trajectory/TrajectoryView';
import { BoundaryMultiples } from './BoundaryMultiples';
import { CompareAccuracyChart, CompareLossChart, CompareRatioChart } from './CompareCharts';
import { CompareMode } from './CompareMode';
import { CompareTable, promote } from './CompareTable';
import { SlotEditor } from './SlotEditor';
import '../arena/arena.css';
import './compare.css';

const DEFAULT_LR = Object.fromEntries(defaultCompareConfig().slots.map((s) => [s.optimizer.name, s.optimizer.lr]));
const lrFor = (name: OptimizerName): number => DEFAULT_LR[name === 'adamw' ? 'adam' : name] ?? 0.01;

/** Seeds per racer: the band's size (1 = a single run per racer). */
function SeedsInput() {
  const seeds = useCompare((s) => s.compare.seeds);
  const [text, setText] = useState(String(seeds));
  const [problem, setProblem] = useState('');
  // A link or another tab changed the count: show it (typing keeps its own text until valid).
  useEffect(() => {
    setText((t) => (Number(t) === seeds ? t : String(seeds)));
    setProblem('');
  }, [seeds]);
  return (
    <label
      className="seeds-input"
      title={`Each racer trains from this many initial weight vectors (the sidebar's init seed + 0 … N−1), all on the same data and minibatches, together in one backend; the charts show the mean with a min–max band (hover for each seed), the table mean ± sample sd`}
    >
      Seeds per racer{' '}
      <input
        type="number"
        min={1}
        max={MAX_SEEDS}
        step={1}
        value={text}
        aria-label="Seeds per racer"
        aria-invalid={problem !== ''}
        onChange={(e) => {
          setText(e.target.value);
          setProblem(setSeeds(e.target.value === '' ? Number.NaN : Number(e.target.value)));
        }}
      />
      {problem && (
        <span className="field-error" role="alert">
          seeds: {problem}
        </span>
      )}
    </label>
  );
}

export function CompareView() {
  const slots = useCompare((s) => s.compare.slots);
  const hidden = useCompare((s) => s.hidden);
  const playgroundOptimizer = useStore((s) => s.config.optimizer);
  return (
    <main className="views compare-views" aria-label="Optimizer race" data-testid="compare-view">
      <div className="column">
        <CompareMode />
        <section className="card" aria-label="Racing optimizers">
          <header className="card-head">
            <h2 title="Each optimizer trains its own copy of the same network from the same weights on the same minibatches">
              Racers
            </h2>
          </header>
          <SlotEditor
            slots={slots}
            hidden={hidden}
            onToggle={toggleRun}
            onChange={changeSlot}
            onRemove={removeCompareSlot}
            onAdd={addCompareSlot}
            lrFor={lrFor}
            rowActions={(i) => (
              <button
                type="button"
                className="btn small"
                title="Use these settings in the playground"
                onClick={() => promote(i)}
              >
                ↗
              </button>
            )}
          />
          <button
            type="button"
            className="btn small copy-playground"
            disabled={slots.length >= MAX_SLOTS}
            title="Add a racer with the playground's current optimizer settings"
            onClick={() => addCompareSlot(playgroundOptimizer)}
          >
            + Copy the playground's optimizer
          </button>
          <SeedsInput />
          <p className="muted small">
            Data, network, initialization, batch size, schedule and regularization come from the sidebar and are the
            same for every racer; only the optimizer differs. With several seeds, seed k of every racer starts from the
            same initial weights (those of the sidebar's seed + k).
          </p>
        </section>
      </div>
      <div className="column">
        <CompareLossChart />
        {/* The table right under the loss: who leads, and which racers diverged or stopped. */}
        <CompareTable />
        <div className="chart-pair">
          <CompareAccuracyChart />
          <CompareRatioChart />
        </div>
        <BoundaryMultiples />
        <TrajectoryView />
      </div>
    </main>
  );
}
