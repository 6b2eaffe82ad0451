// The lesson runner: trains a lesson demo (a LessonJob of whole configs, workers/protocol.ts) through
// the playground's own worker API (TrainerApi: the same service, backends and metric stream, so a
// demo runs on the CPU engine or on WebGPU, 'auto' included). The page drives it over Comlink
// (src/trainer/lessonClient.ts), the lesson tests over an in-process TrainerService.
//
// Presets that may share a compare set (same data, architecture, seed: validate.ts sharedMismatch)
// train together as one set of runs; presets that differ there (batch norm on/off, input
// preprocessing, augmentation, data order) form further sets, trained one after the other. Live
// changes ("momentum off after epoch 20") are applied with setConfigs exactly at their epoch
// boundary: the runner steps to it (step(n) pauses, then takes n steps) and changes the config there.
//
// What it keeps of each preset is what the worker streamed (its metric columns, exact float32 wire
// values, every step) plus, at the end, the run's weights, its validation loss and its activation
// statistics: the lesson checks (checks.ts) are computed from these.
import { mergePatch } from '../../src/engine/configPatch';
import type { ActivationStats } from '../../src/engine/diagnostics';
import {
  EPOCH_METRICS,
  type EpochMetrics,
  MetricColumns,
  type Series,
  STEP_METRICS,
  type StepMetrics,
} from '../../src/engine/metricsSchema';
import type { TrainConfig } from '../../src/engine/types';
import type {
  BackendChoice,
  BackendStatus,
  BoundaryGrid,
  DatasetInfo,
  LayerInfo,
  LessonJob,
  LessonJobPreset,
  RunMetrics,
  RunState,
  TrainerApi,
  TrainerListener,
  TrainerStatus,
  TrainerUpdate,
} from '../protocol';
import { sharedMismatch } from '../validate';

/** The part of the worker's API the runner uses (the Comlink remote and TrainerService both fit). */
export type LessonTrainer = Pick<
  TrainerApi,
  'create' | 'setConfigs' | 'step' | 'pause' | 'evaluate' | 'getParams' | 'activationStats' | 'setVisuals'
>;

/** One preset's run as streamed by the worker, and its measures at the end. */
export interface PresetResult {
  preset: LessonJobPreset;
  /** Its config now (after the live changes applied so far). */
  cfg: TrainConfig;
  /** Which set of runs it trains in, and its run index there. */
  group: number;
  run: number;
  layers: LayerInfo[];
  dataset: DatasetInfo;
  stepsPerEpoch: number;
  /** Training-set data loss before the first step (the softmax lesson's ln C). */
  initialLoss: number;
  /** Every step and every completed epoch, as the worker streamed them (wire precision). */
  steps: MetricColumns<StepMetrics>;
  epochs: MetricColumns<EpochMetrics>;
  state: RunState;
  /** Latest decision boundary the worker sent (2D classification with the boundary view), else null. */
  boundary: BoundaryGrid | null;
  /** At the end: the weights (theta), the validation loss of the weights the run ends with, activation statistics. */
  params: Float32Array | null;
  finalVal: { loss: number; acc: number } | null;
  activations: ActivationStats[] | null;
}

export interface LessonResult {
  job: LessonJob;
  presets: PresetResult[];
  /** The backend the last set of runs trained on. */
  backend: BackendStatus | null;
  /** Every preset trained to its end (false when stopped). */
  done: boolean;
}

export interface LessonRunOptions {
  /** Registers the runner's listener with the worker (over Comlink: wrapped in Comlink.proxy). */
  subscribe(listener: TrainerListener): Promise<void>;
  backend?: BackendChoice;
  digitsUrl?: string;
  /** Replaces every preset's seed (the tests check claims for several seeds). */
  seed?: number;
  /** Stream decision boundaries (the lesson's boundary view). */
  boundary?: boolean;
  /** Called with each preset's batch of streamed metrics (its index in job.presets). */
  onMetrics?(preset: number, m: RunMetrics): void;
  /** Called after every training call and when a set of runs starts or ends. */
  onProgress?(r: LessonResult): void;
  /** Checked between training calls: true stops the demo (the worker pauses). */
  cancelled?(): boolean;
  /** Aimed duration of one training call, ms (default 200: about five chart updates a second). */
  sliceMs?: number;
}

/** Each preset's config for this run: maxEpochs capped to the lesson's epochs, the seed replaced if asked. */
export function jobConfigs(job: LessonJob, seed?: number): TrainConfig[] {
  return job.presets.map((p) => {
    const cfg = structuredClone(p.config);
    if (seed !== undefined) cfg.seed = seed;
    if (cfg.maxEpochs === 0 || cfg.maxEpochs > job.epochs) cfg.maxEpochs = job.epochs;
    return cfg;
  });
}

/** Presets in sets that may train together (indices into the list), in order of first appearance. */
export function groupPresets(cfgs: readonly TrainConfig[]): number[][] {
  const groups: number[][] = [];
  cfgs.forEach((c, i) => {
    const g = groups.find((m) => sharedMismatch(cfgs[m[0]], c) === null);
    if (g) g.push(i);
    else groups.push([i]);
  });
  return groups;
}

