// Harness for e2e/worker.spec.ts: the real trainer worker through the page-side bridge, as the
// app uses it, plus a long-task observer on the main thread. Everything is on window.harness.

import * as Comlink from 'comlink';
import { defaultConfig } from '../../src/engine';
import type { TrainConfig } from '../../src/engine/types';
import { TrainerBridge } from '../../src/trainer/bridge';
import type { TrainerClient } from '../../src/trainer/client';
import type { BackendChoice, TrainerApi, TrainerStatus } from '../../workers/protocol';

const longTasks: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push(e.duration);
}).observe({ type: 'longtask', buffered: true });

let bridge: TrainerBridge | null = null;
let stateChanges = 0;

function xor(patch: (c: TrainConfig) => void = () => {}): TrainConfig {
  const c = defaultConfig();
  c.data.name = 'xor';
  c.data.samples = 300;
  c.optimizer.name = 'adam';
  c.optimizer.lr = 0.02;
  patch(c);
  return c;
}

function b(): TrainerBridge {
  if (!bridge) throw new Error('harness: call init() first');
  return bridge;
}

/** What the spec inspects: counters from the page side only (ring buffer + coarse state). */
function snapshot() {
  const br = b();
  const h = br.metrics.runs[0];
  const loss = h ? Array.from(h.step('loss')) : [];
  const st = br.getState();
  return {
    worker: st.worker,
    error: st.error,
    status: st.status as TrainerStatus | null,
    stateChanges,
    points: h?.steps.total ?? 0,
    firstLoss: loss.length > 0 ? loss[0] : Number.NaN,
    // Mean of the last 20 points: one minibatch's loss is noisy.
    recentLoss: loss.length > 0 ? loss.slice(-20).reduce((a, v) => a + v, 0) / Math.min(20, loss.length) : Number.NaN,
    boundaries: br.visuals.boundaries.filter((g) => g !== null).length,
    longTasks: longTasks.slice(),
  };
}

