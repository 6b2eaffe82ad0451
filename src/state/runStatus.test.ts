import { describe, expect, it } from 'vitest';
import type { TrainerStatus } from '../../workers/protocol';
import { defaultSweepConfig, sweepConfigs } from '../compare/sweep';
import { DEFAULT_CONFIG } from '../engine/defaults';
import type { TrainConfig } from '../engine/types';
import type { BridgeState } from '../trainer/bridgeState';
import { raceStatus, runFromBridge } from './runStatus';

function status(state: TrainerStatus['runs'][number]['state'], running: boolean): TrainerStatus {
  return {
    generation: 3,
    running,
    speed: 300,
    stepsPerSec: 250,
    backend: {
      kind: 'webgpu',
      name: 'google swiftshader',
      fallbackAdapter: true,
      requested: 'auto',
      reason: 'calibrated',
      message: 'WebGPU: 1.4x faster than the CPU engine on this net',
      calibration: null,
      deviceLosses: 0,
    },
    runs: [
      {
        state,
        step: 412,
        epoch: 23.5,
        statusStep: 412,
        statusEpoch: 23,
        bestValLoss: 0.2,
        bestEpoch: 20,
        planApplied: 0,
      },
    ],
    notice: null,
    regroups: 0,
  };
}
const base: BridgeState = {
  worker: 'ready',
  error: null,
  status: null,
  setup: null,
  configs: [DEFAULT_CONFIG],
  backendChoice: 'auto',
};

describe('status line from the bridge', () => {
  it('words every run state the way the issue asks', () => {
    expect(runFromBridge({ ...base, status: status('diverged', false) }).statusText).toBe('diverged at step 412');
    expect(runFromBridge({ ...base, status: status('early-stopped', false) }).statusText).toBe(
      'early-stopped at epoch 23',
    );
    expect(runFromBridge({ ...base, status: status('paused', false) }).phase).toBe('paused');
    expect(runFromBridge({ ...base, status: status('training', true) }).phase).toBe('training');
  });

  it('names the backend and the settings the worker trains with', () => {
    const r = runFromBridge({ ...base, status: status('training', true) });
    expect(r.backend).toBe('WebGPU · google swiftshader (software)');
    expect(r.backendDetail).toMatch(/faster/);
    expect(r.applied).toBe('SGD · ε 0.1');
    expect(r.step).toBe(412);
  });

  it('reports a failed worker with its error', () => {
    const r = runFromBridge({ ...base, worker: 'failed', error: 'The training worker crashed: boom' });
    expect(r.phase).toBe('error');
    expect(r.statusText).toBe('The training worker crashed: boom');
  });
});

type Info = TrainerStatus['runs'][number];
const info = (state: Info['state'], step: number, statusStep = -1, statusEpoch = -1): Info => ({
  state,
  step,
  epoch: step / 25,
  statusStep,
  statusEpoch,
  bestValLoss: 0.3,
  bestEpoch: 1,
  planApplied: 0,
});
const withOpt = (name: TrainConfig['optimizer']['name'], lr: number): TrainConfig => ({
  ...DEFAULT_CONFIG,
  optimizer: { ...DEFAULT_CONFIG.optimizer, name, lr },
});

describe('status line of a race (compare mode)', () => {
  const race = (running: boolean, runs: Info[]): BridgeState => ({
    ...base,
    configs: runs.map((_, i) => withOpt(i % 2 === 0 ? 'sgd' : 'adam', i % 2 === 0 ? 5 : 0.01)),
    status: { ...status('training', running), runs },
  });

  it("says what is racing, not run 0's optimizer", () => {
    const r = runFromBridge(race(true, [info('training', 40), info('training', 40), info('training', 40)]));
    expect(r.runs).toBe(3);
    expect(r.applied).toBe('3 optimizers');
    expect(r.appliedDetail).toBe('SGD · ε 5, Adam · ε 0.01, SGD · ε 5');
    expect(r.statusText).toBe('training');
  });

  it('keeps training while one racer has diverged, and counts it', () => {
    const r = runFromBridge(race(true, [info('diverged', 19, 19), info('training', 240)]));
    expect(r.phase).toBe('training');
    expect(r.statusText).toBe('training · 1 diverged');
    expect(r.step).toBe(240); // the leading racer's step, not the stopped one's
  });

  it('is paused (and playable) while some racers can go on', () => {
    const r = raceStatus({ running: false, runs: [info('diverged', 19, 19), info('paused', 240)] });
    expect(r.phase).toBe('paused');
    expect(r.statusText).toBe('paused · 1 diverged');
  });

  it('is over when every racer has ended, listing how each ended', () => {
    const r = raceStatus({
      running: false,
      runs: [info('diverged', 19, 19), info('early-stopped', 300, 300, 12), info('finished', 400, 400, 16)],
    });
    expect(r.phase).toBe('finished');
    expect(r.statusText).toBe('race over · 1 diverged, 1 early-stopped, 1 finished');
    expect(raceStatus({ running: false, runs: [info('diverged', 19, 19), info('diverged', 30, 30)] }).phase).toBe(
      'diverged',
    );
  });

  it('a single run keeps the playground wording', () => {
    const r = runFromBridge({ ...base, configs: [withOpt('adam', 0.01)], status: status('diverged', false) });
    expect(r.runs).toBe(1);
    expect(r.applied).toBe('Adam · ε 0.01');
    expect(r.statusText).toBe('diverged at step 412');
  });

  it('a sweep is named by its runs and optimizers, and is "over" once every run ended', () => {
    const configs = sweepConfigs(DEFAULT_CONFIG, defaultSweepConfig());
    const one = status('finished', false).runs[0];
    const runs = configs.map((_, i) => ({ ...one, state: i < 5 ? ('diverged' as const) : ('finished' as const) }));
    const r = runFromBridge({ ...base, configs, status: { ...status('finished', false), runs } });
    expect(r.applied).toBe('24 runs · 3 optimizers');
    expect(r.statusText).toBe('sweep over · 5 diverged, 19 finished');
    // A race of six optimizers is still a race.
    const race = ['sgd', 'momentum', 'adam'].map((name) => ({
      ...DEFAULT_CONFIG,
      optimizer: { ...DEFAULT_CONFIG.optimizer, name },
    }));
    const rr = runFromBridge({
      ...base,
      configs: race as TrainConfig[],
      status: { ...status('finished', false), runs: runs.slice(0, 3) },
    });
    expect(rr.applied).toBe('3 optimizers');
    expect(rr.statusText).toMatch(/^race over/);
  });
});
