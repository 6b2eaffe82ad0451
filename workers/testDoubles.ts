// Test doubles for the worker's Node tests (not used by the app): a backend that behaves like
// a WebGPU backend from the worker's point of view (kind 'webgpu', possibly a fallback adapter,
// a device that can be lost) while computing with the engine, so the selection and recovery
// logic can be tested without a GPU. The real WebGPU backend is tested in the browser.
import type { Dataset } from '../src/engine';
import { gpuRefusal } from '../src/engine/optimizers/registry';
import type { RunSnapshot } from '../src/engine/snapshot';
import type { TrainConfig } from '../src/engine/types';
import type { BackendInfo, RunProgress } from './backend';
import { CpuBackend } from './cpu/backend';
import { wasmOps } from './cpu/wasmLoad';
import type { TrainerUpdate } from './protocol';
import { TrainerService } from './service';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DeviceDouble extends CpuBackend {
  override readonly info: BackendInfo;
  private lost = false;

  /** delayMs: added to every train() call (a slow adapter); kind 'cpu' makes a deliberately slow CPU. */
  constructor(
    private readonly delayMs = 0,
    fallbackAdapter = true,
    kind: 'webgpu' | 'cpu' = 'webgpu',
  ) {
    super();
    this.info =
      kind === 'webgpu'
        ? { kind, name: 'test adapter', fallbackAdapter }
        : { kind, name: 'slowed CPU engine', fallbackAdapter: false };
  }

  protected override named(): void {}

  private readonly lostListeners: ((reason: string) => void)[] = [];

  /** The same hook names the real GpuBackend exposes (testLoseDevice(), proactive recovery). */
  simulateDeviceLoss(): void {
    this.lost = true;
    // Like device.lost, the notification comes asynchronously.
    setTimeout(() => {
      for (const f of this.lostListeners) f('GPU device lost (destroyed)');
    }, 0);
  }

  onDeviceLost(f: (reason: string) => void): void {
    this.lostListeners.push(f);
  }

  private check(): void {
    if (this.lost) throw new Error('GPU device lost (destroyed)');
  }

  /** Like the real GpuBackend (gpu/optimizers.ts initialState), it refuses a rule it lacks. */
  private refuse(cfgs: TrainConfig[]): void {
    const why = this.info.kind === 'webgpu' ? cfgs.map((c) => gpuRefusal(c.optimizer.name)).find(Boolean) : null;
    if (why) throw new Error(why);
  }

  override async build(cfgs: TrainConfig[], dataset: Dataset, init: Float32Array): Promise<void> {
    this.refuse(cfgs);
    return super.build(cfgs, dataset, init);
  }

  override setHyper(run: number, cfg: TrainConfig): void {
    this.refuse([cfg]);
    super.setHyper(run, cfg);
  }

  override async train(n: number): Promise<RunProgress[]> {
    this.check();
    if (this.delayMs > 0) await sleep(this.delayMs);
    this.check();
    return super.train(n);
  }

  override async readParams(run: number): Promise<Float32Array> {
    this.check();
    return super.readParams(run);
  }

  override async exportState(run: number): Promise<RunSnapshot> {
    this.check();
    return super.exportState(run);
  }

  override async predict(run: number, x: Float32Array, n: number): Promise<Float32Array> {
    this.check();
    return super.predict(run, x, n);
  }
}

/** A service over the CPU engine, with an optional GPU double factory, and every update it sends. */
export function serviceWithLog(gpu: (() => Promise<CpuBackend>) | null = null) {
  const updates: TrainerUpdate[] = [];
  const svc = new TrainerService({ factories: { cpu: (o) => new CpuBackend(o), gpu } });
  void svc.subscribe((u) => {
    updates.push(u);
  });
  return { svc, updates };
}

/** Per-step losses of run r over all updates (optionally from a generation on). */
export function lossesOf(updates: TrainerUpdate[], r = 0, generation?: number): number[] {
  const out: number[] = [];
  for (const u of updates) {
    if (generation !== undefined && u.generation !== generation) continue;
    for (const m of u.metrics) if (m.run === r) out.push(...m.loss);
  }
  return out;
}

export function stepsOf(updates: TrainerUpdate[], r = 0): number[] {
  const out: number[] = [];
  for (const u of updates) for (const m of u.metrics) if (m.run === r) out.push(...m.step);
  return out;
}

export async function waitFor(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const t0 = performance.now();
  while (!pred()) {
    if (performance.now() - t0 > timeoutMs) throw new Error('waitFor: timed out');
    await sleep(10);
  }
}

export { sleep };

/** The dense ops the CPU backend trains with here (WebAssembly SIMD in Node 20), for reference Runs. */
export async function backendOps() {
  return (await wasmOps())?.ops;
}
