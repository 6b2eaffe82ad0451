// The one table of training metrics: every per-step and per-epoch field, its wire type, how the
// page's ring buffer merges two neighbouring points, whether it has one value per dense layer.
// Everything else is derived from it:
//   Run.train / the GPU replay   fill MetricColumns (float64, exact) per run   -> Series<S>
//   workers/stream.ts            appends Series, shifts step/epoch after a backend switch, and
//                                narrows to the wire types on flush           -> Columns<S>
//   workers/protocol.ts          RunMetrics = step Columns + epoch Columns (+ run, n, layers)
//   src/trainer/metricsBuffer.ts one ring-buffer column per scalar and per (field, layer)
//   workers/gpu/plan.ts          REC: the step-record words of the fields the GPU writes (`gpu`)
// Shapes: a batch of n steps holds scalar columns [n] and per-layer columns [n, L] (row-major:
// step i, layer l at i*L + l); L = dense layers (hidden + output).
//
// Adding a per-step metric: one entry below, its computation in Run.trainStep (trainer.ts), and
// on the GPU either its kernel (a `gpu` record position) or its host value in replay.ts. See
// docs/architecture.md "Add a metric".

/** Wire type of a column: Float32Array, Float64Array, Int32Array, or Uint8Array holding 0/1. */
export type MetricType = 'f32' | 'f64' | 'i32' | 'bool';

/**
 * How the page's ring buffer merges samples into one point (a bucket of `stride` samples, and two
 * neighbouring buckets when full): mean (a curve keeps its shape), the latest, the largest, the smallest.
 */
export type Reduce = 'mean' | 'last' | 'max' | 'min';

export interface MetricSpec {
  type: MetricType;
  reduce: Reduce;
  /** One value per dense layer (a [n, L] column); the ring buffer keeps `${name}${l}` per layer. */
  perLayer?: boolean;
  /**
   * The worker adds the run's step or epoch offset when a backend replaced another mid-run (device
   * loss, switch), so the page's x axis keeps counting. With `noneIsZero`, a 0 means "none yet" and stays 0.
   */
  shift?: 'step' | 'epoch';
  noneIsZero?: boolean;
  /**
   * Step fields the GPU kernels write: the field's position in the GPU step record of one (step,
   * run), counted in fields (workers/gpu/plan.ts turns positions into word offsets; a per-layer
   * field is L words). Absent when the host computes the value (step, epoch, lr, batchAcc).
   */
  gpu?: number;
  /** Chart/export label, with its unit when it has one. */
  label: string;
  /** One line: what the value is, its convention. */
  help: string;
}

export type MetricSchema = Readonly<Record<string, MetricSpec>>;

export const STEP_METRICS = {
  step: { type: 'f64', reduce: 'mean', shift: 'step', label: 'step', help: '0-based index of this step' },
  epoch: {
    type: 'f64',
    reduce: 'mean',
    shift: 'epoch',
    label: 'epoch',
    help: 'fractional epochs after this step',
  },
  loss: {
    type: 'f32',
    reduce: 'mean',
    gpu: 0,
    label: 'loss',
    help: 'data loss + regularization on this minibatch (training mode)',
  },
  dataLoss: { type: 'f32', reduce: 'mean', gpu: 1, label: 'data loss', help: 'data loss on this minibatch' },
  batchAcc: {
    type: 'f32',
    reduce: 'mean',
    label: 'batch accuracy',
    help: 'fraction of the minibatch classified correctly (training mode); NaN for regression',
  },
  lr: { type: 'f32', reduce: 'mean', label: 'learning rate', help: 'learning rate used by this step' },
  updateRatio: {
    type: 'f32',
    reduce: 'mean',
    perLayer: true,
    gpu: 9,
    label: '‖ΔW‖/‖W‖',
    help: '||W_after - W_before|| / ||W_before|| per layer: the update actually applied (0 if none)',
  },
  gradNorm: {
    type: 'f32',
    reduce: 'mean',
    perLayer: true,
    gpu: 8,
    label: '‖∂E/∂W‖',
    help: "||g_W|| per layer before clipping: data + L2 (+ activation L1) gradient, without the weights' L1 (a proximal step)",
  },
} as const satisfies MetricSchema;

