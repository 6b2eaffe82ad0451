// The bookkeeping of a training loop, independent of how a step is computed: the CPU Run
// (trainer.ts) and the WebGPU backend both drive one TrainLoop per run, so they visit the same
// minibatches, use the same learning rate at every step and stop at the same epoch.
//
// Per step:   idx = loop.nextBatch(); lr = loop.nextLr(); <compute the step>; loop.afterStep()
// Per epoch:  when afterStep() returns true, evaluate, then loop.endEpoch(valLoss)
//
// Minibatches. Epoch e visits the training samples in epochOrder(shuffleSeed, e, nTrain, shuffle)
// (rng.ts), in consecutive slices of B = min(batchSize, nTrain). The last partial slice of an
// epoch is DROPPED: stepsPerEpoch = floor(nTrain / B). Every step then has exactly B samples,
// which (a) lets the GPU keep fixed-size buffers and one set of pipelines, (b) keeps batch norm's
// batch statistics meaningful (a leftover batch of 1 would have zero variance), and (c) keeps the
// gradient noise level constant. With shuffling on, the dropped samples differ every epoch, so
// no sample is excluded for long; with shuffling off, the same nTrain mod B samples are skipped
// (at most B - 1, and none when B divides nTrain).
//
// The schedule's clock t (fractional epochs; schedules.ts) is the loop's accumulated epoch
// progress, not step / stepsPerEpoch with the current batch size, so a live batch-size change
// does not move it. While the batch size never changed, t = step / S (S = stepsPerEpoch), exactly
// the old formula (bit-identical runs). After a change at step k, mid-epoch e at time t_k, the
// clock advances linearly over the r full batches of the new size left in that epoch, reaching
// e + 1 at its end: t = t_k + (step - k) * (e + 1 - t_k) / r. From every later epoch end (step
// k_e) on, t = e + (step - k_e) / S with the new S. The anchor lives in LoopState.clock, so a
// copy of the state keeps the clock (the GPU's planning loops; a backend given the LoopState).
import { type EarlyStopState, earlyStopUpdate, initialEarlyStop } from './earlyStopping';
import { optimizerSpec } from './optimizers/registry';
import { epochOrder } from './rng';
import { initialPlateau, learningRateAtTime, type PlateauState, plateauUpdate } from './schedules';
import type { TrainConfig } from './types';

// Divergence. A step diverges when its loss or the updated weights are not finite (the Run
// checks the weights), or when the training loss has blown up without overflowing: the mean
// data loss of the last DIVERGENCE_WINDOW steps exceeds DIVERGENCE_FACTOR times the run's
// first-step data loss. The second rule exists because softmax cross-entropy grows only
// linearly with the logits: SGD at lr = 50 on the default tanh network settles at losses of
// ~100 (chance level is ~0.7) and would never overflow. A healthy run never averages 10x its
// starting loss over 20 steps, while a run that does has stopped learning.
export const DIVERGENCE_WINDOW = 20;
export const DIVERGENCE_FACTOR = 10;

/** 'paused' and 'training' belong to the worker; the engine only knows whether a run may continue. */
export type RunStatus = 'ok' | 'diverged' | 'early-stopped' | 'finished';

/** The serializable state of a loop (plain data). */
export interface LoopState {
  /** Steps taken so far; the next step has this 0-based index. */
  step: number;
  /** Completed epochs. */
  epoch: number;
  /** Training samples (positions in the epoch's order) consumed in the current epoch. */
  sampleInEpoch: number;
  status: RunStatus;
  /** 0-based index of the step at which status left 'ok', else -1. */
  statusStep: number;
  plateau: PlateauState;
  early: EarlyStopState;
  /** Data loss of step 0 (NaN before it): the divergence reference. */
  firstLoss: number;
  /** Data losses of the last DIVERGENCE_WINDOW steps, oldest first. */
  recentLosses: number[];
  /** The schedule clock's anchor after a live batch-size change, else null (t = step / stepsPerEpoch). */
  clock: ClockAnchor | null;
}

/** t = epochs + (step - step_anchor) / stepsPerEpoch, for steps from the anchor on (see the header). */
export interface ClockAnchor {
  /** Fractional epochs at the anchor. */
  epochs: number;
  /** Step index at the anchor. */
  step: number;
  /** Steps per epoch of the clock from the anchor on (fractional for the rest of a changed epoch). */
  stepsPerEpoch: number;
}

/** The clock at `step`: the old formula step / S until an anchor exists. */
export function clockAt(anchor: ClockAnchor | null, step: number, S: number): number {
  return anchor ? anchor.epochs + (step - anchor.step) / anchor.stepsPerEpoch : step / S;
}

