// The hyperparameter sweep (compare mode's second view, `view=sweep`): optimizer x learning rate
// (log-spaced, 6-16 values) x optionally one more hyperparameter, every cell one run of the
// sidebar's network, data, initial weights and minibatch order, all trained together in one
// backend through the normal trainer (the GPU's run dimension, or the CPU engine). Left: the
// sweep's settings and progress; right: the heatmap or the classic line view, with exports.
// Conventions on screen: compare/sweep.ts (lr grid, final/best value, diverged, best cell).
import { useMemo, useRef, useState } from 'react';
import {
  MAX_EXTRA,
  MAX_LRS,
  MAX_SWEEP_EPOCHS,
  MAX_SWEEP_RUNS,
  MIN_EXTRA,
  MIN_LRS,
  SWEEP_AXES,
  type SweepAxis,
  type SweepConfig,
  sweepCells,
  sweepConfigs,
} from '../../compare/sweep';
import { sweepCsv } from '../../compare/sweepResults';
import { DATASET_LABELS } from '../../config/labels';
import { hyperDef } from '../../engine/optimizers/hypers';
import { OPTIMIZER_LABELS, OPTIMIZER_NAMES, optimizerSpec } from '../../engine/optimizers/registry';
import { svgElementToPng, svgText } from '../../export/chartImage';
import { downloadBlob, downloadText } from '../../export/download';
import { useStore } from '../../state/store';
import { editSweep } from '../../state/sweepEdit';
import { openCell, setSweepDisplay, useSweep } from '../../state/sweepSlice';
import { pause, play, resetRun } from '../../state/trainerSync';
import { CompareMode } from '../compare/CompareMode';
import { lrText, palette, rowLabel, SweepHeatmap, SweepLineView, valueText } from './SweepChart';
import { useSweepResults } from './useSweepResults';
import '../compare/compare.css';
import './sweep.css';

const AXIS_DEFAULTS: Record<SweepAxis, number[]> = {
  momentum: [0.5, 0.9, 0.99],
  beta2: [0.9, 0.99, 0.999],
  weightDecay: [0, 0.01, 0.1],
};

/** A number field that keeps what is typed until it is valid; a refusal is shown with its field. */
function NumberField(props: {
  label: string;
  value: number;
  min?: number;
  max?: number;
  step?: number | 'any';
  apply: (v: number) => string;
  testId: string;
}) {
  const [text, setText] = useState(String(props.value));
  const [problem, setProblem] = useState('');
  const [shown, setShown] = useState(props.value);
  // The value changed elsewhere (a link, a reset): show it.
  if (shown !== props.value) {
    setShown(props.value);
    setText(String(props.value));
    setProblem('');
  }
  return (
    <label className="sweep-field">
      <span>{props.label}</span>
      <input
        type="number"
        value={text}
        min={props.min}
        max={props.max}
        step={props.step ?? 'any'}
        aria-label={props.label}
        aria-invalid={problem !== ''}
        data-testid={props.testId}
        onChange={(e) => {
          setText(e.target.value);
          setProblem(props.apply(e.target.value === '' ? Number.NaN : Number(e.target.value)));
        }}
      />
      {problem && (
        <span className="field-error" role="alert">
          {problem}
        </span>
      )}
    </label>
  );
}

function ExtraValues({ s }: { s: SweepConfig }) {
  const values = s.extra?.values ?? [];
  const [text, setText] = useState(values.join(', '));
  const [problem, setProblem] = useState('');
  const key = values.join(',');
  const [shown, setShown] = useState(key);
  if (shown !== key) {
    setShown(key);
    setText(values.join(', '));
    setProblem('');
  }
  if (!s.extra) return null;
  const h = hyperDef(s.extra.key);
  return (
    <label className="sweep-field wide">
      <span>
        {h.label} values ({MIN_EXTRA} to {MAX_EXTRA}, from {h.min} to {h.max})
      </span>
      <input
        type="text"
        value={text}
        aria-label={`${h.label} values`}
        aria-invalid={problem !== ''}
        data-testid="sweep-extra-values"
        onChange={(e) => {
          setText(e.target.value);
          const parts = e.target.value.split(/[,\s]+/).filter((t) => t !== '');
          const nums = parts.map((t) => (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? Number(t) : Number.NaN));
          setProblem(editSweep({ extra: { key: s.extra!.key, values: nums } }));
        }}
      />
      {problem && (
        <span className="field-error" role="alert">
          {problem}
        </span>
      )}
    </label>
  );
}

