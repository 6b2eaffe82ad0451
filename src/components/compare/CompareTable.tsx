// The live race table: per optimizer, its step, its current (smoothed minibatch) loss, its last
// validation loss, its best validation accuracy and the step at which its training loss first
// reached the chosen target; the leaders of each column in bold. Each row can be promoted: its
// settings become the playground's, which then replays exactly this run (same data, weights and
// minibatches: the runs are deterministic).
import { useEffect, useState } from 'react';
import type { RunStatusInfo } from '../../../workers/protocol';
import { runOf, type Spread, spreadOf } from '../../compare/bands';
import { slotLabels } from '../../compare/compareSet';
import { bestOf, firstStepAtOrBelow, leaders } from '../../compare/raceStats';
import { commitConfig } from '../../state/actions';
import { getCompare, setTargetLoss, setView, useCompare } from '../../state/compareSlice';
import { statusText } from '../../state/runStatus';
import { useStore } from '../../state/store';
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
  /** With a seed band: the spread over the racer's seeds (bands.ts spreadOf; reached counts only runs that got there). */
  accSpread?: Spread;
  reachedSpread?: Spread;
}

/** "diverged at step 19", "early-stopped at epoch 23", "finished at epoch 60"; '' while the run can go on. */
function endedText(st: RunStatusInfo | undefined): string {
  if (!st || st.state === 'training' || st.state === 'paused') return '';
  return statusText(st.state, st.statusStep, st.statusEpoch);
}

/** A run with no metrics yet. */
function blankRow(st: RunStatusInfo | undefined): Row {
  const nan = Number.NaN;
  return {
    step: st?.step ?? 0,
    loss: nan,
    valLoss: nan,
    bestAcc: nan,
    reached: -1,
    state: st?.state ?? '',
    ended: endedText(st),
  };
}

/**
 * One row per racer: its run's numbers, or with a seed band the mean over its seeds of loss and
 * validation loss, the spread of best accuracy and of steps-to-target, and how many seeds ended.
 */
function readRows(b: RunBuffers | null, target: number, smoothing: number, S: number, seeds: number): Row[] {
  const runs = readRunRows(b, target, smoothing);
  if (seeds === 1) return runs;
  return Array.from({ length: S }, (_, i) => {
    const m = Array.from({ length: seeds }, (_, k) => runs[runOf(i, k, S)]).filter((r): r is Row => !!r);
    if (m.length === 0) return blankRow(undefined);
    const avg = (f: (r: Row) => number) => spreadOf(m.map(f)).mean;
    const ended = m.filter((r) => r.ended);
    const diverged = m.filter((r) => r.state === 'diverged').length;
    const reachedSpread = spreadOf(m.map((r) => (r.reached >= 0 ? r.reached : Number.NaN)));
    reachedSpread.of = seeds;
    return {
      step: m[0].step,
      loss: avg((r) => r.loss),
      valLoss: avg((r) => r.valLoss),
      bestAcc: avg((r) => r.bestAcc),
      reached: Number.isFinite(reachedSpread.mean) ? reachedSpread.mean : -1,
      state: diverged > 0 ? 'diverged' : m[0].state,
      ended:
        ended.length === 0
          ? ''
          : diverged > 0
            ? `${diverged} of ${seeds} seeds diverged`
            : `${ended.length} of ${seeds} seeds ended`,
      accSpread: spreadOf(m.map((r) => r.bestAcc)),
      reachedSpread,
    };
  });
}

/** One row per run. */
function readRunRows(b: RunBuffers | null, target: number, smoothing: number): Row[] {
  const runs = b?.metrics.runs ?? [];
  const status = b?.getState().status?.runs ?? [];
  return runs.map((h, r) => {
    const st = status[r];
    if (!h || h.steps.size === 0) return blankRow(st);
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
function useRows(target: number, smoothing: number, S: number, seeds: number): Row[] {
  const b = useRunBuffers();
  const [rows, setRows] = useState<Row[]>(() => readRows(b, target, smoothing, S, seeds));
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
      setRows(readRows(b, target, smoothing, S, seeds));
    }, 250);
    setRows(readRows(b, target, smoothing, S, seeds));
    return () => clearInterval(id);
  }, [b, target, smoothing, S, seeds]);
  return rows;
}

/** The playground takes this slot's optimizer settings and becomes the view. */
export function promote(i: number): void {
  const slot = getCompare().compare.slots[i];
  if (!slot) return;
  commitConfig({ ...useStore.getState().config, optimizer: { ...slot.optimizer } });
  setView('train');
}

/** "93.1%", or over a seed band "93.1% ± 0.8" (mean ± sample sd, in points). */
function accText(r: Row): string {
  const s = r.accSpread;
  if (!s) return pct(r.bestAcc);
  return s.n === 0 ? '–' : `${pct(s.mean)} ± ${(s.sd * 100).toFixed(1)}`;
}

/** "step 120", or over a seed band "step 120 ± 14" and "(3/5)" when not every seed got there. */
function reachedText(r: Row): string {
  const s = r.reachedSpread;
  if (!s) return r.reached >= 0 ? `step ${r.reached}` : '–';
  if (s.n === 0) return `– (0/${s.of})`;
  const base = `step ${Math.round(s.mean)} ± ${Math.round(s.sd)}`;
  return s.n < s.of ? `${base} (${s.n}/${s.of})` : base;
}

const rangeTitle = (s: Spread, f: (v: number) => string): string =>
  s.n === 0 ? `no seed of ${s.of}` : `mean ± sample sd over ${s.n} of ${s.of} seeds; min ${f(s.min)}, max ${f(s.max)}`;

export function CompareTable() {
  const slots = useCompare((s) => s.compare.slots);
  const target = useCompare((s) => s.compare.targetLoss);
  const smoothing = useStore((s) => s.ui.smoothing);
  const seeds = useCompare((s) => s.compare.seeds);
  const rows = useRows(target, smoothing, slots.length, seeds);
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
  const cell = (col: keyof typeof lead, i: number, text: string, title?: string) => (
    <td className={lead[col].has(i) ? 'lead' : undefined} title={title}>
      {text}
    </td>
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
                {cell('bestAcc', i, r ? accText(r) : '–', r?.accSpread && rangeTitle(r.accSpread, pct))}
                {cell('reached', i, r ? reachedText(r) : '–', r?.reachedSpread && rangeTitle(r.reachedSpread, String))}
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