export interface EpochEnd {
  /** Validation loss improved by more than earlyStop.minDelta (the Run saves the best weights). */
  improved: boolean;
  /** Early stopping fired this epoch (the Run restores the best weights if restoreBest). */
  stopped: boolean;
  /** Reduce-on-plateau lowered the learning rate this epoch. */
  reduced: boolean;
  bestEpoch: number;
}

/** B actually used: the configured batch size, capped at the training-set size. */
export function effectiveBatchSize(batchSize: number, nTrain: number): number {
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw new Error(`batchSize must be a whole number >= 1, got ${batchSize}`);
  if (!(nTrain >= 1)) throw new Error(`the training split is empty (nTrain = ${nTrain})`);
  return Math.min(batchSize, nTrain);
}

/** Full batches per epoch (the last partial batch is dropped, see the header). */
export function stepsPerEpoch(batchSize: number, nTrain: number): number {
  return Math.floor(nTrain / effectiveBatchSize(batchSize, nTrain));
}

export function initialLoopState(): LoopState {
  return {
    step: 0,
    epoch: 0,
    sampleInEpoch: 0,
    status: 'ok',
    statusStep: -1,
    plateau: initialPlateau(),
    early: initialEarlyStop(),
    firstLoss: Number.NaN,
    recentLosses: [],
    clock: null,
  };
}

// One epoch's order serves every loop of a compare set (they share the shuffle seed and nTrain)
// and the GPU backend's planning copies of the loops, which are made afresh for every train()
// call: computed once and kept for the last few (seed, epoch, n, shuffle), not once per run and
// call (64 runs on 65,536 samples spent ~60 ms per call allocating and filling the same order).
// The arrays are shared: nobody writes into an order (nextBatch hands out read-only views).
const ORDER_CACHE_SIZE = 4;
const orderCache: { key: string; order: Int32Array }[] = [];

function sharedEpochOrder(shuffleSeed: number, epoch: number, n: number, shuffle: boolean): Int32Array {
  const key = `${shuffleSeed}|${epoch}|${n}|${shuffle ? 1 : 0}`;
  const at = orderCache.findIndex((c) => c.key === key);
  if (at >= 0) {
    const hit = orderCache[at];
    orderCache.splice(at, 1);
    orderCache.unshift(hit);
    return hit.order;
  }
  const order = epochOrder(shuffleSeed, epoch, n, shuffle);
  orderCache.unshift({ key, order });
  orderCache.length = Math.min(orderCache.length, ORDER_CACHE_SIZE);
  return order;
}

export class TrainLoop {
  state: LoopState = initialLoopState();
  private orderEpoch = -1;
  private order: Int32Array = new Int32Array(0);

  /**
   * @param cfg the run's config (replace it with setConfig on live changes)
   * @param nTrain training samples
   * @param shuffleSeed streamSeed(seed, 'shuffle'), shared by every run of a compare set
   */
  constructor(
    public cfg: TrainConfig,
    readonly nTrain: number,
    readonly shuffleSeed: number,
  ) {
    effectiveBatchSize(cfg.batchSize, nTrain);
  }

  get batchSize(): number {
    return effectiveBatchSize(this.cfg.batchSize, this.nTrain);
  }

  get stepsPerEpoch(): number {
    return stepsPerEpoch(this.cfg.batchSize, this.nTrain);
  }

  /**
   * Fractional epochs so far, the schedule's clock t (see the header): integer at every epoch end,
   * continuous across live batch-size changes.
   */
  get epochProgress(): number {
    return clockAt(this.state.clock, this.state.step, this.stepsPerEpoch);
  }

  /**
   * Live change (Run.setHyper). A new batch size mid-epoch continues from the same position in the
   * epoch's order, so no sample is visited twice or skipped because of the change.
   */
  setConfig(cfg: TrainConfig): void {
    const B = effectiveBatchSize(cfg.batchSize, this.nTrain);
    const s = this.state;
    if (B !== this.batchSize && s.step > 0) {
      // Re-anchor the clock where it stands, to reach the next integer epoch at this epoch's end.
      const t = this.epochProgress;
      const left = Math.max(1, Math.floor((this.nTrain - s.sampleInEpoch) / B)); // full batches left
      s.clock =
        s.sampleInEpoch === 0
          ? { epochs: s.epoch, step: s.step, stepsPerEpoch: stepsPerEpoch(B, this.nTrain) }
          : { epochs: t, step: s.step, stepsPerEpoch: left / (s.epoch + 1 - t) };
    }
    this.cfg = cfg;
    // Statuses that a config change lifts: a larger epoch budget, or early stopping switched off.
    if (s.status === 'finished' && !(cfg.maxEpochs > 0 && s.epoch >= cfg.maxEpochs)) this.resume();
    if (s.status === 'early-stopped' && !cfg.earlyStop.enabled) this.resume();
  }

