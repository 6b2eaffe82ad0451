// Batching of per-step and per-epoch records into the column batches of the protocol
// (RunMetrics), and the transfer list of an update. The worker appends every record a backend
// returns and flushes at most ~20 times a second, so the message rate never depends on the
// training speed: 50 steps/s or 50,000 steps/s both give about 20 messages.
import type { EpochRecord, StepRecord } from '../src/engine';
import type { EpochColumns, RunMetrics, TrainerUpdate } from './protocol';

/** Minimum gap between two metric messages, ms (about 20 per second). */
export const FLUSH_INTERVAL_MS = 50;

/** A growable Float64 column (amortised doubling), copied out exactly sized on flush. */
class Column {
  private buf: Float64Array;
  length = 0;
  constructor(initial = 256) {
    this.buf = new Float64Array(initial);
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  take32(): Float32Array {
    return Float32Array.from(this.buf.subarray(0, this.length));
  }
  take64(): Float64Array {
    return this.buf.slice(0, this.length);
  }
  takeU8(): Uint8Array {
    return Uint8Array.from(this.buf.subarray(0, this.length));
  }
  clear(): void {
    this.length = 0;
  }
}

/**
 * Records of one run since the last flush. `stepOffset`/`epochOffset` shift the numbers a
 * backend reports after it was replaced mid-run (device loss, backend switch), so the page's
 * x axis keeps counting instead of jumping back to 0.
 */
export class RunCollector {
  readonly run: number;
  readonly layers: number;
  stepOffset = 0;
  epochOffset = 0;
  private readonly step = new Column();
  private readonly epoch = new Column();
  private readonly loss = new Column();
  private readonly dataLoss = new Column();
  private readonly batchAcc = new Column();
  private readonly lr = new Column();
  private readonly updateRatio = new Column();
  private readonly gradNorm = new Column();
  private readonly e = {
    epoch: new Column(16),
    step: new Column(16),
    trainLoss: new Column(16),
    trainAcc: new Column(16),
    valLoss: new Column(16),
    valAcc: new Column(16),
    lr: new Column(16),
    bestEpoch: new Column(16),
    improved: new Column(16),
  };

  constructor(run: number, layers: number) {
    this.run = run;
    this.layers = layers;
  }

  get pending(): number {
    return this.step.length + this.e.epoch.length;
  }

  addSteps(records: readonly StepRecord[]): void {
    for (const r of records) {
      this.step.push(r.step + this.stepOffset);
      this.epoch.push(r.epoch + this.epochOffset);
      this.loss.push(r.loss);
      this.dataLoss.push(r.dataLoss);
      this.batchAcc.push(r.batchAcc);
      this.lr.push(r.lr);
      for (let l = 0; l < this.layers; l++) {
        this.updateRatio.push(r.updateRatio[l] ?? Number.NaN);
        this.gradNorm.push(r.gradNorm[l] ?? Number.NaN);
      }
    }
  }

  addEpochs(records: readonly EpochRecord[]): void {
    const e = this.e;
    for (const r of records) {
      e.epoch.push(r.epoch + this.epochOffset);
      e.step.push(r.step + this.stepOffset);
      e.trainLoss.push(r.trainLoss);
      e.trainAcc.push(r.trainAcc);
      e.valLoss.push(r.valLoss);
      e.valAcc.push(r.valAcc);
      e.lr.push(r.lr);
      e.bestEpoch.push(r.bestEpoch + (r.bestEpoch > 0 ? this.epochOffset : 0));
      e.improved.push(r.improved ? 1 : 0);
    }
  }

  /** Columns since the last flush (then empty), or null when nothing is pending. */
  flush(): RunMetrics | null {
    if (this.pending === 0) return null;
    const e = this.e;
    const epochs: EpochColumns = {
      n: e.epoch.length,
      epoch: e.epoch.take64(),
      step: e.step.take64(),
      trainLoss: e.trainLoss.take32(),
      trainAcc: e.trainAcc.take32(),
      valLoss: e.valLoss.take32(),
      valAcc: e.valAcc.take32(),
      lr: e.lr.take32(),
      bestEpoch: e.bestEpoch.take64(),
      improved: e.improved.takeU8(),
    };
    const m: RunMetrics = {
      run: this.run,
      n: this.step.length,
      layers: this.layers,
      step: this.step.take64(),
      epoch: this.epoch.take64(),
      loss: this.loss.take32(),
      dataLoss: this.dataLoss.take32(),
      batchAcc: this.batchAcc.take32(),
      lr: this.lr.take32(),
      updateRatio: this.updateRatio.take32(),
      gradNorm: this.gradNorm.take32(),
      epochs,
    };
    this.clear();
    return m;
  }

  clear(): void {
    for (const c of [this.step, this.epoch, this.loss, this.dataLoss, this.batchAcc, this.lr]) c.clear();
    this.updateRatio.clear();
    this.gradNorm.clear();
    for (const c of Object.values(this.e)) c.clear();
  }
}

/** Every ArrayBuffer in an update, so Comlink.transfer moves them instead of copying. */
export function transferables(u: TrainerUpdate): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView) => {
    if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) out.add(a.buffer);
  };
  for (const m of u.metrics) {
    for (const a of [m.step, m.epoch, m.loss, m.dataLoss, m.batchAcc, m.lr, m.updateRatio, m.gradNorm]) add(a);
    const e = m.epochs;
    for (const a of [e.epoch, e.step, e.trainLoss, e.trainAcc, e.valLoss, e.valAcc, e.lr, e.bestEpoch, e.improved])
      add(a);
  }
  if (u.visuals) {
    for (const b of u.visuals.boundaries) add(b.values);
    for (const h of u.visuals.histograms) for (const a of [h.lo, h.hi, h.counts]) add(a);
    for (const w of u.visuals.weights) add(w.theta);
  }
  return [...out];
}