export const EPOCH_METRICS = {
  epoch: { type: 'f64', reduce: 'mean', shift: 'epoch', label: 'epoch', help: 'completed epochs, 1-based' },
  step: { type: 'f64', reduce: 'mean', shift: 'step', label: 'step', help: 'steps taken so far' },
  trainLoss: {
    type: 'f32',
    reduce: 'mean',
    label: 'train loss',
    help: 'data loss over the whole training split, evaluation mode',
  },
  trainAcc: {
    type: 'f32',
    reduce: 'mean',
    label: 'train accuracy',
    help: 'accuracy over the training split (NaN for regression)',
  },
  valLoss: {
    type: 'f32',
    reduce: 'mean',
    label: 'validation loss',
    help: 'data loss over the validation split; NaN without one',
  },
  valAcc: {
    type: 'f32',
    reduce: 'mean',
    label: 'validation accuracy',
    help: 'NaN for regression or without a validation split',
  },
  lr: {
    type: 'f32',
    reduce: 'mean',
    label: 'learning rate',
    help: 'in effect from now on (after any plateau reduction)',
  },
  bestEpoch: {
    type: 'f64',
    reduce: 'last',
    shift: 'epoch',
    noneIsZero: true,
    label: 'best epoch',
    help: 'epoch with the lowest monitored loss so far (validation, or training without a validation split); 0 before',
  },
  improved: { type: 'bool', reduce: 'max', label: 'improved', help: 'the monitored loss improved this epoch' },
} as const satisfies MetricSchema;

export type StepMetrics = typeof STEP_METRICS;
export type EpochMetrics = typeof EPOCH_METRICS;
export type StepField = keyof StepMetrics;
export type EpochField = keyof EpochMetrics;

/** Names of a schema's fields that have one value per layer / a single value. */
export type LayerField<S extends MetricSchema> = {
  [K in keyof S]: S[K] extends { perLayer: true } ? K : never;
}[keyof S];
export type ScalarField<S extends MetricSchema> = Exclude<keyof S, LayerField<S>>;

type ArrayOf<T extends MetricType> = {
  f32: Float32Array<ArrayBuffer>;
  f64: Float64Array<ArrayBuffer>;
  i32: Int32Array<ArrayBuffer>;
  bool: Uint8Array<ArrayBuffer>;
}[T];
const ARRAY = { f32: Float32Array, f64: Float64Array, i32: Int32Array, bool: Uint8Array } as const;

/** A batch on the wire: one typed array per field (per-layer ones [n, L]) and the row count. */
export type Columns<S extends MetricSchema> = { n: number } & { -readonly [K in keyof S]: ArrayOf<S[K]['type']> };
/** A batch as the backends return it: the same columns in float64, exact (no rounding yet). */
export type Series<S extends MetricSchema> = { n: number } & { -readonly [K in keyof S]: Float64Array<ArrayBuffer> };
/** One row as an object (engine tests, lessons, scripts): per-layer fields as arrays of their type, bool as boolean. */
export type Row<S extends MetricSchema> = {
  -readonly [K in keyof S]: S[K] extends { perLayer: true }
    ? ArrayOf<S[K]['type']>
    : S[K]['type'] extends 'bool'
      ? boolean
      : number;
};

// The wire batch adds run, n, layers and epochs beside the step fields (workers/protocol.ts RunMetrics).
type Reserved = 'run' | 'n' | 'layers' | 'epochs';
const noReservedNames: Extract<keyof StepMetrics | keyof EpochMetrics, Reserved> extends never ? true : never = true;
void noReservedNames;

/** Field names of a schema in table order. */
export function fieldsOf<S extends MetricSchema>(schema: S): (keyof S & string)[] {
  return Object.keys(schema) as (keyof S & string)[];
}

/** Values per row of a field: L for per-layer fields, else 1. */
export function widthOf(spec: MetricSpec, layers: number): number {
  return spec.perLayer ? layers : 1;
}

/**
 * Growable float64 columns of one run (amortised doubling). The producer takes a row with
 * `addRow()` (all fields 0) and writes `cols[name][row]` (per-layer: `[row * L + l]`); the
 * arrays may be reallocated by addRow, so re-read `cols` after it.
 * Every row at and above n is all 0 (new arrays are; emptying zeroes the rows it drops, one fill
 * per field per batch), so addRow writes nothing: it runs once per training step and run, and a
 * fill per field there cost ~2% of a race's step.
 */
