// Batching of the per-step and per-epoch columns the backends return into the column batches of
// the protocol (RunMetrics), and the transfer list of an update; both follow the metrics table
// (src/engine/metricsSchema.ts). The worker appends every batch a backend returns and flushes at most ~20 times a second, so the message rate never depends on the
// training speed: 50 steps/s or 50,000 steps/s both give about 20 messages.
import {
  EPOCH_METRICS,
  type EpochMetrics,
  fieldsOf,
  MetricColumns,
  type MetricSchema,
  type Series,
  STEP_METRICS,
  type StepMetrics,
  widthOf,
} from '../src/engine/metricsSchema';
import type { RunMetrics, TrainerUpdate } from './protocol';

/** Minimum gap between two metric messages, ms (about 20 per second). */
export const FLUSH_INTERVAL_MS = 50;

/**
 * Metric columns of one run since the last flush. A backend that took over mid-run (device loss,
 * backend switch, 'auto' move) imported the run's whole state, step counters included, so its
 * numbers are the page's: nothing is shifted.
 */
export class RunCollector {
  readonly run: number;
  readonly layers: number;
  /**
   * Rows the page already has: steps numbered below `resumeStep` and epoch ends numbered up to
   * `resumeEpoch` are dropped. A device loss resumes from an older checkpoint; the steps since
   * then are re-done (Session.catchUp) without being drawn twice, so the charts neither rewind nor jump.
   */
  resumeStep = 0;
  resumeEpoch = 0;
  private readonly steps: MetricColumns<StepMetrics>;
  private readonly epochs: MetricColumns<EpochMetrics>;

  constructor(run: number, layers: number) {
    this.run = run;
    this.layers = layers;
    this.steps = new MetricColumns(STEP_METRICS, layers, 256);
    this.epochs = new MetricColumns(EPOCH_METRICS, layers, 16);
  }

  get pending(): number {
    return this.steps.n + this.epochs.n;
  }

  /** Append what a backend returned for this run, less the rows the page already has; returns what was kept. */
  add(
    steps: Series<StepMetrics>,
    epochs: Series<EpochMetrics>,
  ): { steps: Series<StepMetrics>; epochs: Series<EpochMetrics> } {
    let s = 0;
    while (s < steps.n && steps.step[s] < this.resumeStep) s++;
    let e = 0;
    while (e < epochs.n && epochs.epoch[e] <= this.resumeEpoch) e++;
    const kept = {
      steps: dropHead(STEP_METRICS, steps, s, this.layers),
      epochs: dropHead(EPOCH_METRICS, epochs, e, this.layers),
    };
    this.steps.append(kept.steps);
    this.epochs.append(kept.epochs);
    return kept;
  }

  /** Columns since the last flush in their wire types (then empty), or null when nothing is pending. */
  flush(): RunMetrics | null {
    if (this.pending === 0) return null;
    const epochs = this.epochs.takeColumns();
    return { run: this.run, layers: this.layers, ...this.steps.takeColumns(), epochs };
  }

  clear(): void {
    this.steps.clear();
    this.epochs.clear();
  }
}

/** b without its first k rows (views, no copy). */
function dropHead<S extends MetricSchema>(schema: S, b: Series<S>, k: number, layers: number): Series<S> {
  if (k === 0) return b;
  const out = { n: b.n - k } as Series<S>;
  for (const f of fieldsOf(schema)) {
    const w = widthOf(schema[f], layers);
    (out as Record<string, unknown>)[f] = b[f].subarray(k * w, b.n * w);
  }
  return out;
}

const STEP_FIELDS = fieldsOf(STEP_METRICS);
const EPOCH_FIELDS = fieldsOf(EPOCH_METRICS);

/** Every ArrayBuffer in an update, so Comlink.transfer moves them instead of copying. */
export function transferables(u: TrainerUpdate): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView) => {
    if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) out.add(a.buffer);
  };
  for (const m of u.metrics) {
    for (const k of STEP_FIELDS) add(m[k]);
    for (const k of EPOCH_FIELDS) add(m.epochs[k]);
  }
  if (u.visuals) {
    for (const b of u.visuals.boundaries) add(b.values);
    for (const h of u.visuals.histograms) for (const a of [h.lo, h.hi, h.counts]) add(a);
    for (const w of u.visuals.weights) add(w.theta);
  }
  return [...out];
}
