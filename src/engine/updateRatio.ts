// The update-to-weight ratio of one training step, per layer (the step metric `updateRatio`,
// metricsSchema.ts; its rule of thumb, about 1e-3, is a diagnostic, diagnostics.ts):
//   ratio[l] = ||W_l - W_l,before|| / ||W_l,before||   (float32; +Inf when W_l was 0 and moved)
// Computed by Run.trainStep (trainer.ts) after the optimizer step and the L1 proximal step; the
// same pass finds a non-finite weight, i.e. a divergence.
import { allFinite } from './floatArray';
import type { ParamLayout } from './layout';

/**
 * ratio[l] = ||W_l - W_l,before|| / ||W_l,before|| (float32) for every layer, in one pass over
 * theta[P] and prev[P] (the weights before the step); false when theta holds a non-finite entry
 * (then ratio is not to be recorded).
 * Each sum runs in the order of its own loop (the weights' norm as l2Norm), so the values are
 * those of separate loops. A non-finite entry of W makes its du non-finite (prev is finite: the
 * Run keeps no non-finite weights), so only a non-finite du, and the entries outside the weight
 * matrices (biases, batch-norm scales), need the entry-by-entry check.
 */
export function updateRatios(
  layout: ParamLayout,
  theta: Float32Array,
  prev: Float32Array,
  ratio: Float64Array,
): boolean {
  // index ranges, not subarrays: this runs every step of every run (no allocation per step)
  const layers = layout.layers;
  for (let j = 0; j < layers.length; j++) {
    const l = layers[j];
    const end = l.w + l.outDim * l.inDim;
    let du = 0;
    let ww = 0;
    for (let k = l.w; k < end; k++) {
      const p = prev[k];
      const d = theta[k] - p;
      du += d * d;
      ww += p * p;
    }
    const next = j + 1 < layers.length ? layers[j + 1].w : layout.size;
    if (!Number.isFinite(du) && !allFinite(theta, l.w, end)) return false;
    if (!allFinite(theta, end, next)) return false;
    const w = Math.sqrt(ww);
    ratio[l.index] = Math.fround(w > 0 ? Math.sqrt(du) / w : du > 0 ? Number.POSITIVE_INFINITY : 0);
  }
  return true;
}
