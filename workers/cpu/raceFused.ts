// A race's lockstep step with the runs' forward and backward passes fused: the runs that share a
// network shape and the step's batch size take their loss and gradient from ONE call each way into
// the WebAssembly kernels (wasmOps.ts RaceLossAndGrad -> wasm/dense.ts raceForward/raceBackward) and
// one JavaScript loop for their softmax cross-entropy, instead of six dense-op calls (each laying
// out, copying in and out) plus the engine's per-layer glue per run. The kernels make, per run, the
// same calls as that run's own ops, so every number is the one the run gets trained alone
// (trainer.test.ts / raceFused.test.ts check bit for bit).
//
// Per step:  for each run: Run.beginStep()          (batch, learning rate; SharedBatch gathers once)
//            per group (shape, B): raceLossAndGrad  (x copied in once per distinct batch)
//            for each run: Run.finishStep({ dataLoss, correct, grad })   (penalties, update, records)
// Covered (Run.plainStep): softmax cross-entropy on a classification set, any activations, any
// optimizer, weight decay / L1, clipping, schedules. Not covered, stepped alone by the engine as
// before: batch norm, dropout, activation L1, MSE, runs whose weights the kernels do not hold.
import type { Run } from '../../src/engine';
import type { Activation } from '../../src/engine/types';
import type { RaceLossAndGrad, RaceMember, RaceShape } from './wasmOps';

interface Fit {
  /** The shape's key (widths, activations): runs with equal keys fuse. */
  key: string;
  shape: RaceShape;
}

export class FusedRace {
  /** Each run's gradient, in the kernels' memory (DenseOps.alloc: read and written in place). */
  private readonly grads = new Map<Run, Float32Array>();
  private readonly fits = new WeakMap<Run, Fit>();
  private loss = new Float64Array(8);
  private correct = new Float64Array(8);
  /** Steps (run-steps) taken through the fused call and one by one (tests, bench). */
  fused = 0;
  alone = 0;

  constructor(
    private readonly lossAndGrad: RaceLossAndGrad,
    private readonly alloc: (n: number) => Float32Array | null,
    private readonly release: (a: Float32Array) => void,
  ) {}

  /** One lockstep step of every run whose status is 'ok'; false when none stepped. */
  step(runs: readonly Run[]): boolean {
    let any = false;
    const groups = new Map<string, { fit: Fit; B: number; runs: Run[]; members: RaceMember[] }>();
    for (const r of runs) {
      if (r.status !== 'ok') continue;
      any = true;
      const grad = r.plainStep ? this.gradOf(r) : null;
      if (!grad) {
        r.stepOnce();
        this.alone++;
        continue;
      }
      const s = r.beginStep()!;
      const fit = this.fitOf(r);
      const key = `${fit.key}|${s.B}`;
      let g = groups.get(key);
      if (!g) {
        g = { fit, B: s.B, runs: [], members: [] };
        groups.set(key, g);
      }
      g.runs.push(r);
      g.members.push({ theta: r.weights, grad, x: s.x, y: s.y as Int32Array });
    }
    for (const g of groups.values()) {
      const n = g.runs.length;
      if (this.loss.length < n) {
        this.loss = new Float64Array(n);
        this.correct = new Float64Array(n);
      }
      if (!this.lossAndGrad(g.fit.shape, g.B, g.members, this.loss, this.correct)) {
        // no room in the kernels' memory: each run computes its own (the same numbers)
        for (const r of g.runs) r.finishStep();
        this.alone += n;
        continue;
      }
      for (let i = 0; i < n; i++)
        g.runs[i].finishStep({ dataLoss: this.loss[i], correct: this.correct[i], grad: g.members[i].grad });
      this.fused += n;
    }
    return any;
  }

  /** Gives run r's gradient memory back (r leaves the race: moved to another shard). */
  forget(r: Run): void {
    const g = this.grads.get(r);
    if (g) this.release(g);
    this.grads.delete(r);
  }

  /** Gives the gradients' memory back (the backend's runs are replaced or disposed). */
  dispose(): void {
    for (const g of this.grads.values()) this.release(g);
    this.grads.clear();
  }

  private gradOf(r: Run): Float32Array | null {
    let g = this.grads.get(r);
    if (!g) {
      const a = this.alloc(r.layout.size);
      if (!a) return null;
      g = a;
      this.grads.set(r, g);
    }
    return g;
  }

  private fitOf(r: Run): Fit {
    let f = this.fits.get(r);
    if (!f) {
      const layers = r.layout.layers;
      const widths = [r.layout.inputDim, ...layers.map((l) => l.outDim)];
      const acts = layers.slice(0, -1).map((l) => l.activation as Activation);
      const shape = { widths, acts, wOff: layers.map((l) => l.w), bOff: layers.map((l) => l.b) };
      f = { key: `${widths.join('-')}:${acts.join(',')}`, shape };
      this.fits.set(r, f);
    }
    return f;
  }
}
