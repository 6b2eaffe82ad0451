// The run slice's coarse state from the trainer bridge's (pure but for reading whether a branch
// is on: tested without a worker): phase, status text and the backend line for the top bar. One
// run speaks for itself ("diverged at step 812"); a race or a sweep speaks of all its runs ("race
// over · 2 diverged, 4 finished"), with the leading racer's step and epoch.
import type { TrainerStatus } from '../../workers/protocol';
import { MIN_LRS } from '../compare/sweep';
import { OPTIMIZER_LABELS } from '../config/labels';
import type { TrainConfig } from '../engine/types';
import type { BridgeState } from '../trainer/bridgeState';
import { backendLine } from './backendLabel';
import { type RunPhase, type RunSlice, useStore } from './store';

/** "SGD · ε 0.1": what one run is trained with. */
const appliedOf = (c: TrainConfig) => `${OPTIMIZER_LABELS[c.optimizer.name]} · ε ${String(c.optimizer.lr)}`;

/** The run slice for a bridge state (pure: tested without a worker). */
export function runFromBridge(s: BridgeState): Partial<RunSlice> {
  if (s.worker === 'failed')
    return { phase: 'error', statusText: s.error ?? 'the training worker failed', backendChoice: s.backendChoice };
  const st = s.status;
  if (!st) return { phase: 'starting', statusText: 'starting…', backendChoice: s.backendChoice };
  const b = st.backend;
  // Compare mode sends one config per racer: the line then speaks of the race, not of run 0 (a branch is not a race).
  const race = s.configs.length > 1 && !useStore.getState().history.branch;
  const out: Partial<RunSlice> = {
    stepsPerSec: st.stepsPerSec,
    generation: st.generation,
    event: st.notice,
    ...backendLine(b),
    backendChoice: s.backendChoice,
    runs: Math.max(1, s.configs.length),
    applied: race ? raceSize(s.configs) : s.configs[0] ? appliedOf(s.configs[0]) : '',
    appliedDetail: s.configs.map(appliedOf).join(', '),
  };
  const r = st.runs[0];
  if (!r) return { ...out, phase: 'starting', statusText: 'building…' };
  if (race) return { ...out, ...raceStatus(st, isSweep(s.configs) ? 'sweep' : 'race') };
  out.step = r.step;
  out.epoch = r.epoch;
  out.phase = r.state === 'paused' && st.running ? 'training' : r.state;
  out.statusText = statusText(r.state, r.statusStep, r.statusEpoch);
  return out;
}

/** A sweep's configs: one seed, at least MIN_LRS runs per optimizer (a race has at most 12 slots of any kind). */
function isSweep(configs: readonly TrainConfig[]): boolean {
  const seeds = new Set(configs.map((c) => c.model.initSeed)).size;
  const names = new Set(configs.map((c) => c.optimizer.name)).size;
  return seeds === 1 && configs.length / names >= MIN_LRS;
}

/** States a run cannot leave without a reset, in the order the race summary lists them. */
const ENDED = ['diverged', 'early-stopped', 'finished'] as const;

/**
 * "6 optimizers", or with a seed band "4 optimizers × 5 seeds" (the runs differ in model.initSeed),
 * or for a sweep (one seed, at least MIN_LRS runs per optimizer) "24 runs · 3 optimizers".
 */
function raceSize(configs: readonly TrainConfig[]): string {
  const seeds = new Set(configs.map((c) => c.model.initSeed)).size;
  const names = new Set(configs.map((c) => c.optimizer.name)).size;
  if (isSweep(configs)) return `${configs.length} runs · ${names} optimizers`;
  const n = configs.length / seeds;
  return seeds > 1 && Number.isInteger(n) ? `${n} optimizers × ${seeds} seeds` : `${configs.length} optimizers`;
}

/**
 * The status of a race: training while any racer still trains, "race over" once every racer has
 * ended, else paused; followed by how many racers diverged, stopped early or finished (each
 * racer's own state is in the compare table). Step and epoch are the leading racer's.
 */
export function raceStatus(
  st: Pick<TrainerStatus, 'running' | 'runs'>,
  noun: 'race' | 'sweep' = 'race',
): Partial<RunSlice> {
  const runs = st.runs;
  const ended = runs.filter((r) => (ENDED as readonly string[]).includes(r.state));
  const over = ended.length === runs.length;
  const tally = ENDED.map((e) => [e, runs.filter((r) => r.state === e).length] as const)
    .filter(([, n]) => n > 0)
    .map(([e, n]) => `${n} ${e}`);
  const head = st.running ? 'training' : over ? `${noun} over` : 'paused';
  let phase: RunPhase = st.running ? 'training' : 'paused';
  if (!st.running && over) phase = ended.every((r) => r.state === 'diverged') ? 'diverged' : 'finished';
  return {
    phase,
    statusText: tally.length > 0 ? `${head} · ${tally.join(', ')}` : head,
    step: Math.max(...runs.map((r) => r.step)),
    epoch: Math.max(...runs.map((r) => r.epoch)),
  };
}

export function statusText(state: TrainerStatus['runs'][number]['state'], step: number, epoch: number): string {
  switch (state) {
    case 'training':
      return 'training';
    case 'paused':
      return 'paused';
    case 'early-stopped':
      return `early-stopped at epoch ${epoch}`;
    case 'diverged':
      return `diverged at step ${step}`;
    case 'finished':
      return `finished at epoch ${epoch}`;
  }
}
