// Long runs in Node: the worker's service over the CPU engine, trained by its own paced loop
// (start(), as the page drives it), every update fed into the page's ring buffers, and the JS
// heap measured after a full garbage collection at regular step intervals. "Flat after warm-up"
// is judged on those numbers: the heap at the end against the heap after the warm-up.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { TrainConfig } from '../src/engine/types';
import { MetricsBuffer } from '../src/trainer/metricsBuffer';
import { CpuBackend } from '../workers/cpu/backend';
import type { TrainerUpdate } from '../workers/protocol';
import { TrainerService } from '../workers/service';

/** A full GC, exposed at run time (node --expose-gc is not needed). */
export function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

export interface SoakSample {
  step: number;
  /** process.memoryUsage().heapUsed after a full GC, bytes. */
  heapUsed: number;
  /** Points held by the page-side step series of run 0 (bounded by its capacity). */
  chartPoints: number;
}

export interface SoakResult {
  steps: number;
  runs: number;
  ms: number;
  samples: SoakSample[];
  /** Samples taken at or after the warm-up step: the ones "flat" is judged on. */
  warm: SoakSample[];
  /** Steps the page's ring buffer saw in total, and its capacity. */
  chartTotal: number;
  chartCapacity: number;
  updates: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Train `cfgs` (one run, or a compare set) for `steps` steps in the service's paced loop at full
 * speed, sampling the heap every `every` steps; the first `warmup` steps are excluded from "warm".
 */
export async function cpuSoak(cfgs: TrainConfig[], steps: number, every: number, warmup: number): Promise<SoakResult> {
  const gc = fullGc();
  const svc = new TrainerService({ factories: { cpu: () => new CpuBackend(), gpu: null } });
  const metrics = new MetricsBuffer();
  let updates = 0;
  let step = 0;
  await svc.subscribe((u: TrainerUpdate) => {
    updates++;
    metrics.append(u.generation, u.status.runs.length, u.metrics);
    step = Math.max(step, ...u.status.runs.map((r) => r.step));
  });
  const r = await svc.create(cfgs, { backend: 'cpu' });
  if (!r.ok) throw new Error(r.message);
  await svc.setVisuals({ boundary: true, histograms: true, weights: true, intervalMs: 100 });
  await svc.setSpeed('max');
  const samples: SoakSample[] = [];
  const sample = () => {
    gc();
    samples.push({
      step,
      heapUsed: process.memoryUsage().heapUsed,
      chartPoints: metrics.runs[0]?.steps.size ?? 0,
    });
  };
  const t0 = performance.now();
  sample();
  await svc.start();
  let next = every;
  while (step < steps) {
    await sleep(5);
    if (step >= next) {
      await svc.pause();
      sample();
      next += every;
      if (step < steps) await svc.start();
    }
    const st = await svc.getStatus();
    if (!st.running && step < steps)
      throw new Error(`soak: training stopped at step ${step} (${st.notice ?? st.runs[0].state})`);
  }
  await svc.pause();
  sample();
  const ms = performance.now() - t0;
  const h = metrics.runs[0];
  await svc.dispose();
  return {
    steps: step,
    runs: cfgs.length,
    ms,
    samples,
    warm: samples.filter((s) => s.step >= warmup),
    chartTotal: h?.steps.total ?? 0,
    chartCapacity: h?.steps.capacity ?? 0,
    updates,
  };
}

/** Growth of the heap over the warm samples: last minus first, bytes. */
export function warmGrowth(r: SoakResult): number {
  return r.warm[r.warm.length - 1].heapUsed - r.warm[0].heapUsed;
}

export const mib = (b: number) => Math.round((b / 2 ** 20) * 100) / 100;
