// Under the loss chart (loaded on demand): the run's history in words and its controls.
//  - Mid-run changes, numbered as the marks Δ1, Δ2… on the chart: "step 120: Learning rate 0.1 → 0.03".
//    The link in the address bar carries them (chg=) and replays them at the same steps.
//  - Branch from here (paused, playground): a second run continues from this exact state (weights,
//    optimizer memory, schedule, data position, batch-norm statistics) with one setting changed;
//    both train on from the branch step and the branch's curve starts there. Drop or keep it.
import { useState } from 'react';
import { describeChange } from '../../config/changes';
import { fieldAt, type NumberField } from '../../config/fields';
import { optimizerSpec } from '../../engine/optimizers/registry';
import type { TrainConfig } from '../../engine/types';
import { useCompare } from '../../state/compareSlice';
import { useHistory } from '../../state/historySlice';
import { keepBranch } from '../../state/keptSlice';
import { useStore } from '../../state/store';
import { branchFromHere, dropBranch } from '../../state/trainerSync';
import { useRunBuffers } from '../../trainer/runBuffers';
import './history.css';

/** The settings a branch may change: the learning rate, the optimizer's own hyperparameters, L2 and L1. */
function branchFields(cfg: TrainConfig): NumberField[] {
  const paths = [
    'optimizer.lr',
    ...optimizerSpec(cfg.optimizer.name).hypers.map((k) => `optimizer.${k}`),
    'reg.l2',
    'reg.l1',
  ];
  return [...new Set(paths)].map((p) => fieldAt(p)).filter((f): f is NumberField => f.kind === 'number');
}

function valueAt(cfg: TrainConfig, path: string): number {
  let cur: unknown = cfg;
  for (const p of path.split('.')) cur = (cur as Record<string, unknown>)[p];
  return Number(cur);
}

function withValue(cfg: TrainConfig, path: string, v: number): TrainConfig {
  const next = structuredClone(cfg);
  const parts = path.split('.');
  let cur = next as unknown as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) cur = cur[p] as Record<string, unknown>;
  cur[parts[parts.length - 1]] = v;
  return next;
}

export function RunHistoryBar() {
  const h = useHistory();
  const config = useStore((s) => s.config);
  const paused = useStore((s) => s.run.phase === 'paused');
  const step = useStore((s) => s.run.step);
  const playground = useCompare((s) => s.view === 'train');
  const buffers = useRunBuffers();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="run-history" data-testid="run-history">
      {h.changes.length > 0 && (
        <div>
          <ol className="change-marks" data-testid="change-marks" aria-label="Changes made during the run">
            {h.changes.map((c, k) => (
              <li key={c.step}>
                <strong>Δ{k + 1}</strong> step {c.step}:{' '}
                {describeChange(k === 0 ? (h.start ?? c.config) : h.changes[k - 1].config, c.config)}
              </li>
            ))}
          </ol>
          <p className="run-history-note">
            {h.gen === -1
              ? 'From the link: replayed at the same steps when the run trains.'
              : 'The link in the address bar replays these changes at the same steps.'}
          </p>
        </div>
      )}
      {h.branch ? (
        <p className="branch-info" data-testid="branch-info">
          <span>
            Branch at step {h.branch.step}: {h.branch.text}
          </span>
          <button
            type="button"
            className="btn small"
            onClick={() => void dropBranch().then((r) => setMessage(r && `Could not drop the branch: ${r}`))}
          >
            Drop branch
          </button>
          <button type="button" className="btn small" onClick={() => void keepBranch(buffers)}>
            Keep the branch
          </button>
        </p>
      ) : (
        playground &&
        step > 0 && (
          <BranchForm
            config={config}
            paused={paused}
            step={step}
            onResult={(r) => setMessage(r && `Could not branch: ${r}`)}
          />
        )
      )}
      {message && (
        <p role="alert" className="run-history-error">
          {message}
        </p>
      )}
    </div>
  );
}

function BranchForm(props: {
  config: TrainConfig;
  paused: boolean;
  step: number;
  onResult: (refusal: string | null) => void;
}) {
  const fields = branchFields(props.config);
  const [path, setPath] = useState('optimizer.lr');
  const field = fields.find((f) => f.path === path) ?? fields[0];
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const value = Number(text);
  const current = valueAt(props.config, field.path);
  const problem =
    text.trim() === '' || !Number.isFinite(value)
      ? 'enter a number'
      : value < field.min || value > field.max
        ? `between ${field.min} and ${field.max}`
        : value === current
          ? 'that is the current value'
          : null;
  return (
    <form
      className="branch-form"
      aria-label="Branch from here"
      onSubmit={(e) => {
        e.preventDefault();
        if (problem || !props.paused) return;
        setBusy(true);
        const next = withValue(props.config, field.path, value);
        void branchFromHere(next, describeChange(props.config, next))
          .then(props.onResult)
          .finally(() => setBusy(false));
      }}
    >
      <span className="branch-title">Branch from step {props.step}:</span>
      <select aria-label="Setting to change" value={field.path} onChange={(e) => setPath(e.currentTarget.value)}>
        {fields.map((f) => (
          <option key={f.path} value={f.path}>
            {f.label}
          </option>
        ))}
      </select>
      <input
        type="text"
        inputMode="decimal"
        size={8}
        aria-label="New value"
        placeholder={String(current)}
        value={text}
        aria-invalid={text !== '' && problem !== null}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      <button
        type="submit"
        className="btn small"
        disabled={busy || !props.paused || problem !== null}
        title={!props.paused ? 'Pause first: a branch starts from the step the run is paused at' : (problem ?? '')}
      >
        Branch
      </button>
      {!props.paused && <span className="run-history-note">pause to branch</span>}
      {props.paused && text !== '' && problem && <span className="run-history-note">{problem}</span>}
    </form>
  );
}
