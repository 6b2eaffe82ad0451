// How much work a config asks of the CPU engine, and when that is too much to train at a usable
// speed. The schema accepts up to 8 hidden layers of 512 units and batches of 1,024, so the
// largest digits network (784-512x8-10, P = 2.2 million) costs 6.9 billion multiply-adds per
// step: a minute per step in the TypeScript engine, during which the worker cannot pause,
// answer the page's heartbeat or stream anything. Such a config is refused up front with a
// message naming the field to change, instead of freezing the class demo.
//
// Cost model (dense layers dominate; activations, batch norm and the optimizer are O(P) or O(B*units)):
//   S = sum over dense layers of I*O        (multiply-adds of one sample's forward pass)
//   one step  = 3 * B * S * R               (forward X W^T, backward dX = dY W and dW = dY^T X; R compare runs)
//   one epoch-end evaluation = (nTrain + nVal) * S * R   (both splits, forward only; synchronous in Run.step)
import type { TrainConfig } from '../../src/engine/types';

/**
 * Largest step the CPU engine takes on: about 1 s at 1 GMAC/s (a laptop core in V8), 4 s on a
 * slow shared machine; well under the page's 10 s heartbeat, so a step never looks like a crash.
 */
export const MAX_CPU_STEP_MACS = 1e9;
/** Largest end-of-epoch evaluation (train + validation splits) the CPU engine takes on. */
export const MAX_CPU_EVAL_MACS = 4e9;

/** Multiply-adds of one sample's forward pass through dense layers of `hidden` widths. */
export function forwardMacs(inputDim: number, hidden: readonly number[], outputDim: number): number {
  const widths = [inputDim, ...hidden, outputDim];
  let s = 0;
  for (let i = 1; i < widths.length; i++) s += widths[i - 1] * widths[i];
  return s;
}

export interface DataShape {
  inputDim: number;
  outputDim: number;
  nTrain: number;
  nVal: number;
}

export interface CpuCost {
  /** Multiply-adds of one training step of all R runs. */
  stepMacs: number;
  /** Multiply-adds of one end-of-epoch evaluation of all R runs. */
  evalMacs: number;
}

export function cpuCost(cfgs: readonly TrainConfig[], ds: DataShape): CpuCost {
  const c = cfgs[0];
  const S = forwardMacs(
    ds.inputDim,
    c.model.hidden.map((h) => h.units),
    ds.outputDim,
  );
  const B = Math.min(c.batchSize, ds.nTrain);
  const R = cfgs.length;
  return { stepMacs: 3 * B * S * R, evalMacs: (ds.nTrain + ds.nVal) * S * R };
}

export interface CapacityProblem {
  field: string;
  message: string;
}

const millions = (x: number) => `${Math.round(x / 1e6).toLocaleString('en-US')} million`;

/**
 * Null when the CPU engine can train `cfgs` on data of this shape at a usable speed; otherwise
 * the field to change (batchSize when a smaller batch would do, else model.hidden; data.samples
 * for the evaluation) and a sentence that says by how much.
 */
export function cpuCapacityProblem(cfgs: readonly TrainConfig[], ds: DataShape): CapacityProblem | null {
  const cost = cpuCost(cfgs, ds);
  const runs = cfgs.length > 1 ? ` for ${cfgs.length} runs` : '';
  if (cost.stepMacs > MAX_CPU_STEP_MACS) {
    const perSample = cost.stepMacs / Math.min(cfgs[0].batchSize, ds.nTrain);
    const maxBatch = Math.floor(MAX_CPU_STEP_MACS / perSample);
    const head = `about ${millions(cost.stepMacs)} multiply-adds per step${runs} is too much for the CPU engine at a usable speed (limit ${millions(MAX_CPU_STEP_MACS)})`;
    if (maxBatch >= 1)
      return { field: 'batchSize', message: `${head}; use a batch size of at most ${maxBatch}, or a smaller network` };
    return { field: 'model.hidden', message: `${head}; use fewer or narrower hidden layers` };
  }
  if (cost.evalMacs > MAX_CPU_EVAL_MACS) {
    const perSample = cost.evalMacs / (ds.nTrain + ds.nVal);
    const maxSamples = Math.floor(MAX_CPU_EVAL_MACS / perSample);
    return {
      field: 'data.samples',
      message: `evaluating ${ds.nTrain + ds.nVal} samples after each epoch takes about ${millions(cost.evalMacs)} multiply-adds${runs}, too much for the CPU engine (limit ${millions(MAX_CPU_EVAL_MACS)}); use at most ${maxSamples} samples, or a smaller network`,
    };
  }
  return null;
}

/** Thrown by a backend's build() for a config it refuses; `field` names what to change. */
export class CapacityError extends Error {
  constructor(readonly problem: CapacityProblem) {
    super(`${problem.field}: ${problem.message}`);
    this.name = 'CapacityError';
  }
  get field(): string {
    return this.problem.field;
  }
}

/** Throws a CapacityError when the CPU engine cannot train `cfgs` at a usable speed. */
export function assertCpuCapacity(cfgs: readonly TrainConfig[], ds: DataShape): void {
  const p = cpuCapacityProblem(cfgs, ds);
  if (p) throw new CapacityError(p);
}