function SweepSettings({ s }: { s: SweepConfig }) {
  const [optProblem, setOptProblem] = useState('');
  const [axisProblem, setAxisProblem] = useState('');
  const runs = sweepCells(s).length;
  const toggle = (name: (typeof OPTIMIZER_NAMES)[number], on: boolean) => {
    const optimizers = on
      ? OPTIMIZER_NAMES.filter((n) => n === name || s.optimizers.includes(n))
      : s.optimizers.filter((n) => n !== name);
    // Dropping the last optimizer that uses the extra axis drops the axis too (said, not refused).
    const extra = s.extra && optimizers.some((o) => optimizerSpec(o).hypers.includes(s.extra!.key)) ? s.extra : null;
    setOptProblem(
      optimizers.length === 0 ? 'sweep.optimizers: choose at least one optimizer' : editSweep({ optimizers, extra }),
    );
  };
  return (
    <section className="card sweep-settings" aria-label="Sweep settings">
      <header className="card-head">
        <h2 title="Every chosen optimizer at every learning rate of the grid (and every value of the extra axis, for the optimizers that use it)">
          Sweep
        </h2>
        <span className="muted small" data-testid="sweep-size">
          {runs} runs
        </span>
      </header>
      <fieldset className="sweep-optimizers">
        <legend>Optimizers</legend>
        {OPTIMIZER_NAMES.map((n) => (
          <label key={n} title={optimizerSpec(n).help}>
            <input type="checkbox" checked={s.optimizers.includes(n)} onChange={(e) => toggle(n, e.target.checked)} />
            {OPTIMIZER_LABELS[n]}
          </label>
        ))}
        {optProblem && (
          <span className="field-error" role="alert">
            {optProblem}
          </span>
        )}
      </fieldset>
      <div className="sweep-row">
        <NumberField
          label="lr from"
          testId="sweep-lr-min"
          value={s.lrMin}
          min={1e-6}
          max={10}
          apply={(lrMin) => editSweep({ lrMin })}
        />
        <NumberField
          label="lr to"
          testId="sweep-lr-max"
          value={s.lrMax}
          min={1e-6}
          max={10}
          apply={(lrMax) => editSweep({ lrMax })}
        />
        <NumberField
          label={`values (${MIN_LRS}–${MAX_LRS})`}
          testId="sweep-lr-count"
          value={s.lrCount}
          min={MIN_LRS}
          max={MAX_LRS}
          step={1}
          apply={(lrCount) => editSweep({ lrCount })}
        />
      </div>
      <div className="sweep-row">
        <label className="sweep-field">
          <span>Extra axis</span>
          <select
            value={s.extra?.key ?? ''}
            aria-label="Extra axis"
            data-testid="sweep-axis"
            onChange={(e) => {
              const key = e.target.value as SweepAxis | '';
              setAxisProblem(editSweep({ extra: key === '' ? null : { key, values: AXIS_DEFAULTS[key] } }));
            }}
          >
            <option value="">none</option>
            {SWEEP_AXES.map((k) => (
              <option key={k} value={k}>
                {hyperDef(k).label}
              </option>
            ))}
          </select>
        </label>
        <NumberField
          label="epochs"
          testId="sweep-epochs"
          value={s.epochs}
          min={1}
          max={MAX_SWEEP_EPOCHS}
          step={1}
          apply={(epochs) => editSweep({ epochs })}
        />
      </div>
      {axisProblem && (
        <span className="field-error" role="alert">
          {axisProblem}
        </span>
      )}
      <ExtraValues s={s} />
      <p className="muted small" data-testid="sweep-batch-note">
        Batch size is not an axis: the runs trained together in one backend share one batch size (the sidebar's).
      </p>
      <div className="sweep-row">
        <fieldset className="segmented" aria-label="Cell value">
          {(['final', 'best'] as const).map((m) => (
            <button key={m} type="button" aria-pressed={s.metric === m} onClick={() => editSweep({ metric: m })}>
              {m === 'final' ? 'Final val. loss' : 'Best val. loss'}
            </button>
          ))}
        </fieldset>
      </div>
      <details className="muted small sweep-how">
        <summary>How the sweep is made</summary>
        <p>
          Learning rates are log-spaced: lr<sub>i</sub> = from · (to/from)<sup>i/(n−1)</sup>, rounded to 3 significant
          digits. The extra axis multiplies only the optimizers whose rule reads it (momentum: Momentum, Nesterov; β₂:
          the Adam family; weight decay: AdamW, Lion, LAMB); at most {MAX_SWEEP_RUNS} runs.
        </p>
        <p>
          Final: the validation loss after the last epoch; best: its minimum over the epochs. A run that diverged has no
          value (marked), whatever it reached before. Everything else (data, network, initial weights, batch size,
          schedule, regularization and the optimizers' other settings) is the playground's; every run trains on the same
          minibatches from the same initial weights.
        </p>
      </details>
    </section>
  );
}

function Progress({ read, runs }: { read: ReturnType<typeof useSweepResults>; runs: number }) {
  const phase = useStore((st) => st.run.phase);
  const pct = Math.round(read.progress * 100);
  return (
    <section className="card sweep-progress" aria-label="Sweep progress">
      <div className="sweep-row">
        <button
          type="button"
          className="btn primary"
          data-testid="sweep-train"
          disabled={!read.ready}
          onClick={() => (phase === 'training' ? pause() : play())}
        >
          {phase === 'training'
            ? 'Pause'
            : read.ended === runs
              ? 'Trained'
              : read.progress > 0
                ? 'Continue'
                : 'Train the sweep'}
        </button>
        <button
          type="button"
          className="btn"
          onClick={resetRun}
          disabled={!read.ready}
          title="Every run back to step 0"
        >
          Reset
        </button>
      </div>
      <progress max={100} value={pct} aria-label="Sweep progress" data-testid="sweep-progress" />
      <p className="small" data-testid="sweep-status" data-ended={read.ended} data-runs={runs}>
        {!read.ready
          ? `Building ${runs} runs…`
          : `${read.ended} of ${runs} runs ended${read.diverged > 0 ? ` (${read.diverged} diverged)` : ''} · ${pct}% of the epochs · ${runs} runs trained together on ${read.backend}`}
      </p>
    </section>
  );
}

export function SweepView() {
  const s = useSweep((st) => st.config);
  const display = useSweep((st) => st.display);
  const base = useStore((st) => st.config);
  const dark = useStore((st) => st.ui.theme === 'dark');
  const cells = useMemo(() => sweepCells(s), [s]);
  const configs = useMemo(() => sweepConfigs(base, s), [base, s]);
  const read = useSweepResults(configs, s);
  const svgRef = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<{ i: number; x: number; y: number } | null>(null);
  const subtitle = `${DATASET_LABELS[base.data.name]} · hidden ${base.model.hidden.map((h) => h.units).join('-') || 'none'} · batch ${base.batchSize} · seed ${base.seed} · ${cells.length} runs trained together`;
  const chartProps = {
    sweep: s,
    cells,
    results: read.results,
    status: read.status,
    subtitle,
    dark,
    svgRef,
    onHover: (i: number | null, x: number, y: number) => setHover(i === null ? null : { i, x, y }),
    onOpen: openCell,
  };
  const name = `sweep-${display}`;
  const exportSvg = () => {
    if (svgRef.current) downloadText(svgText(svgRef.current, palette(dark).bg), `${name}.svg`, 'image/svg+xml');
  };
  const exportPng = async () => {
    if (!svgRef.current) return;
    downloadBlob(await svgElementToPng(svgRef.current), `${name}.png`);
  };
  const exportCsv = () => downloadText(sweepCsv(s, cells, read.results), 'sweep.csv', 'text/csv');
  const noVal = base.data.valFraction === 0;
  return (
    <main className="views sweep-views" aria-label="Hyperparameter sweep" data-testid="sweep-view">
      <div className="column">
        <CompareMode />
        <SweepSettings s={s} />
        <Progress read={read} runs={cells.length} />
      </div>
      <div className="column">
        <section className="card sweep-chart" aria-label="Sweep result">
          <header className="card-head">
            <fieldset className="segmented" aria-label="Sweep display">
              <button
                type="button"
                aria-pressed={display === 'heatmap'}
                data-testid="show-heatmap"
                onClick={() => setSweepDisplay('heatmap')}
              >
                Heatmap
              </button>
              <button
                type="button"
                aria-pressed={display === 'lines'}
                data-testid="show-lines"
                onClick={() => setSweepDisplay('lines')}
              >
                Loss vs lr
              </button>
            </fieldset>
            <div className="card-tools">
              <button type="button" className="btn small" onClick={() => void exportPng()} data-testid="sweep-png">
                PNG
              </button>
              <button type="button" className="btn small" onClick={exportSvg} data-testid="sweep-svg">
                SVG
              </button>
              <button type="button" className="btn small" onClick={exportCsv} data-testid="sweep-csv">
                CSV
              </button>
            </div>
          </header>
          {noVal && (
            <p className="field-error" role="alert">
              The data has no validation split (validation fraction 0), so no cell gets a value: set one in the sidebar.
            </p>
          )}
          <div className="sweep-plot">
            {display === 'heatmap' ? <SweepHeatmap {...chartProps} /> : <SweepLineView {...chartProps} />}
          </div>
          <p className="muted small">
            Hover a cell for its numbers; click it to open that run in the playground (same data, weights and
            minibatches: it replays exactly).
          </p>
          {hover && <Tooltip i={hover.i} x={hover.x} y={hover.y} s={s} read={read} cells={cells} />}
        </section>
      </div>
    </main>
  );
}

function Tooltip(p: {
  i: number;
  x: number;
  y: number;
  s: SweepConfig;
  read: ReturnType<typeof useSweepResults>;
  cells: ReturnType<typeof sweepCells>;
}) {
  const c = p.cells[p.i];
  if (!c) return null;
  const r = p.read.results[p.i];
  const st = p.read.status[p.i];
  const word = p.s.metric === 'final' ? 'final' : 'best';
  let state = 'not started';
  if (st?.state === 'diverged') state = `diverged at step ${st.statusStep}`;
  else if (st?.state === 'finished') state = `finished (${p.read.epochs[p.i]} epochs)`;
  else if (st?.state === 'early-stopped') state = `stopped early at epoch ${st.statusEpoch}`;
  else if (st) state = `epoch ${p.read.epochs[p.i]} of ${p.s.epochs}`;
  const left = Math.min(p.x + 14, window.innerWidth - 260);
  return (
    <div className="sweep-tooltip" role="tooltip" data-testid="sweep-tooltip" style={{ left, top: p.y + 14 }}>
      <strong>{rowLabel(c.optimizer, c.extra, p.s)}</strong>
      <div>lr {lrText(c.lr)}</div>
      {c.extra !== null && p.s.extra && (
        <div>
          {hyperDef(p.s.extra.key).label} {c.extra}
        </div>
      )}
      <div>
        {word} val. loss {r?.diverged ? '– (diverged)' : valueText(r?.value ?? Number.NaN)}
      </div>
      {st && Number.isFinite(st.bestValLoss) && st.bestEpoch > 0 && (
        <div>
          best {valueText(st.bestValLoss)} at epoch {st.bestEpoch}
        </div>
      )}
      <div className="muted">{state}</div>
    </div>
  );
}
