// The plain-data picture of a lesson demo that the worker posts to the page: per preset its
// epoch records, a thinned step series and the measures its lesson's views need. Structured-
// clone friendly (typed arrays and plain objects only).
import { runArena } from '../../src/engine/arena';
import { makeTestFunction } from '../../src/engine/data/testFunctions';
import { DEFAULT_CONFIG } from '../../src/engine/defaults';
import type { OptimizerConfig } from '../../src/engine/types';
import {
  type ActivationStats,
  activationStats,
  type BoundaryGrid,
  boundaryGrid,
  type WeightStats,
  weightStats,
} from './measures';
import type { LessonJob } from './protocol';
import { type LessonRunner, type PresetRun, type StepPoint, statusText } from './runner';

export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  trainAcc: number;
  valAcc: number;
  lr: number;
  bestEpoch: number;
}

/** Training and validation points of a 2D set (raw coordinates), drawn over the boundary. */
export interface PointSet {
  xTrain: Float32Array;
  yTrain: Int32Array;
  xVal: Float32Array;
  yVal: Int32Array;
  /** Std of the Gaussian input noise (ghost points are drawn around each training point), 0 = none. */
  noise: number;
}

export interface PresetSnapshot {
  id: string;
  label: string;
  color: string;
  status: string;
  statusText: string;
  initialLoss: number;
  epochs: EpochPoint[];
  steps: StepPoint[];
  weights?: WeightStats;
  activations?: ActivationStats;
  boundary?: BoundaryGrid;
  points?: PointSet;
}

export interface ArenaSnapshot {
  fn: string;
  /** f on a res x res grid over [xMin, xMax] x [yMin, yMax], row 0 at yMax. */
  grid: { res: number; xMin: number; xMax: number; yMin: number; yMax: number; f: Float64Array };
  paths: { label: string; color: string; x: Float64Array; y: Float64Array; f: Float64Array }[];
}

export interface LessonSnapshot {
  lessonId: string;
  done: boolean;
  presets: PresetSnapshot[];
  arena?: ArenaSnapshot;
}

/** At most `max` points, evenly thinned, always keeping the last. */
export function thin<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const k = Math.ceil(xs.length / max);
  const out = xs.filter((_, i) => i % k === 0);
  if (out[out.length - 1] !== xs[xs.length - 1]) out.push(xs[xs.length - 1]);
  return out;
}

function points(p: PresetRun): PointSet | undefined {
  const ds = p.run.dataset;
  if (ds.inputDim !== 2 || ds.kind !== 'classification') return undefined;
  return { xTrain: ds.xTrainRaw, yTrain: ds.yTrain, xVal: ds.xValRaw, yVal: ds.yVal, noise: p.cfg.data.augmentNoise };
}

/** The snapshot of every preset; `heavy` adds the measures that cost a forward pass (boundary, stats). */
export function snapshot(runner: LessonRunner, heavy: boolean): LessonSnapshot {
  const views = new Set(runner.lesson.views);
  const presets = runner.runs.map((p): PresetSnapshot => {
    const s: PresetSnapshot = {
      id: p.preset.id,
      label: p.preset.label,
      color: p.preset.color,
      status: p.run.status,
      statusText: statusText(p),
      initialLoss: p.initialLoss,
      epochs: p.epochs.map((e) => ({
        epoch: e.epoch,
        trainLoss: e.trainLoss,
        valLoss: e.valLoss,
        trainAcc: e.trainAcc,
        valAcc: e.valAcc,
        lr: e.lr,
        bestEpoch: e.bestEpoch,
      })),
      steps: thin(p.steps, 1500),
    };
    if (heavy && views.has('weights')) s.weights = weightStats(p.run, 41, 1.5);
    if (heavy && views.has('activations')) s.activations = activationStats(p.run);
    if (heavy && views.has('boundary')) {
      s.boundary = boundaryGrid(p.run, 40) ?? undefined;
      s.points = points(p);
    }
    return s;
  });
  return { lessonId: runner.lesson.id, done: runner.done, presets };
}

/** The arena of a lesson: its optimizer paths and f on a grid around them (computed once). */
export function arenaSnapshot(lesson: LessonJob, res = 60): ArenaSnapshot | undefined {
  const a = lesson.arena;
  if (!a) return undefined;
  const fn = makeTestFunction(a.fn, a.params);
  const paths = a.runs.map((r) => {
    const cfg = { ...DEFAULT_CONFIG.optimizer, ...r.optimizer } as OptimizerConfig;
    const p = runArena(fn, cfg, a.start, a.steps);
    return { label: r.label, color: r.color, x: p.x, y: p.y, f: p.f };
  });
  const span = Math.max(Math.abs(a.start[0]), Math.abs(a.start[1])) * 1.25;
  const [xMin, xMax, yMin, yMax] = [-span, span, -span, span];
  const f = new Float64Array(res * res);
  for (let r = 0; r < res; r++)
    for (let c = 0; c < res; c++)
      f[r * res + c] = fn.f(xMin + ((c + 0.5) / res) * (xMax - xMin), yMax - ((r + 0.5) / res) * (yMax - yMin));
  return { fn: fn.label, grid: { res, xMin, xMax, yMin, yMax, f }, paths };
}
