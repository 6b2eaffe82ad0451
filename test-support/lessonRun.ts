// A lesson demo trained headlessly as the page trains it: the lesson runner (workers/lessons/runner.ts)
// over the worker's own service (TrainerService, the object trainer.worker.ts exposes), here in
// process on the CPU engine (WebAssembly SIMD kernels, as in the browser).
import { CpuBackend } from '../workers/cpu/backend';
import { type LessonResult, runLesson } from '../workers/lessons/runner';
import type { LessonJob } from '../workers/protocol';
import { TrainerService } from '../workers/service';

/** Train every preset of `job` to its end (seed: replaces every preset's seed). */
export async function runLessonHeadless(job: LessonJob, seed?: number): Promise<LessonResult> {
  const svc = new TrainerService({ factories: { cpu: () => new CpuBackend(), gpu: null } });
  try {
    return await runLesson(svc, job, { subscribe: (fn) => svc.subscribe(fn), seed, backend: 'cpu', sliceMs: 1e9 });
  } finally {
    await svc.dispose();
  }
}
