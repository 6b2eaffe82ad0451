// LessonRunner: trains every preset of a lesson side by side, each as its own engine Run
// (presets may differ in architecture, e.g. batch norm on/off, which a compare set cannot).
// Presets with the same data config share one Dataset; the same seed and architecture give the
// same initial weights, so the only difference between two curves is what the lesson changes.
// Used by the demo's worker (lesson.worker.ts) and, headlessly, by src/lessons/lessons.test.ts.
// It trains a LessonJob (protocol.ts): the page resolved the catalogue's presets into configs.
import { mergePatch } from '../../src/engine/configPatch';
import { type Dataset, makeDataset } from '../../src/engine/data/dataset';
import type { DigitsData } from '../../src/engine/data/digits';
import type { RunStatus } from '../../src/engine/loop';
import { type EpochRecord, Run } from '../../src/engine/trainer';
import type { TrainConfig } from '../../src/engine/types';
import type { JobPreset, LessonJob } from './protocol';

/** One recorded training step (every `stride`-th step is kept for the charts). */
export interface StepPoint {
  step: number;
  /** Fractional epochs. */
  epoch: number;
  /** Minibatch loss (data + regularization). */
  loss: number;
  lr: number;
  /** ||dW||/||W|| of the first layer's weights. */
  ratio: number;
  /** ||dW||/||W|| of every layer's weights, input to output (the per-layer demos). */
  ratios: number[];
}

export interface PresetRun {
  preset: JobPreset;
  cfg: TrainConfig;
  run: Run;
  /** Training-set data loss before the first step (the softmax lesson's ln C check). */
  initialLoss: number;
  epochs: EpochRecord[];
  steps: StepPoint[];
  /** Phases already applied. */
  applied: Set<object>;
}

export interface RunnerOptions {
  /** Replaces every preset's seed (robustness checks over several seeds). */
  seed?: number;
  /** Keep every stride-th step (default 1). */
  stride?: number;
  /** The digit images, for lessons whose presets train on digits (loaded by the caller). */
  digits?: DigitsData;
}

export class LessonRunner {
  readonly runs: PresetRun[];
  private readonly stride: number;

  constructor(
    readonly lesson: LessonJob,
    opts: RunnerOptions = {},
  ) {
    this.stride = Math.max(1, opts.stride ?? 1);
    const datasets = new Map<string, Dataset>();
    this.runs = lesson.presets.map((preset) => {
      const cfg = structuredClone(preset.config);
      if (opts.seed !== undefined) cfg.seed = opts.seed;
      if (cfg.maxEpochs === 0 || cfg.maxEpochs > lesson.epochs) cfg.maxEpochs = lesson.epochs;
      const { augmentNoise: _n, augmentAffine: _a, shuffle: _s, ...dataKey } = cfg.data;
      const key = JSON.stringify([dataKey, cfg.seed]);
      let ds = datasets.get(key);
      if (!ds) {
        ds = makeDataset(cfg.data, cfg.seed, opts.digits);
        datasets.set(key, ds);
      }
      const run = new Run(cfg, ds);
      return { preset, cfg, run, initialLoss: run.evaluate('train').loss, epochs: [], steps: [], applied: new Set() };
    });
  }

  /** True when every run has stopped (finished its epochs, early-stopped or diverged). */
  get done(): boolean {
    return this.runs.every((r) => r.run.status !== 'ok');
  }

  /** Up to n more steps for each run that is still going. */
  advance(n: number): void {
    for (const r of this.runs) {
      if (r.run.status !== 'ok') continue;
      // never step past a pending phase: it applies exactly at its epoch boundary
      const pending = (r.preset.phases ?? []).filter((ph) => !r.applied.has(ph)).map((ph) => ph.atEpoch);
      const toPhase = pending.length ? Math.min(...pending) * r.run.stepsPerEpoch - r.run.stepCount : n;
      const { steps, epochs } = r.run.step(Math.max(1, Math.min(n, toPhase)));
      for (const s of steps) {
        if (s.step % this.stride !== 0) continue;
        r.steps.push({
          step: s.step,
          epoch: s.epoch,
          loss: s.loss,
          lr: s.lr,
          ratio: s.updateRatio[0],
          ratios: [...s.updateRatio],
        });
      }
      r.epochs.push(...epochs);
      this.applyPhases(r);
    }
  }

  /** Applies each phase once its epoch is reached (Run.setHyper: live, no rebuild). */
  private applyPhases(r: PresetRun): void {
    const done = r.epochs.length;
    for (const ph of r.preset.phases ?? []) {
      if (done < ph.atEpoch || r.applied.has(ph)) continue;
      const next = mergePatch(r.cfg, ph.config) as TrainConfig;
      r.run.setHyper(next);
      r.cfg = next;
      r.applied.add(ph);
    }
  }

  /** Trains every run to the end (tests, headless checks). */
  runToEnd(chunk = 500): this {
    while (!this.done) this.advance(chunk);
    return this;
  }

  byId(id: string): PresetRun {
    const r = this.runs.find((x) => x.preset.id === id);
    if (!r) throw new Error(`lesson '${this.lesson.id}' has no preset '${id}'`);
    return r;
  }
}

/** Status of a preset's run for the legend, e.g. "early-stopped at epoch 41". */
export function statusText(r: PresetRun): string {
  const s: RunStatus = r.run.status;
  const last = r.epochs[r.epochs.length - 1];
  if (s === 'early-stopped')
    return `early-stopped at epoch ${last?.epoch ?? 0}, best epoch ${last?.bestEpoch ?? 0} restored`;
  if (s === 'diverged') return `diverged at step ${r.run.statusStep}`;
  if (s === 'finished') return `finished ${last?.epoch ?? 0} epochs`;
  return `epoch ${Math.floor(r.run.epoch)}`;
}