const stopped = (s: RunState) => s === 'diverged' || s === 'early-stopped' || s === 'finished';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Train every preset of `job` to its end (or until cancelled) through `api`. Throws on a refused config. */
export async function runLesson(api: LessonTrainer, job: LessonJob, opts: LessonRunOptions): Promise<LessonResult> {
  const cfgs = jobConfigs(job, opts.seed);
  const groups = groupPresets(cfgs);
  const result: LessonResult = { job, presets: [], backend: null, done: false };
  // Updates of the set being trained (by generation); others (an earlier set's late ones) are not ours.
  let current: { generation: number; members: number[] } | null = null;
  const byIndex: PresetResult[] = [];
  await opts.subscribe((u: TrainerUpdate) => {
    if (!current || u.generation !== current.generation) return;
    for (const m of u.metrics) {
      const i = current.members[m.run];
      const p = byIndex[i];
      if (!p) continue;
      p.steps.append(m as unknown as Series<StepMetrics>);
      p.epochs.append(m.epochs as unknown as Series<EpochMetrics>);
      opts.onMetrics?.(i, m);
    }
    for (const b of u.visuals?.boundaries ?? []) {
      const p = byIndex[current.members[b.run]];
      if (p) p.boundary = b;
    }
  });
  await api.setVisuals({ boundary: opts.boundary ?? false, boundaryRes: 40, histograms: false, weights: false });
  const sliceMs = opts.sliceMs ?? 200;
  for (const [g, members] of groups.entries()) {
    if (opts.cancelled?.()) return result;
    const set = members.map((i) => cfgs[i]);
    const built = await api.create(set, { backend: opts.backend, digitsUrl: opts.digitsUrl });
    if (!built.ok) throw new Error(`lesson '${job.id}': ${built.message}`);
    const setup = built.value;
    result.backend = setup.backend;
    current = { generation: setup.generation, members };
    for (const [run, i] of members.entries()) {
      const loss = (await api.evaluate(run, 'train'))?.loss ?? Number.NaN;
      const L = setup.layers.length;
      byIndex[i] = {
        preset: job.presets[i],
        cfg: set[run],
        group: g,
        run,
        layers: setup.layers,
        dataset: setup.dataset,
        stepsPerEpoch: Math.max(
          1,
          Math.floor(setup.dataset.nTrain / Math.min(set[run].batchSize, setup.dataset.nTrain)),
        ),
        initialLoss: loss,
        steps: new MetricColumns(STEP_METRICS, L, 256),
        epochs: new MetricColumns(EPOCH_METRICS, L, 64),
        state: 'paused',
        boundary: null,
        params: null,
        finalVal: null,
        activations: null,
      };
    }
    result.presets = byIndex.filter(Boolean);
    opts.onProgress?.(result);
    const status = await trainSet(api, members, byIndex, set, sliceMs, opts, result);
    if (!status) return result; // cancelled
    result.backend = status.backend ?? result.backend;
    // The metrics travel on the listener's own port: wait until every step the status counts is here.
    for (let t = 0; t < 500 && members.some((i, run) => byIndex[i].steps.n < status.runs[run].step); t++)
      await sleep(10);
    for (const [run, i] of members.entries()) {
      const p = byIndex[i];
      p.state = status.runs[run].state;
      p.params = await api.getParams(run);
      p.finalVal = await api.evaluate(run, 'val');
      p.activations = await api.activationStats(run);
    }
    opts.onProgress?.(result);
  }
  result.done = true;
  opts.onProgress?.(result);
  return result;
}

/**
 * Train one set of runs until each has stopped, applying every live change at its epoch boundary.
 * Returns the final status, or null when cancelled.
 */
async function trainSet(
  api: LessonTrainer,
  members: number[],
  byIndex: PresetResult[],
  set: TrainConfig[],
  sliceMs: number,
  opts: LessonRunOptions,
  result: LessonResult,
): Promise<TrainerStatus | null> {
  const applied = members.map(() => new Set<number>());
  let chunk = 16;
  let status = await api.step(0);
  for (;;) {
    if (opts.cancelled?.()) {
      await api.pause();
      return null;
    }
    // live changes whose epoch has been reached
    let changed = false;
    members.forEach((i, run) => {
      const p = byIndex[i];
      (p.preset.phases ?? []).forEach((ph, k) => {
        if (applied[run].has(k) || status.runs[run].step < ph.atEpoch * p.stepsPerEpoch) return;
        set[run] = mergePatch(set[run], ph.config) as TrainConfig;
        p.cfg = set[run];
        applied[run].add(k);
        changed = true;
      });
    });
    if (changed) {
      const r = await api.setConfigs(set);
      if (!r.ok) throw new Error(`lesson '${result.job.id}': ${r.message}`);
    }
    const going = members.map((_, run) => run).filter((run) => !stopped(status.runs[run].state));
    if (going.length === 0) return status;
    // never step past a pending change: it applies exactly at its boundary
    let n = chunk;
    for (const run of going) {
      const p = byIndex[members[run]];
      (p.preset.phases ?? []).forEach((ph, k) => {
        if (!applied[run].has(k)) n = Math.min(n, ph.atEpoch * p.stepsPerEpoch - status.runs[run].step);
      });
    }
    const t0 = performance.now();
    status = await api.step(Math.max(1, n));
    const ms = performance.now() - t0;
    // about `sliceMs` per call (the round trip included): the charts move and a stop is heard soon
    if (n === chunk) chunk = Math.round(Math.min(4 * chunk, Math.max(chunk / 2, (chunk * sliceMs) / Math.max(ms, 1))));
    chunk = Math.max(1, Math.min(chunk, 1 << 14));
    members.forEach((i, run) => {
      byIndex[i].state = status.runs[run].state;
    });
    result.backend = status.backend ?? result.backend; // 'auto' may move the runs mid-demo
    opts.onProgress?.(result);
  }
}

/** A preset's result by its id. */
export function presetById(r: LessonResult, id: string): PresetResult {
  const p = r.presets.find((x) => x.preset.id === id);
  if (!p) throw new Error(`lesson '${r.job.id}' has no preset '${id}'`);
  return p;
}
