// Surviving a lost GPU device. The session's last checkpoint (each run's whole state, read back
// from the GPU every CHECKPOINT_MS: weights, optimizer memory and t, batch-norm statistics, loop
// and schedule state) moves to a re-created WebGPU device, or to the CPU engine when no device can
// be had or losses keep coming; the steps since the checkpoint are re-done there at once without
// being drawn twice (Session.catchUp), so the charts neither rewind nor jump, and training
// continues; the returned sentence tells the page.
import type { TrainingBackend } from './backend';
import type { BackendStatus } from './protocol';
import { type BackendFactories, cpuFallbackMessage } from './select';
import type { Session } from './session';

/** More than this many losses within LOSS_WINDOW_MS: stop re-creating the device, move to the CPU. */
export const MAX_RECREATES = 3;
export const LOSS_WINDOW_MS = 30_000;

export async function recoverBackend(s: Session, factories: BackendFactories, why: string): Promise<string> {
  const t = performance.now();
  s.lossTimes = s.lossTimes.filter((x) => t - x < LOSS_WINDOW_MS);
  s.lossTimes.push(t);
  const losses = s.backendStatus.deviceLosses + 1;
  const lostAt = s.step;
  const from = s.checkpointStep;
  const states = s.checkpoint.slice();
  const base = { requested: s.backendStatus.requested, calibration: s.backendStatus.calibration, deviceLosses: losses };

  let next: TrainingBackend | null = null;
  let status: BackendStatus | null = null;
  let gpuError = why;
  if (factories.gpu && s.lossTimes.length <= MAX_RECREATES) {
    try {
      next = await factories.gpu();
      await next.build(s.configs, s.dataset, s.init);
      status = {
        ...next.info,
        ...base,
        reason: s.backendStatus.reason,
        message: `WebGPU (${next.info.name}): device re-created after a loss at step ${lostAt}.`,
      };
    } catch (e) {
      next?.dispose();
      next = null;
      gpuError = e instanceof Error ? e.message : String(e);
    }
  }
  if (!next) {
    next = factories.cpu();
    await next.build(s.configs, s.dataset, s.init);
    status = { ...next.info, ...base, reason: 'device-lost', message: cpuFallbackMessage('device-lost', gpuError) };
  }
  await s.migrate(next, status!, states);
  const redo = s.behind;
  try {
    await s.catchUp();
  } catch {
    // Lost again already: the next training call recovers once more, the same rows still undrawn.
  }
  const where = next.info.kind === 'webgpu' ? 'on a re-created GPU device' : 'on the CPU engine';
  const redone = redo > 0 ? ` (the ${redo} steps since then re-done, not drawn twice)` : '';
  return `The GPU device was lost at step ${lostAt} (${why}); training continues ${where} from its state at step ${from}${redone}.`;
}