export class MetricColumns<S extends MetricSchema> {
  readonly schema: S;
  readonly layers: number;
  n = 0;
  cols: { -readonly [K in keyof S]: Float64Array<ArrayBuffer> };
  private readonly names: (keyof S & string)[];
  private readonly widths: number[];
  private capacity: number;

  constructor(schema: S, layers: number, capacity = 64) {
    this.schema = schema;
    this.layers = layers;
    this.names = fieldsOf(schema);
    this.widths = this.names.map((k) => widthOf(schema[k], layers));
    this.capacity = Math.max(1, capacity);
    this.cols = this.alloc(this.capacity);
  }

  /** A new row (every field 0); returns its index. */
  addRow(): number {
    if (this.n === this.capacity) this.grow(this.n + 1);
    return this.n++;
  }

  /**
   * Append a whole batch, adding offset.step / offset.epoch to the fields with that `shift`
   * (a 0 in a `noneIsZero` field stays 0).
   */
  append(b: Series<S>, offset: { step: number; epoch: number } = { step: 0, epoch: 0 }): void {
    if (b.n === 0) return;
    if (this.n + b.n > this.capacity) this.grow(this.n + b.n);
    this.names.forEach((k, f) => {
      const w = this.widths[f];
      const dst = this.cols[k];
      const src = b[k];
      const spec = this.schema[k];
      const d = spec.shift ? offset[spec.shift] : 0;
      if (d === 0) dst.set(src.subarray(0, b.n * w), this.n * w);
      else for (let j = 0; j < b.n * w; j++) dst[this.n * w + j] = spec.noneIsZero && src[j] === 0 ? 0 : src[j] + d;
    });
    this.n += b.n;
  }

  /** The rows so far as exact float64 columns (copies); then empty. */
  takeSeries(): Series<S> {
    const out = { n: this.n } as Series<S>;
    this.names.forEach((k, f) => {
      (out as Record<string, unknown>)[k] = this.cols[k].slice(0, this.n * this.widths[f]);
    });
    this.clear();
    return out;
  }

  /** The rows so far in each field's wire type (one rounding to float32 where the type says so); then empty. */
  takeColumns(): Columns<S> {
    const out = { n: this.n } as Columns<S>;
    this.names.forEach((k, f) => {
      const src = this.cols[k].subarray(0, this.n * this.widths[f]);
      (out as Record<string, unknown>)[k] = ARRAY[this.schema[k].type].from(src);
    });
    this.clear();
    return out;
  }

  /** Empty: the rows so far zeroed (every row at and above n is 0, for addRow). */
  clear(): void {
    for (let f = 0; f < this.names.length; f++) this.cols[this.names[f]].fill(0, 0, this.n * this.widths[f]);
    this.n = 0;
  }

  private alloc(rows: number) {
    const cols = {} as Record<string, Float64Array<ArrayBuffer>>;
    this.names.forEach((k, f) => {
      cols[k] = new Float64Array(rows * this.widths[f]);
    });
    return cols as { -readonly [K in keyof S]: Float64Array<ArrayBuffer> };
  }

  private grow(rows: number): void {
    let cap = this.capacity;
    while (cap < rows) cap *= 2;
    const next = this.alloc(cap);
    this.names.forEach((k, f) => {
      next[k].set(this.cols[k].subarray(0, this.n * this.widths[f]));
    });
    this.cols = next;
    this.capacity = cap;
  }
}

/** An empty batch of a schema (a backend's report for a run that did not step). */
export function emptySeries<S extends MetricSchema>(schema: S): Series<S> {
  return new MetricColumns(schema, 0, 1).takeSeries();
}

/** Rows of a batch as objects: for tests, lessons and scripts, never on the worker's path. */
export function rowsOf<S extends MetricSchema>(schema: S, b: Series<S>, layers: number): Row<S>[] {
  const names = fieldsOf(schema);
  return Array.from({ length: b.n }, (_, i) => {
    const row = {} as Record<string, unknown>;
    for (const k of names) {
      const spec = schema[k];
      const v = b[k];
      if (spec.perLayer) row[k] = ARRAY[spec.type].from(v.subarray(i * layers, (i + 1) * layers));
      else row[k] = spec.type === 'bool' ? v[i] !== 0 : v[i];
    }
    return row as Row<S>;
  });
}
