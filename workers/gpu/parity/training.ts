// End-to-end parity: the same configuration trained by the engine's Run (CPU) and by GpuBackend,
// from the same initial weights, data, minibatch order and dropout masks. Reports the largest
// relative difference of the step losses and of the epoch records, with the first mismatches.
import { makeDataset } from '../../../src/engine/data/dataset';
import { defaultConfig } from '../../../src/engine/defaults';
import { buildLayout, initParams } from '../../../src/engine/layout';
import type { RunStatus } from '../../../src/engine/loop';
import { EPOCH_METRICS, rowsOf, STEP_METRICS } from '../../../src/engine/metricsSchema';
import { Rng, streamSeed } from '../../../src/engine/rng';
import { type EpochRecord, Run, type StepRecord } from '../../../src/engine/trainer';
import type { TrainConfig } from '../../../src/engine/types';
import { GpuBackend, type GpuBackendOptions, type PathInfo } from '../backend';
import { validateResult } from './validate';

export interface TrainingParityOptions {
  /** Partial overrides applied to the default config (optimizer name, dropout, batch norm, ...). */
  patch?: (c: TrainConfig) => void;
  /** Several runs at once (compare mode): one patch per run, all sharing data and init. */
  runs?: ((c: TrainConfig) => void)[];
  steps?: number;
  /** Steps per train() call (exercises chunking and pipelining across calls). */
  per?: number;
  /** Which GPU path: the fused small-net kernel (when it fits) or the general multi-kernel path. */
  fused?: 'auto' | 'off';
  /** Where the fused kernel keeps its scratch (default: the backend's choice for the adapter). */
  fusedScratch?: 'workgroup' | 'storage';
  /** Further backend options (a forced adapter kind, workgroup size or group count: paths.ts). */
  backend?: GpuBackendOptions;
  /** A live change (setHyper, no rebuild) applied to every run halfway through, on both sides. */
  midway?: (c: TrainConfig) => void;
}

export interface TrainingParityReport {
  ok: boolean;
  steps: number[];
  /** max |gpu - cpu| / |cpu| over step losses, per run. */
  maxRelLoss: number[];
  maxRelEpoch: number[];
  epochs: number[];
  status: string[];
  report: string;
  dispatchesPerStep: number;
  submitsPerStep: number;
  /** The path the backend took ('fused' or 'general') and why not fused. */
  path: string;
  /** The fused kernel's shape as the backend chose it (absent on the general path). */
  fused?: PathInfo['fused'];
  /** Per run: parameters at exactly 0 after training, on the GPU and in the engine (L1's prox). */
  zeros: [gpu: number, cpu: number][];
}

export function smallConfig(): TrainConfig {
  const c = defaultConfig();
  c.data = { ...c.data, name: 'circle', samples: 200, valFraction: 0.2, noise: 0.1 };
  c.batchSize = 16;
  c.seed = 3;
  return c;
}

const rel = (g: number, c: number) => (g === c ? 0 : Math.abs(g - c) / Math.max(Math.abs(c), 1e-30));

