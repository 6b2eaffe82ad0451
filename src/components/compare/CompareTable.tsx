// The live race table: per optimizer, its step, its current (smoothed minibatch) loss, its last
// validation loss, its best validation accuracy and the step at which its training loss first
// reached the chosen target; the leaders of each column in bold. Each row can be promoted: its
// settings become the playground's, which then replays exactly this run (same data, weights and
// minibatches: the runs are deterministic).
import { useEffect, useState } from 'react';
import type { RunStatusInfo } from '../../../workers/protocol';
import { slotLabels } from '../../compare/compareSet';
import { bestOf, firstStepAtOrBelow, leaders } from '../../compare/raceStats';
import { commitConfig } from '../../state/actions';
import { getCompare, setTargetLoss, setView, useCompare } from '../../state/compareSlice';
import { useStore } from '../../state/store';
import { statusText } from '../../state/trainerSync';
import { type RunBuffers, useRunBuffers } from '../../trainer/runBuffers';
import { debiasedEma } from '../charts/smoothing';
import { fmt, pct } from '../format';

interface Row {
  step: number;
  loss: number;
  valLoss: number;
  bestAcc: number;
  reached: number;
  /** The run's state ('training', 'diverged', …) and, once it has ended, the words for it. */
  state: string;
  ended: string;
}

/** "diverged at step 19", "early-stopped at epoch 23", "finished at epoch 60"; '' while the run can go on. */
function endedText(st: RunStatusInfo | undefined): string {
  if (!st || st.state === 'training' || st.state === 'paused') return '';
  return statusText(st.state, st.statusStep, st.statusEpoch);
}

function readRows(b: RunBuffers | null, target: number, smoothing: number): Row[] {
  const runs = b?.metrics.runs ?? [];
  const status = b?.getState().status?.runs ?? [];
  return runs.map((h, r) => {
    const st = status[r];
    if (!h || h.steps.size === 0)
      return {
        step: st?.step ?? 0,
        loss: Number.NaN,
        valLoss: Number.NaN,
        bestAcc: Number.NaN,
        reached: -1,
        state: st?.state ?? '',
        ended: endedText(st),
      };
    const loss = debiasedEma(h.step('loss'), smoothing);
    const val = h.epoch('valLoss');
    return {
      step: st?.step ?? h.steps.last(0) + 1,
      loss: loss[loss.length - 1],
      valLoss: val.length > 0 ? val[val.length - 1] : Number.NaN,
      bestAcc: bestOf(h.epoch('valAcc')),
      reached: firstStepAtOrBelow(h.epoch('trainLoss'), h.epoch('step'), target),
      state: st?.state ?? '',
      ended: endedText(st),
    };
  });
}

/** Re-reads the buffers and the racers' states a few times a second while mounted (never per sample). */
function useRows(target: number, smoothing: number): Row[] {
  const b = useRunBuffers();
  const [rows, setRows] = useState<Row[]>(() => readRows(b, target, smoothing));
  useEffect(() => {
    let last = -1;
    let lastStatus: unknown = null;
    const id = setInterval(() => {
      // New metrics, or a new status (a racer ended after the last metrics batch).
      const v = b?.metrics.version ?? -1;
      const status = b?.getState().status ?? null;
      if (v === last && status === lastStatus) return;
      last = v;
      lastStatus = status;
      setRows(readRows(b, target, smoothing));
    }, 250);
    setRows(readRows(b, target, smoothing));
    return () => clearInterval(id);
  }, [b, target, smoothing]);
  return rows;
}

/** The playground takes this slot's optimizer settings and becomes the view. */
export function promote(i: number): void {
  const slot = getCompare().compare.slots[i];
  if (!slot) return;
  commitConfig({ ...useStore.getState().config, optimizer: { ...slot.optimizer } });
  setView('train');
}

export function CompareTable() {
  const slots = useCompare((s) => s.compare.slots);
  const target = useCompare((s) => s.compare.targetLoss);
  const smoothing = useStore((s) => s.ui.smoothing);
  const rows = useRows(target, smoothing);
  const labels = slotLabels(slots);
  const lead = {
    loss: leaders(
      rows.map((r) => r.loss),
      'min',
    ),
    valLoss: leaders(
      rows.map((r) => r.valLoss),
      'min',
    ),
    bestAcc: leaders(
      rows.map((r) => r.bestAcc),
      'max',
    ),
    reached: leaders(
      rows.map((r) => (r.reached >= 0 ? r.reached : Number.NaN)),
      'min',
    ),
  };
  const cell = (col: keyof typeof lead, i: number, text: string) => (
    <td className={lead[col].has(i) ? 'lead' : undefined}>{text}</td>
  );
  return (
    <section className="card" aria-label="Race table" data-testid="compare-table">
      <header className="card-head">
        <h2 title="Where each optimizer stands now; the best value of each column in bold">Race</h2>
        <label className="card-tools">
          steps to loss ≤{' '}
          <input
            type="number"
            className="target-input"
            min={0}
            step="any"
            value={target}
            aria-label="Target training loss"
            onChange={(e) => setTargetLoss(Number(e.target.value))}
          />
        </label>
      </header>
      <table className="race-table">
        <thead>
          <tr>
            <th>optimizer</th>
            <th>step</th>
            <th title="Minibatch loss, smoothed as in the loss chart">loss</th>
            <th title="Loss on the validation set after the last epoch">val. loss</th>
            <th title="Best validation accuracy after any epoch so far">best val. acc.</th>
            <th title="First step whose end-of-epoch training-set loss was at or below the target">reached</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {slots.map((s, i) => {
            const r = rows[i];
            return (
              <tr key={s.color} data-run={i} data-state={r?.state || undefined}>
                <th scope="row">
                  <span className="slot-dot" style={{ background: s.color }} /> {labels[i]}
                  {r?.ended && (
                    <span className={r.state === 'diverged' ? 'run-ended bad' : 'run-ended'} data-testid="run-ended">
                      {r.ended}
                    </span>
                  )}
                </th>
                <td>{r ? r.step : 0}</td>
                {cell('loss', i, r ? fmt(r.loss, 4) : '–')}
                {cell('valLoss', i, r ? fmt(r.valLoss, 4) : '–')}
                {cell('bestAcc', i, r ? pct(r.bestAcc) : '–')}
                {cell('reached', i, r && r.reached >= 0 ? `step ${r.reached}` : '–')}
                <td>
                  <button
                    type="button"
                    className="btn small"
                    title="Use these settings in the playground (it replays this very run: same data, weights and batches)"
                    onClick={() => promote(i)}
                  >
                    Promote
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
