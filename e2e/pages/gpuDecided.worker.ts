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

  /**
   * The move also waits until the run has trained on the CPU (at most 30 s), as on a machine whose
   * GPU build takes longer than the page's Play (1.5-6 s of compiling on SwiftShader): pipelines an
   * earlier test left in Chromium's cache can make the build quicker than Playwright's next call,
   * and a run moved at step 0, before Play, is not the running run this page tests.
   */
  protected override firstStepShown(): Promise<void> {
    const t0 = performance.now();
    return super.firstStepShown().then(
      () =>
        new Promise<void>((resolve) => {
          const check = () => {
            if ((this.session?.step ?? 0) > 0 || performance.now() - t0 > 30_000) resolve();
            else setTimeout(check, 4);
          };
          check();
        }),
    );
  }
}

Comlink.expose(new GpuDecidedService(workerServiceEnv()));
