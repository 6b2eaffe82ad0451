// "Play to first step drawn", through the app's own path: the training worker behind the page's
// bridge (src/trainer/bridge.ts), backend 'auto', the workload as the app's config (a 2D set for
// the 2-16-16-2 workloads, the digits for the 784-wide ones: the app's data, not the synthetic
// set of the other rows). Timed from the Play call to the first animation frame after the first
// metrics update with a step reached the page; the build before Play (create) is timed apart.
// The target's "one CPU step" is measured in the same page afterwards (descentImpl's CPU engine).
import { defaultConfig } from '../src/engine/defaults';
import type { TrainConfig } from '../src/engine/types';
import { TrainerBridge } from '../src/trainer/bridge';
import { descentTrain } from './descentImpl';
import { OPT_HYPER, type PlayResult, type Workload } from './tasks';

function configs(w: Workload): TrainConfig[] {
  return w.optimizers.map((name) => {
    const c = defaultConfig();
    const digits = w.widths[0] === 784;
    c.data.name = digits ? 'digits' : 'spiral';
    c.data.samples = digits ? 3000 : 2000; // digits: 2,100 train + 900 validation of the 5,000 + 1,000 shipped
    c.model.hidden = w.widths.slice(1, -1).map((units) => ({
      units,
      activation: w.hiddenActivation,
      dropout: 0,
      batchNorm: false,
    }));
    c.batchSize = w.batch;
    c.optimizer = { ...c.optimizer, name, lr: OPT_HYPER.lr[name] };
    return c;
  });
}

const frame = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));

export async function playFirstStep(w: Workload, notes: string[], cpu: string): Promise<PlayResult> {
  const bridge = new TrainerBridge({ backend: 'auto' });
  try {
    const digitsUrl = new URL('data/digits.bin', document.baseURI).href;
    const t0 = performance.now();
    const r = await bridge.create(configs(w), { digitsUrl });
    if (!r.ok) throw new Error(`create refused: ${r.message}`);
    const createMs = performance.now() - t0;
    const first = new Promise<number>((resolve) => {
      const off = bridge.subscribe((s) => {
        if ((s.status?.runs[0]?.step ?? 0) >= 1) {
          off();
          void frame().then(resolve);
        }
      });
    });
    const tPlay = performance.now();
    await bridge.start();
    const drawn = await first;
    await bridge.pause();
    const backend = bridge.getState().status?.backend;
    notes.push(`play: started on ${backend?.name ?? '?'} (${backend?.reason ?? '?'}); data ${configs(w)[0].data.name}`);
    // One CPU step of this workload, in this page (the engine as the descent-cpu rows run it).
    const c = await descentTrain(false, w, 200, 600, [], cpu);
    return {
      createMs,
      playToFirstStepMs: drawn - tPlay,
      cpuStepMs: 1000 / c.stepsPerSec,
      backend: backend?.kind ?? 'cpu',
    };
  } finally {
    bridge.dispose();
  }
}
