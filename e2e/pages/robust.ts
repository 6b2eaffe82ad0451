// Harness for e2e/robust-faults.spec.ts: long runs and injected faults in headless Chromium.
//  - gpuSoak: the WebGPU backend driven directly on the page for thousands of steps, with the
//    visual requests the worker makes (boundary, evaluation, loss surface), sampling the
//    backend's GPU buffer counters and the JS heap (performance.memory, after gc() when exposed);
//  - the real training worker through the page-side bridge (as the app uses it), with the test
//    hooks testLoseDevice / testCrash, lossAt for loss-surface evaluation, and the bridge state.
import { defaultCompareConfig, slotConfig } from '../../src/compare/compareSet';
import { buildLayout, defaultConfig, initParams, makeDataset, Rng, streamSeed } from '../../src/engine';
import type { TrainConfig } from '../../src/engine/types';
import { TrainerBridge } from '../../src/trainer/bridge';
import { GpuBackend } from '../../workers/gpu/backend';
import type { BackendChoice } from '../../workers/protocol';

/** XOR with Adam (one run), or the default six-optimizer compare set on XOR. */
function configs(runs: number): TrainConfig[] {
  const base = defaultConfig();
  base.data.name = 'xor';
  base.data.samples = 300;
  base.optimizer.name = 'adam';
  base.optimizer.lr = 0.02;
  if (runs === 1) return [base];
  return defaultCompareConfig()
    .slots.slice(0, runs)
    .map((s) => slotConfig(base, s));
}

/** JS heap in bytes after a full GC when Chromium exposes gc (--js-flags=--expose-gc), else as is. */
function heap(): number {
  const w = window as unknown as { gc?: () => void };
  w.gc?.();
  const m = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return m ? m.usedJSHeapSize : Number.NaN;
}

interface GpuSample {
  step: number;
  buffers: number;
  bytes: number;
  heap: number;
}

async function gpuSoak(steps: number, runs: number, every: number) {
  const cfgs = configs(runs);
  const c = cfgs[0];
  const ds = makeDataset(c.data, c.seed);
  const layout = buildLayout(c.model, ds.inputDim, ds.outputDim);
  const init = initParams(layout, c.model, new Rng(streamSeed(c.seed, 'init')));
  const b = await GpuBackend.create();
  await b.build(cfgs, ds, init);
  // The boundary grid and loss-surface probes the worker's visuals and trajectory views request.
  const res = 50;
  const grid = new Float32Array(res * res * 2);
  for (let j = 0; j < res; j++)
    for (let i = 0; i < res; i++) {
      grid[2 * (j * res + i)] = -1.4 + (2.8 * (i + 0.5)) / res;
      grid[2 * (j * res + i) + 1] = -1.4 + (2.8 * (j + 0.5)) / res;
    }
  const samples: GpuSample[] = [];
  let step = 0;
  let statuses: string[] = cfgs.map(() => 'ok');
  const sample = () => {
    const k = b.counters();
    samples.push({ step, buffers: k.buffers, bytes: k.bytes, heap: heap() });
  };
  const t0 = performance.now();
  sample();
  while (step < steps) {
    const progress = await b.train(Math.min(every, steps - step));
    step = Math.min(...progress.map((p) => p.stepCount));
    statuses = progress.map((p) => p.status);
    if (statuses.some((st) => st !== 'ok')) break;
    await b.predict(0, grid, res * res);
    await b.evaluate(runs - 1, 'val');
    const theta = await b.readParams(0);
    await b.lossAt(
      Array.from({ length: 8 }, (_, j) => theta.map((v) => v * (1 + 0.01 * j))),
      'train',
    );
    sample();
  }
  const ms = performance.now() - t0;
  b.dispose();
  return { info: b.info, ms, samples, statuses };
}

// ------------------------------------------------------------------ the real worker

let bridge: TrainerBridge | null = null;
let failedAt: number | null = null;
let updates = 0;

function br(): TrainerBridge {
  if (!bridge) throw new Error('robust harness: init() first');
  return bridge;
}

const harness = {
  gpuSoak,
  heap,
  async init(backend: BackendChoice) {
    bridge?.dispose();
    failedAt = null;
    updates = 0;
    bridge = new TrainerBridge({ backend });
    bridge.subscribe((s) => {
      updates++;
      if (s.worker === 'failed' && failedAt === null) failedAt = performance.now();
    });
    return true;
  },
  async create(runs: number) {
    const r = await br().create(configs(runs));
    if (!r.ok) throw new Error(r.message);
    await br().setVisuals({ boundary: true, histograms: true, weights: true, intervalMs: 250 });
    return r.value.backend;
  },
  start: () => br().start(),
  pause: () => br().pause(),
  setBackend: (c: BackendChoice) => br().setBackend(c),
  loseDevice: () => br().testLoseDevice(),
  crash: async () => {
    await br().testCrash();
    return performance.now();
  },
  /** Loss-surface probe: the data loss at k scaled copies of run 0's weights (null when there are no runs). */
  async lossAt(k: number) {
    const theta = await br().getParams(0);
    if (!theta) return null;
    const thetas = new Float32Array(k * theta.length);
    for (let j = 0; j < k; j++)
      thetas.set(
        theta.map((v) => v * (0.5 + j / k)),
        j * theta.length,
      );
    const out = await br().lossAt(thetas, k, 'train');
    return out ? Array.from(out) : null;
  },
  restart: async () => {
    failedAt = null;
    const r = await br().restart();
    return r?.ok ? r.value : null;
  },
  /** The coarse state, the page's chart history and the heap, as a test inspects them. */
  snapshot() {
    const b = br();
    const st = b.getState();
    const h = b.metrics.runs.map((r) => ({
      total: r?.steps.total ?? 0,
      held: r?.steps.size ?? 0,
      capacity: r?.steps.capacity ?? 0,
      recentLoss: r ? mean(Array.from(r.step('loss')).slice(-10)) : Number.NaN,
    }));
    return {
      worker: st.worker,
      error: st.error,
      status: st.status,
      configs: st.configs.length,
      history: h,
      failedAt,
      updates,
    };
  },
  now: () => performance.now(),
};

function mean(xs: number[]): number {
  return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
}

declare global {
  interface Window {
    robust: typeof harness;
  }
}
window.robust = harness;
document.body.dataset.ready = '1';