export async function trainingParity(o: TrainingParityOptions): Promise<TrainingParityReport> {
  const steps = o.steps ?? 200;
  const per = o.per ?? 50;
  const patches = o.runs ?? [o.patch ?? (() => {})];
  const cfgs = patches.map((p) => {
    const c = smallConfig();
    o.patch?.(c);
    p(c);
    return c;
  });
  const ds = makeDataset(cfgs[0].data, cfgs[0].seed);
  const layout = buildLayout(cfgs[0].model, ds.inputDim, ds.outputDim);
  const init = initParams(layout, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init')));
  const cpu = cfgs.map((c) => new Run(c, ds, { init }));
  const gpu = await GpuBackend.create({ fused: o.fused ?? 'auto', fusedScratch: o.fusedScratch, ...o.backend });
  const lines: string[] = [];
  try {
    await gpu.build(cfgs, ds, init);
    const L = layout.layers.length;
    const got = cfgs.map(() => ({
      steps: [] as StepRecord[],
      epochs: [] as EpochRecord[],
      status: 'ok' as RunStatus,
      statusStep: -1,
    }));
    const ref = cfgs.map(() => ({ steps: [] as StepRecord[], epochs: [] as EpochRecord[] }));
    const cpuTrain = (k: number) =>
      cpu.forEach((run, r) => {
        const x = run.step(k);
        ref[r].steps.push(...x.steps);
        ref[r].epochs.push(...x.epochs);
      });
    for (let done = 0; done < steps; done += per) {
      if (o.midway && done === Math.floor(steps / 2 / per) * per) {
        cpuTrain(done - ref[0].steps.length);
        cfgs.forEach((c, r) => {
          const next = structuredClone(c);
          o.midway?.(next);
          cpu[r].setHyper(next);
          gpu.setHyper(r, next);
        });
      }
      const p = await gpu.train(Math.min(per, steps - done));
      p.forEach((x, r) => {
        got[r].steps.push(...rowsOf(STEP_METRICS, x.steps, L));
        got[r].epochs.push(...rowsOf(EPOCH_METRICS, x.epochs, L));
        got[r].status = x.status;
        got[r].statusStep = x.statusStep;
      });
    }
    const counters = gpu.counters();
    const f = gpu.pathInfo.fused;
    const shape = f ? ` (${f.wg} invocations, ${f.groups} workgroups for ${f.runs} runs, ${f.scratch} scratch)` : '';
    const path = `${gpu.pathInfo.path}${gpu.pathInfo.reason ? ` (${gpu.pathInfo.reason})` : ''}${shape}`;
    const finals: [number, string][] = [];
    const maxRelLoss: number[] = [];
    const maxRelEpoch: number[] = [];
    cpuTrain(steps - ref[0].steps.length);
    cfgs.forEach((c, r) => {
      const tag = `run ${r} (${c.optimizer.name})`;
      if (ref[r].steps.length !== got[r].steps.length)
        lines.push(`${tag}: ${got[r].steps.length} GPU steps, ${ref[r].steps.length} CPU steps`);
      let worst = 0;
      let shown = 0;
      ref[r].steps.forEach((s, i) => {
        const g = got[r].steps[i];
        if (!g) return;
        const e = Math.max(rel(g.loss, s.loss), rel(g.dataLoss, s.dataLoss));
        worst = Math.max(worst, e);
        if (e > 1e-3 && shown++ < 5)
          lines.push(`${tag} step ${s.step}: gpu loss ${g.loss} cpu ${s.loss} (rel ${e.toExponential(2)})`);
        if (g.step !== s.step || g.lr !== s.lr)
          lines.push(`${tag} step ${s.step}: gpu step/lr ${g.step}/${g.lr}, cpu ${s.step}/${s.lr}`);
      });
      let worstE = 0;
      if (ref[r].epochs.length !== got[r].epochs.length)
        lines.push(`${tag}: ${got[r].epochs.length} GPU epochs, ${ref[r].epochs.length} CPU epochs`);
      ref[r].epochs.forEach((e, i) => {
        const g = got[r].epochs[i];
        if (!g) return;
        const d = Math.max(rel(g.trainLoss, e.trainLoss), Number.isNaN(e.valLoss) ? 0 : rel(g.valLoss, e.valLoss));
        worstE = Math.max(worstE, d);
        if (d > 1e-3)
          lines.push(
            `${tag} epoch ${e.epoch}: gpu train/val ${g.trainLoss}/${g.valLoss}, cpu ${e.trainLoss}/${e.valLoss}`,
          );
        // (accuracies are not compared: where the logits tie, e.g. weights L1 has zeroed, the last
        // bit decides every point's class; the outputs themselves are, by predict below)
        if (g.lr !== e.lr) lines.push(`${tag} epoch ${e.epoch}: gpu lr ${g.lr}, cpu ${e.lr}`);
      });
      if (cpu[r].status !== got[r].status || cpu[r].statusStep !== got[r].statusStep)
        lines.push(
          `${tag}: gpu status ${got[r].status}@${got[r].statusStep}, cpu ${cpu[r].status}@${cpu[r].statusStep}`,
        );
      finals.push([r, tag]);
      maxRelLoss.push(worst);
      maxRelEpoch.push(worstE);
    });
    // the final weights: after early stopping the best ones, after a divergence the last finite ones
    const zeros: [number, number][] = [];
    const countZeros = (p: ArrayLike<number>) => Array.from(p).filter((x) => x === 0).length;
    for (const [r, tag] of finals) {
      const [g, c] = [await gpu.readParams(r), cpu[r].getParams()];
      const v = validateResult(`${tag} final parameters`, g, c, 1e-4, 1e-3);
      if (!v.ok) lines.push(v.message);
      zeros.push([countZeros(g), countZeros(c)]);
      // evaluation after training where the run is evaluated (Schedule-Free: at x, statistics
      // recomputed there): evaluate on both splits, and predict at points of the input box
      if (cpu[r].status === 'diverged') continue;
      for (const split of ['train', 'val'] as const) {
        const [ge, ce] = [await gpu.evaluate(r, split), cpu[r].evaluate(split)];
        if (!(rel(ge.loss, ce.loss) <= 1e-3))
          lines.push(`${tag} evaluate('${split}'): gpu ${ge.loss}/${ge.acc}, cpu ${ce.loss}/${ce.acc}`);
      }
      const pts = Float32Array.from({ length: ds.inputDim * 25 }, (_, k) => 1.5 * Math.sin(1.7 * k + 0.3));
      const pv = validateResult(`${tag} predict`, await gpu.predict(r, pts, 25), cpu[r].predict(pts, 25), 1e-4, 1e-3);
      if (!pv.ok) lines.push(pv.message);
    }
    const ok = lines.length === 0;
    lines.push(
      `${path}; status ${got.map((g) => `${g.status}@${g.statusStep}`).join(', ')}; max rel loss ${maxRelLoss.map((x) => x.toExponential(2)).join(', ')}; epochs ${maxRelEpoch.map((x) => x.toExponential(2)).join(', ')}; ` +
        `${counters.dispatchesPerStep.toFixed(2)} dispatches and ${counters.submitsPerStep.toFixed(3)} submits per step`,
    );
    return {
      ok,
      steps: got.map((g) => g.steps.length),
      maxRelLoss,
      maxRelEpoch,
      epochs: got.map((g) => g.epochs.length),
      status: got.map((g) => g.status),
      report: lines.join('\n'),
      dispatchesPerStep: counters.dispatchesPerStep,
      submitsPerStep: counters.submitsPerStep,
      path: gpu.pathInfo.path,
      fused: gpu.pathInfo.fused,
      zeros,
    };
  } finally {
    gpu.dispose();
  }
}
