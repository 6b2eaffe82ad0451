// What the page sees of one run (its track): status, step, epoch, best epoch, counted as the
// page counts (offsets of earlier backends included), and how a backend's progress report folds
// into it. A session (session.ts) keeps one track per run; the page gets runStatusInfo of each.
//
// Folding a report p (RunProgress) into track t:
//   rows kept = p's rows less those the page already has (RunCollector.resumeStep / resumeEpoch)
//   t.step = p.stepCount, t.epoch = last kept row's epoch          when a step row was kept
//   t.bestEpoch, t.bestValLoss from the last improved epoch row     (train loss when no val split)
//   t.statusStep / statusEpoch set once, when the status leaves 'ok' (epoch -1 for 'diverged')
import type { RunStatus } from '../src/engine';
import type { RunProgress } from './backend';
import type { RunStatusInfo } from './protocol';
import type { RunCollector } from './stream';

/** What the page sees of one run; numbers include the offsets of earlier backends. */
export interface RunTrack {
  status: RunStatus;
  statusStep: number;
  statusEpoch: number;
  step: number;
  epoch: number;
  completedEpochs: number;
  bestEpoch: number;
  bestValLoss: number;
  /** Stopped before a backend change that could not carry its state: the new backend's fresh run must not resume it. */
  frozen: boolean;
}

export function freshTrack(): RunTrack {
  return {
    status: 'ok',
    statusStep: -1,
    statusEpoch: -1,
    step: 0,
    epoch: 0,
    completedEpochs: 0,
    bestEpoch: 0,
    bestValLoss: Number.NaN,
    frozen: false,
  };
}

/**
 * Fold one backend progress report into a run's track and its collector (which drops the rows the
 * page already has); returns the steps taken. nVal = 0: the best loss is the training loss.
 */
export function recordProgress(t: RunTrack, c: RunCollector, p: RunProgress, nVal: number): number {
  if (t.frozen) return 0;
  const kept = c.add(p.steps, p.epochs);
  const n = kept.steps.n;
  if (n > 0) {
    t.step = p.stepCount;
    t.epoch = kept.steps.epoch[n - 1];
  }
  const e = kept.epochs;
  for (let i = 0; i < e.n; i++) {
    t.completedEpochs = e.epoch[i];
    if (e.improved[i]) {
      t.bestEpoch = e.bestEpoch[i];
      t.bestValLoss = nVal > 0 ? e.valLoss[i] : e.trainLoss[i];
    }
  }
  if (p.status === 'ok') {
    t.statusStep = -1;
    t.statusEpoch = -1;
  } else if (t.status === 'ok') {
    t.statusStep = p.statusStep;
    t.statusEpoch = p.status === 'diverged' ? -1 : t.completedEpochs;
  }
  t.status = p.status;
  return p.steps.n;
}

/** The status the page shows for a run with track t (running: the training loop is on). */
export function runStatusInfo(t: RunTrack, running: boolean, planApplied: number): RunStatusInfo {
  const state = t.status === 'ok' && !t.frozen ? (running ? 'training' : 'paused') : t.status;
  return {
    state: state === 'ok' ? 'paused' : state,
    step: t.step,
    epoch: t.epoch,
    statusStep: t.statusStep,
    statusEpoch: t.statusEpoch,
    bestValLoss: t.bestValLoss,
    bestEpoch: t.bestEpoch,
    planApplied,
  };
}
