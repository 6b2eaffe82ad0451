// Where a run is evaluated. Most rules evaluate the weights they train (theta). Schedule-Free
// (optimizers/schedulefree.ts) trains at y and is evaluated at its average x, the spec's
// `evalPoint`; then batch norm's running statistics, gathered during training at y, do not belong
// to x, and are recomputed there as the reference's README says ("Right before eval ... model.train();
// optimizer.eval(); for batch in islice(train_loader, 50): model(batch)", facebookresearch/
// schedule_free README, Caveats):
//   for the first K = min(50, floor(n/B)) consecutive training batches of B samples (index order;
//   one batch of all n when n < B), a training-mode forward at x gives each BN layer's batch mean
//   mu_k[O] and variance var_k[O];
//   runMean = (1/K) sum_k mu_k,   runVar = (1/K) sum_k var_k * B/(B-1)   (the unbiased estimate, as
//   updateRunningStats)
// The equal-weight average is PreciseBN, which the README names as the alternative: with the
// README's momentum averaging, Descent's bnMomentum (0.99 in places) would keep most of the
// y-statistics after 50 batches; the average keeps none, whatever the momentum. Dropout is off
// and there is no augmentation (the statistics of the network as it is evaluated), which PyTorch's
// model.train() would leave on.
// Shapes: theta[P], bnStats[SS] (layout.ts), x[n, D] preprocessed training inputs.
import type { DenseOps } from './dense';
import type { FloatArray } from './floatArray';
import type { ParamLayout } from './layout';
import { forward } from './network';
import type { ModelConfig } from './types';

/** Batches the README's recipe runs (itertools.islice(train_loader, 50)). */
export const BN_RECOMPUTE_BATCHES = 50;

/**
 * Batch-norm running statistics recomputed at theta from training inputs x[n, D] (see the header),
 * written into out[SS] (entries of layers without batch norm are left as they are).
 */
export function preciseBnStats(
  layout: ParamLayout,
  theta: FloatArray,
  model: ModelConfig,
  x: FloatArray,
  n: number,
  batchSize: number,
  out: Float32Array,
  ops?: DenseOps,
): void {
  const bnLayers = layout.layers.filter((L) => L.batchNorm);
  if (bnLayers.length === 0 || n === 0) return;
  const B = Math.min(batchSize, n);
  const K = Math.min(BN_RECOMPUTE_BATCHES, Math.floor(n / B));
  const D = layout.inputDim;
  const noDropout: ModelConfig = { ...model, hidden: model.hidden.map((h) => ({ ...h, dropout: 0 })) };
  const sums = new Float64Array(out.length);
  for (let k = 0; k < K; k++) {
    const xb = x.subarray(k * B * D, (k + 1) * B * D);
    const fwd = forward(layout, theta, out, xb, B, { train: true, model: noDropout, dropoutSeed: 0, step: 0, ops });
    for (const L of bnLayers) {
      const bn = fwd.layers[L.index].bn!;
      const O = L.outDim;
      for (let o = 0; o < O; o++) {
        sums[L.stats + o] += bn.mean[o];
        sums[L.stats + O + o] += bn.var[o];
      }
    }
  }
  const unbias = B > 1 ? B / (B - 1) : 1;
  for (const L of bnLayers) {
    const O = L.outDim;
    for (let o = 0; o < O; o++) {
      out[L.stats + o] = sums[L.stats + o] / K;
      out[L.stats + O + o] = (sums[L.stats + O + o] / K) * unbias;
    }
  }
}