  private resume(): void {
    this.state.status = 'ok';
    this.state.statusStep = -1;
  }

  /** Training-set indices [B] of the next step (a view into the epoch's order: do not modify). */
  nextBatch(): Int32Array {
    const { epoch, sampleInEpoch } = this.state;
    if (this.orderEpoch !== epoch) {
      this.order = sharedEpochOrder(this.shuffleSeed, epoch, this.nTrain, this.cfg.data.shuffle);
      this.orderEpoch = epoch;
    }
    // After a live batch-size increase the rest of the epoch may hold fewer than B samples: its
    // last step then takes the epoch's last B samples (re-visiting up to B - 1 of this epoch's), so
    // every step keeps exactly B (the GPU's fixed buffers, batch norm), and the epoch ends after it.
    const start = Math.min(sampleInEpoch, this.nTrain - this.batchSize);
    return this.order.subarray(start, start + this.batchSize);
  }

  /** Learning rate of the next step: the schedule at this step and clock, times the plateau scale. */
  nextLr(): number {
    const { schedule, optimizer } = this.cfg;
    if (optimizerSpec(optimizer.name).ignoresSchedule) return optimizer.lr; // e.g. Schedule-Free: its own warm-up
    return learningRateAtTime(schedule, optimizer.lr, this.state.step, this.epochProgress, this.state.plateau);
  }

  /**
   * Feeds the data loss of the step being taken; true when the run diverges by it (non-finite,
   * or the windowed blow-up rule of the header). Call before afterStep.
   */
  observeLoss(dataLoss: number): boolean {
    const s = this.state;
    // Beyond float32's range counts as non-finite: the weights, the GPU and every chart are float32.
    if (!Number.isFinite(Math.fround(dataLoss))) return true;
    if (Number.isNaN(s.firstLoss)) s.firstLoss = dataLoss;
    s.recentLosses.push(dataLoss);
    if (s.recentLosses.length > DIVERGENCE_WINDOW) s.recentLosses.shift();
    if (s.recentLosses.length < DIVERGENCE_WINDOW) return false;
    const mean = s.recentLosses.reduce((a, b) => a + b, 0) / DIVERGENCE_WINDOW;
    return mean > DIVERGENCE_FACTOR * s.firstLoss;
  }

  /** Counts the step just taken; true when it completed an epoch (then call endEpoch). */
  afterStep(): boolean {
    const s = this.state;
    s.step++;
    s.sampleInEpoch += this.batchSize;
    // The epoch ends when the next full batch would not fit (also right after a live batch-size increase).
    if (s.sampleInEpoch + this.batchSize > this.nTrain) {
      s.epoch++;
      s.sampleInEpoch = 0;
      if (s.clock) s.clock = { epochs: s.epoch, step: s.step, stepsPerEpoch: this.stepsPerEpoch };
      return true;
    }
    return false;
  }

  /**
   * Feeds the epoch's validation loss (use the training loss when there is no validation split)
   * to reduce-on-plateau and early stopping, and applies maxEpochs.
   */
  endEpoch(valLoss: number): EpochEnd {
    const s = this.state;
    const { schedule, earlyStop, maxEpochs } = this.cfg;
    let reduced = false;
    if (schedule.kind === 'plateau') {
      const r = plateauUpdate(s.plateau, valLoss, earlyStop.minDelta, schedule.patience, schedule.factor);
      s.plateau = r.state;
      reduced = r.reduced;
    }
    const e = earlyStopUpdate(s.early, valLoss, s.epoch, earlyStop);
    s.early = e.state;
    if (s.status === 'ok') {
      if (e.stop) this.stop('early-stopped');
      else if (maxEpochs > 0 && s.epoch >= maxEpochs) this.stop('finished');
    }
    return { improved: e.improved, stopped: e.stop, reduced, bestEpoch: s.early.bestEpoch };
  }

  /** The step just counted by afterStep (index step - 1) produced a non-finite loss or weights. */
  diverge(): void {
    this.stop('diverged');
  }

  private stop(status: RunStatus): void {
    this.state.status = status;
    this.state.statusStep = this.state.step - 1;
  }

  reset(): void {
    this.state = initialLoopState();
  }
}
