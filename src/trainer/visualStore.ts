// The latest decision boundaries, weight histograms (with a bounded history over time) and
// current weights of each run, outside React state like the metric history. Canvases read it
// on requestAnimationFrame and redraw when `version` changed.
import type { BoundaryGrid, Visuals, WeightHistograms } from '../../workers/protocol';

export class VisualStore {
  /** Increments on every change. */
  version = 0;
  generation = -1;
  /** Latest boundary grid per run (null until one arrives or for non-2D data). */
  boundaries: (BoundaryGrid | null)[] = [];
  /** Per run: histograms over time, oldest first, at most `historyCapacity` (older ones thinned by 2). */
  histograms: WeightHistograms[][] = [];
  /** Latest parameter vector per run (network diagram). */
  weights: ({ step: number; theta: Float32Array } | null)[] = [];
  readonly historyCapacity: number;

  constructor(historyCapacity = 120) {
    this.historyCapacity = historyCapacity;
  }

  reset(generation: number, runs: number): void {
    this.generation = generation;
    this.boundaries = Array.from({ length: runs }, () => null);
    this.histograms = Array.from({ length: runs }, () => []);
    this.weights = Array.from({ length: runs }, () => null);
    this.version++;
  }

  /** Apply one visual tick of `generation` (stale generations are dropped: false). */
  apply(generation: number, runs: number, v: Visuals): boolean {
    if (generation < this.generation) return false;
    if (generation > this.generation || runs !== this.boundaries.length) this.reset(generation, runs);
    for (const b of v.boundaries) if (b.run < runs) this.boundaries[b.run] = b;
    for (const w of v.weights) if (w.run < runs) this.weights[w.run] = { step: w.step, theta: w.theta };
    for (const h of v.histograms) if (h.run < runs) this.pushHistogram(this.histograms[h.run], h);
    this.version++;
    return true;
  }

  private pushHistogram(list: WeightHistograms[], h: WeightHistograms): void {
    // Same step twice (an explicit request right after a tick): keep the newer copy only.
    if (list.length > 0 && list[list.length - 1].step === h.step) list.pop();
    list.push(h);
    if (list.length > this.historyCapacity) {
      // Keep every other entry of the older half: the recent past stays dense, the far past sparse.
      const half = Math.floor(list.length / 2);
      const kept = list.slice(0, half).filter((_, i) => i % 2 === 1);
      list.splice(0, half, ...kept);
    }
  }
}
