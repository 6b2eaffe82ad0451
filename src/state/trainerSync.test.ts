import { describe, expect, it } from 'vitest';
import type { TrainerStatus } from '../../workers/protocol';
import { DEFAULT_CONFIG } from '../engine/defaults';
import type { BridgeState } from '../trainer/bridge';
import { runFromBridge } from './trainerSync';

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
    runs: [{ state, step: 412, epoch: 23.5, statusStep: 412, statusEpoch: 23, bestValLoss: 0.2, bestEpoch: 20 }],
    notice: null,
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
