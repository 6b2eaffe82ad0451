// The real trainer worker (workers/trainer.worker.ts: TrainerService, the real WebGPU backend, the
// real 'auto' probe and whole-state move) with one change: its calibration cache already holds
// "WebGPU measured faster" for every network shape, as after an earlier measurement on a machine
// whose GPU wins. So 'auto' starts the run on the CPU engine at once, builds the GPU beside it and
// moves the running run there with its whole state: the path a 2-core machine with only SwiftShader
// never takes by itself (SwiftShader is measured 10-20x slower here). The measuring and the decision
// are tested in Node (workers/select.test.ts, migrate.test.ts); this tests the move in a browser.
import * as Comlink from 'comlink';
import { TrainerService } from '../../workers/service';
import { workerServiceEnv } from '../../workers/workerEnv';

/** What the cache answers for a shape it has not measured: the GPU won (figures for the status line). */
const DECIDED = {
  kind: 'webgpu' as const,
  calibration: { cpuStepsPerSec: 100, gpuStepsPerSec: 400, ms: 0 },
  gpu: { kind: 'webgpu' as const, name: 'a GPU measured earlier (test)', fallbackAdapter: false },
};

class GpuDecidedService extends TrainerService {
  constructor(...args: ConstructorParameters<typeof TrainerService>) {
    super(...args);
    const cache = this.calibrations;
    const get = cache.get.bind(cache);
    cache.get = (key: string) => get(key) ?? DECIDED;
  }
}

Comlink.expose(new GpuDecidedService(workerServiceEnv()));
