// A lesson demo trained headlessly as the page trains it: the lesson runner (workers/lessons/runner.ts)
// over the worker's own service (TrainerService, the object trainer.worker.ts exposes), here in
// process on the CPU engine (WebAssembly SIMD kernels, as in the browser).
//
// `perturb` (a seed k) moves the run's numbers at float32 level: every initial weight w_i becomes
// fround(w_i (1 + 2^-22 u_i)), u_i = ±1 drawn from Rng(k) by weight index i (a few ulp, as a
// float32-accurate tanh or another summation order moves them). The same u_i for every run of a
// set, so runs that start alike still start alike ("identical until the switch"). Every lesson's
// demo trains from initial weights, so this reaches every claim; a claim that flips under it held
// by a hair.
import type { Dataset } from '../src/engine';
import { Rng } from '../src/engine/rng';
import type { TrainConfig } from '../src/engine/types';
import { type Inits, initOf } from '../workers/backend';
import { CpuBackend } from '../workers/cpu/backend';
import { type LessonResult, runLesson } from '../workers/lessons/runner';
import type { LessonJob } from '../workers/protocol';
import { TrainerService } from '../workers/service';

/** The seeds each lesson's claim is checked for (undefined: the lesson's own). */
export const LESSON_SEEDS: Record<string, (number | undefined)[]> = {
  softmax: [undefined, 2, 3],
  'early-stopping': [undefined, 1, 2],
  augmentation: [undefined, 1, 2],
  'augmentation-digits': [undefined, 2],
  'l2-l1': [undefined, 1, 2],
  dropout: [undefined, 4],
  annealing: [undefined, 11, 12, 20, 31], // 20, 31: a too-fast smooth decay froze on the 0.29 plateau there
  momentum: [undefined, 11, 12],
  adaptive: [undefined, 1, 3],
  normalization: [undefined, 2],
  'update-ratio': [undefined, 11],
  shuffle: [undefined, 3, 5],
  'momentum-off': [undefined, 11, 12],
  'lower-regularization': [undefined, 11, 12],
  'batch-norm': [undefined, 11],
  lion: [undefined, 5],
  lamb: [undefined, 11],
  muon: [undefined, 3, 4],
  'schedule-free': [undefined, 11, 12],
};

/** w (1 + 2^-22 u), u = ±1 from Rng(k) by index, rounded to float32. */
export function perturbWeights(w: Float32Array, k: number): Float32Array {
  const rng = new Rng(k);
  return w.map((x) => Math.fround(x * (1 + (rng.nextU32() & 1 ? 2 ** -22 : -(2 ** -22)))));
}

/** The CPU engine with its initial weights perturbed (perturbWeights, seed k). */
class PerturbedCpuBackend extends CpuBackend {
  constructor(private readonly k: number) {
    super();
  }
  override build(cfgs: TrainConfig[], dataset: Dataset, init: Inits): Promise<void> {
    const moved =
      init instanceof Float32Array
        ? perturbWeights(init, this.k)
        : cfgs.map((_, r) => perturbWeights(initOf(init, r), this.k));
    return super.build(cfgs, dataset, moved);
  }
}

/** Train every preset of `job` to its end (seed: replaces every preset's seed; perturb: see above). */
export async function runLessonHeadless(job: LessonJob, seed?: number, perturb?: number): Promise<LessonResult> {
  const cpu = () => (perturb === undefined ? new CpuBackend() : new PerturbedCpuBackend(perturb));
  const svc = new TrainerService({ factories: { cpu, gpu: null } });
  try {
    return await runLesson(svc, job, { subscribe: (fn) => svc.subscribe(fn), seed, backend: 'cpu', sliceMs: 1e9 });
  } finally {
    await svc.dispose();
  }
}
