// The race's overlaid charts: loss (minibatch loss smoothed as in the playground, validation
// loss per epoch), accuracy (validation and training per epoch) and the update-to-weight ratio
// (geometric mean over layers, on the lecture's log axis with the healthy 1e-3 band), and the
// learning rate each run used (a lesson demo's schedules). `testId` names a chart where a page
// shows it twice or under its own name (a lesson demo).
import type { RunHistory } from '../../trainer/metricsBuffer';
import { RATIO_BAND } from '../charts/LayerCharts';
import { debiasedEma } from '../charts/smoothing';
import { type RunLine, RunsChart, runXs } from './RunsChart';

/**
 * A reused column of at least n values for one curve of one run (the charts redraw ~20 times a
 * second: no new arrays per redraw). Valid until that curve of that run is drawn again.
 */
const scratch = new WeakMap<RunHistory, Map<string, Float64Array>>();
function buf(h: RunHistory, key: string, n: number): Float64Array {
  let m = scratch.get(h);
  if (!m) scratch.set(h, (m = new Map()));
  let a = m.get(key);
  if (!a || a.length < n) m.set(key, (a = new Float64Array(Math.max(n, h.steps.capacity))));
  return a.subarray(0, n);
}

function lossLines(h: RunHistory, axis: 'steps' | 'epochs', smoothing: number): RunLine[] {
  const x = runXs(h, axis);
  const loss = h.step('loss');
  return [
    { xs: x.step, ys: debiasedEma(loss, smoothing, buf(h, 'loss', loss.length)), width: 1.8, readout: 'train' },
    { xs: x.epoch, ys: h.epoch('valLoss'), width: 1.4, dash: [5, 3] },
  ];
}

function accuracyLines(h: RunHistory, axis: 'steps' | 'epochs'): RunLine[] {
  const x = runXs(h, axis);
  return [
    { xs: x.epoch, ys: h.epoch('valAcc'), width: 1.8, readout: 'val' },
    { xs: x.epoch, ys: h.epoch('trainAcc'), width: 1.2, dash: [5, 3], alpha: 0.8 },
  ];
}

/** Geometric mean over layers of ||dW||/||W|| per step, smoothed in log space. */
function ratioLines(h: RunHistory, axis: 'steps' | 'epochs', smoothing: number): RunLine[] {
  const x = runXs(h, axis);
  const n = h.steps.size;
  const logMean = buf(h, 'logRatio', n).fill(0);
  for (let l = 0; l < h.layers; l++) {
    const r = h.layer('updateRatio', l);
    for (let i = 0; i < n; i++) logMean[i] += Math.log(r[i]) / h.layers;
  }
  const ratio = debiasedEma(logMean, smoothing, buf(h, 'ratio', n));
  for (let i = 0; i < n; i++) ratio[i] = Math.exp(ratio[i]);
  return [{ xs: x.step, ys: ratio, width: 1.8, readout: 'ratio' }];
}

function lrLines(h: RunHistory, axis: 'steps' | 'epochs'): RunLine[] {
  return [{ xs: runXs(h, axis).step, ys: h.step('lr'), width: 1.8, readout: 'lr' }];
}

const KEY_LOSS = <>solid: train (batch, smoothed) · dashed: validation</>;
const KEY_ACC = <>solid: validation · dashed: train</>;

export function CompareLossChart({ testId = 'compare-loss' }: { testId?: string }) {
  return (
    <RunsChart
      title="Loss"
      testId={testId}
      help="Each optimizer's minibatch loss (smoothed) and its validation loss after each epoch: same data, same initial weights, same minibatches."
      lines={lossLines}
      styleKey={KEY_LOSS}
      height={230}
    />
  );
}

export function CompareAccuracyChart({ testId = 'compare-accuracy' }: { testId?: string }) {
  return (
    <RunsChart
      title="Accuracy"
      testId={testId}
      help="Validation (solid) and training (dashed) accuracy after each epoch."
      lines={accuracyLines}
      yDomain={[0, 1]}
      styleKey={KEY_ACC}
    />
  );
}

export function CompareRatioChart({ testId = 'compare-ratio' }: { testId?: string }) {
  return (
    <RunsChart
      title="Update / weight ratio"
      testId={testId}
      help="‖ΔW‖/‖W‖ per step (geometric mean over layers). The lecture's rule of thumb: around 10⁻³ (shaded)."
      lines={ratioLines}
      log
      band={RATIO_BAND}
    />
  );
}

export function CompareLrChart({ testId = 'compare-lr' }: { testId?: string }) {
  return (
    <RunsChart
      title="Learning rate"
      testId={testId}
      help="The learning rate ε_t each run used at each step (its schedule, and any plateau reduction)."
      lines={lrLines}
      height={170}
    />
  );
}
