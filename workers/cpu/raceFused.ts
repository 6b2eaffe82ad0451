// A race's lockstep step with the runs' forward and backward passes fused: the runs that share a
// network shape and the step's batch size take their loss and gradient from ONE call each way into
// the WebAssembly kernels (racePlan.ts RaceLossAndGrad -> wasm/dense.ts raceForward/raceBackward) and
// one JavaScript loop for their softmax cross-entropy, instead of six dense-op calls (each laying
// out, copying in and out) plus the engine's per-layer glue per run. The kernels make, per run, the
// same calls as that run's own ops, so every number is the one the run gets trained alone
// (trainer.test.ts / raceFused.test.ts check bit for bit).
//
// Per step:  for each run: Run.beginStep()          (batch, learning rate; SharedBatch gathers once)
//            per group (shape, B): raceLossAndGrad  (x copied in once per distinct batch; the group's
//                                                     layout in the kernels' memory kept, racePlan.ts)
//            for each run: Run.finishStep({ dataLoss, correct, grad })   (penalties, update, records)
// Covered (Run.plainStep): softmax cross-entropy on a classification set, any activations, any
// optimizer, weight decay / L1, clipping, schedules. Not covered, stepped alone by the engine as
// before: batch norm, dropout, activation L1, MSE, runs whose weights the kernels do not hold.
import type { Run } from '../../src/engine';
import type { LayerLayout } from '../../src/engine/layout';
import type { Activation } from '../../src/engine/types';
import type { RaceCache, RaceLossAndGrad, RaceMember, RaceShape } from './wasmOps';

interface Fit {
  /** The shape's key (widths, activations): runs with equal keys fuse. */
  key: string;
  shape: RaceShape;
}

/** A run's part of the fused call, and its result handed to Run.finishStep (gradNorms [L], by layer index). */
type Member = RaceMember & {
  done: { dataLoss: number; correct: number; grad: Float32Array; gradNorms: Float64Array };
};
interface Group {
  fit: Fit;
  B: number;
  runs: Run[];
  members: Member[];
  /** The kernels' layout of the group's step, kept from step to step (racePlan.ts). */
  cache: RaceCache;
}
const EMPTY = new Float32Array(0);
const NO_LABELS = new Int32Array(0);

export class FusedRace {
  /** Each run's gradient (in the kernels' memory: DenseOps.alloc, read and written in place) and its step's batch. */
  private readonly members = new Map<Run, Member>();
  private readonly groups: Group[] = [];
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
    // the groups and members are kept from step to step (no allocation per step)
    const groups = this.groups;
    for (const g of groups) {
      g.runs.length = 0;
      g.members.length = 0;
    }
    for (const r of runs) {
      if (r.status !== 'ok') continue;
      any = true;
      const m = r.plainStep ? this.memberOf(r) : null;
      if (!m) {
        r.stepOnce();
        this.alone++;
        continue;
      }
      const s = r.beginStep()!;
      m.x = s.x;
      m.y = s.y as Int32Array;
      const fit = this.fitOf(r);
      let g: Group | undefined;
      for (const h of groups) if (h.fit.key === fit.key && h.B === s.B) g = h;
      if (!g) {
        g = { fit, B: s.B, runs: [], members: [], cache: {} };
        groups.push(g);
      }
      g.runs.push(r);
      g.members.push(m);
    }
    for (const g of groups) {
      const n = g.runs.length;
      if (n === 0) continue;
      if (this.loss.length < n) {
        this.loss = new Float64Array(n);
        this.correct = new Float64Array(n);
      }
      if (!this.lossAndGrad(g.fit.shape, g.B, g.members, this.loss, this.correct, g.cache)) {
        // no room in the kernels' memory: each run computes its own (the same numbers)
        for (const r of g.runs) r.finishStep();
        this.alone += n;
        continue;
      }
      gradNorms(g.members, n, g.runs[0].layout.layers);
      for (let i = 0; i < n; i++) {
        const m = g.members[i];
        m.done.dataLoss = this.loss[i];
        m.done.correct = this.correct[i];
        g.runs[i].finishStep(m.done);
      }
      this.fused += n;
    }
    return any;
  }

  /** Gives run r's gradient memory back (r leaves the race: moved to another shard). */
  forget(r: Run): void {
    const m = this.members.get(r);
    if (m) this.release(m.grad);
    this.members.delete(r);
  }

  /** Gives the gradients' memory back (the backend's runs are replaced or disposed). */
  dispose(): void {
    for (const m of this.members.values()) this.release(m.grad);
    this.members.clear();
    for (const g of this.groups) g.cache.plan?.dispose();
    this.groups.length = 0;
  }

  private memberOf(r: Run): Member | null {
    let m = this.members.get(r);
    if (!m) {
      const grad = this.alloc(r.layout.size);
      if (!grad) return null;
      const gradNorms = new Float64Array(r.layout.layers.length);
      m = { theta: r.weights, grad, x: EMPTY, y: NO_LABELS, done: { dataLoss: 0, correct: 0, grad, gradNorms } };
      this.members.set(r, m);
    }
    m.theta = r.weights; // a disposed Run goes on with a copy of its own
    return m;
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

/**
 * Each run's per-layer weight-gradient norms, Math.fround(sqrt(sum_k g[k]^2)) over the layer's
 * weights, as Run.applyStep takes them (l2Norm), into done.gradNorms: four runs' sums interleaved
 * in one loop, so the four chains of dependent float64 additions overlap instead of running one
 * after another (the sum's latency, not its arithmetic, is the cost: ~5% of a race step in
 * Chromium's profile). Each sum keeps l2Norm's order, so every norm is the same float. Lanes past
 * the group's last run repeat it (their sums are not stored). The runs share the layout (a group).
 */
function gradNorms(members: readonly Member[], n: number, layers: readonly LayerLayout[]): void {
  for (let i = 0; i < n; i += 4) {
    const m0 = members[i];
    const m1 = members[Math.min(i + 1, n - 1)];
    const m2 = members[Math.min(i + 2, n - 1)];
    const m3 = members[Math.min(i + 3, n - 1)];
    const g0 = m0.grad;
    const g1 = m1.grad;
    const g2 = m2.grad;
    const g3 = m3.grad;
    for (let j = 0; j < layers.length; j++) {
      const l = layers[j];
      const end = l.w + l.outDim * l.inDim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = l.w; k < end; k++) {
        s0 += g0[k] * g0[k];
        s1 += g1[k] * g1[k];
        s2 += g2[k] * g2[k];
        s3 += g3[k] * g3[k];
      }
      // written last to first: a repeated lane writes its run's own value again
      m3.done.gradNorms[l.index] = Math.fround(Math.sqrt(s3));
      m2.done.gradNorms[l.index] = Math.fround(Math.sqrt(s2));
      m1.done.gradNorms[l.index] = Math.fround(Math.sqrt(s1));
      m0.done.gradNorms[l.index] = Math.fround(Math.sqrt(s0));
    }
  }
}