/** The trainer worker whose calibration cache says the GPU wins (pages/gpuDecided.worker.ts), as a bridge client. */
function gpuDecidedClient(): TrainerClient {
  const worker = new Worker(new URL('./gpuDecided.worker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<TrainerApi>(worker);
  return {
    api,
    worker,
    terminate() {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

/** The page's step column and loss column of run 0 (what the charts draw). */
function series() {
  const h = b().metrics.runs[0];
  return h ? { step: Array.from(h.step('step')), loss: Array.from(h.step('loss')) } : { step: [], loss: [] };
}

const harness = {
  async init(backend: BackendChoice = 'auto', gpuDecided = false) {
    bridge?.dispose();
    stateChanges = 0;
    bridge = new TrainerBridge({ backend, ...(gpuDecided ? { createClient: gpuDecidedClient } : {}) });
    bridge.subscribe(() => {
      stateChanges++;
    });
    return true;
  },
  /**
   * XOR with Adam (the default), or the spiral at a small lr, whose loss stays far from 0 for
   * thousands of steps, so a relative loss gap means the same whenever a move happens.
   */
  async create(backend?: BackendChoice, data: 'xor' | 'spiral' = 'xor') {
    const cfg = xor((c) => {
      if (data !== 'spiral') return;
      c.data.name = 'spiral';
      c.optimizer.lr = 0.003;
    });
    const r = await b().create([cfg], backend ? { backend } : {});
    if (!r.ok) throw new Error(r.message);
    return r.value.backend;
  },
  series,
  /** XOR with Muon (Newton-Schulz on each hidden W: in the WebGPU backend's update pass). */
  async createMuon() {
    const r = await b().create([
      xor((c) => {
        c.optimizer = { ...c.optimizer, name: 'muon', momentum: 0.95 };
      }),
    ]);
    if (!r.ok) throw new Error(r.message);
    return r.value.backend;
  },
  /** XOR with Schedule-Free (batch norm, a 20-step warm-up): the WebGPU backend runs it, evaluated at x. */
  async createScheduleFree(batchNorm = true) {
    const r = await b().create([
      xor((c) => {
        c.optimizer = { ...c.optimizer, name: 'schedulefree', lr: 0.01, warmupSteps: 20 };
        c.model.hidden = c.model.hidden.map((h) => ({ ...h, batchNorm }));
      }),
    ]);
    if (!r.ok) throw new Error(r.message);
    return r.value.backend;
  },
  /** Run 0's recorded learning rates, step by step. */
  lrs: () => Array.from(b().metrics.runs[0]?.step('lr') ?? []),
  /** Digits: the worker fetches the images itself, from the URL the page gives (the site root's data/). */
  async createDigits() {
    const c = defaultConfig();
    c.data.name = 'digits';
    c.data.samples = 500;
    c.model.hidden = [{ units: 16, activation: 'relu', dropout: 0, batchNorm: false }];
    const digitsUrl = new URL('../../data/digits.bin', document.baseURI).href;
    const r = await b().create([c], { digitsUrl });
    if (!r.ok) throw new Error(r.message);
    return { image: r.value.dataset.image, nTrain: r.value.dataset.nTrain, backend: r.value.backend.kind };
  },
  /**
   * A six-run compare race (batch norm, dropout, a schedule) on the forced CPU engine, spread over at
   * most `workers` workers (undefined: one per core), stepped `steps` times. Returns the backend's
   * name and every run's per-step losses as the page's ring buffers hold them (float32 bits as numbers).
   */
  async race(workers: number | undefined, steps: number) {
    bridge?.dispose();
    bridge = new TrainerBridge({ backend: 'cpu', cpuWorkers: workers });
    const opts: [TrainConfig['optimizer']['name'], number][] = [
      ['sgd', 0.1],
      ['momentum', 0.05],
      ['nesterov', 0.05],
      ['adagrad', 0.05],
      ['adam', 0.01],
      ['muon', 0.02],
    ];
    const cfgs = opts.map(([name, lr], r) =>
      xor((c) => {
        c.data.name = 'spiral';
        c.batchSize = 24;
        c.model.hidden = [
          { units: 16, activation: 'relu', dropout: 0.05 * r, batchNorm: true },
          { units: 12, activation: 'tanh', dropout: 0.1, batchNorm: false },
        ];
        c.optimizer = { ...c.optimizer, name, lr, momentum: name === 'muon' ? 0.95 : 0.9 };
        c.schedule = { ...c.schedule, kind: 'cosine', totalSteps: steps };
      }),
    );
    const r = await bridge.create(cfgs);
    if (!r.ok) throw new Error(r.message);
    await bridge.step(steps);
    // the last update (sent before step() returned) may still be on its way to the listener
    const t0 = performance.now();
    while (bridge.metrics.runs.some((h) => (h?.steps.total ?? 0) < steps) && performance.now() - t0 < 10_000)
      await new Promise((res) => setTimeout(res, 50));
    return {
      backend: bridge.getState().status?.backend?.name ?? '',
      cores: navigator.hardwareConcurrency,
      losses: bridge.metrics.runs.map((h) => (h ? Array.from(h.step('loss')) : [])),
      steps: bridge.getState().status?.runs.map((x) => x.step) ?? [],
    };
  },
  async createInvalid() {
    const r = await b().create([xor((c) => (c.model.hidden[0].units = -3))]);
    return r.ok ? null : r.problems.map((p) => p.field);
  },
  start: () => b().start(),
  pause: () => b().pause(),
  step: (n: number) => b().step(n),
  setVisuals: (boundary: boolean) => b().setVisuals({ boundary, intervalMs: 200 }),
  loseDevice: () => b().testLoseDevice(),
  crash: () => b().testCrash(),
  restart: async () => {
    const r = await b().restart();
    return r?.ok ? r.value.backend : null;
  },
  clearLongTasks: () => {
    longTasks.length = 0;
  },
  snapshot,
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}
window.harness = harness;
