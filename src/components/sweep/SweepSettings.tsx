// The sweep's settings (the left column of the sweep view, SweepView.tsx): which optimizers, the
// lr grid (from..to, log-spaced: lr_i = from * (to/from)^(i/(n-1)), MIN_LRS-MAX_LRS values),
// optionally one more axis with its values, the epochs, and whether a cell's value is the final or
// the best validation loss. Every change goes through editSweep (state/sweepEdit.ts): applied, or
// refused with the problem in words naming its field, shown beside the field (nothing changes).
// Limits and conventions: compare/sweep.ts.
import { useState } from 'react';
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
} from '../../compare/sweep';
import { hyperDef } from '../../engine/optimizers/hypers';
import { OPTIMIZER_LABELS, OPTIMIZER_NAMES, optimizerSpec } from '../../engine/optimizers/registry';
import { editSweep } from '../../state/sweepEdit';

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

/** The sweep's settings: optimizers, the lr grid, the extra axis and its values, the epochs and the value shown. */
export function SweepSettings({ s }: { s: SweepConfig }) {
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
