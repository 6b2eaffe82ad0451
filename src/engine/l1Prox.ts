// L1 on weights as a proximal step (FOBOS, Duchi & Singer 2009; for SGD this is the clipping of
// Tsuruoka, Tsujii & Ananiadou 2009 applied to the penalty part alone). The penalty zeta1 ||w||_1
// is not differentiated: the optimizer steps on the smooth gradient g = data + 2 eta w (+ the
// activation L1 through backprop), and then every decayed weight (mask = 1) is shrunk toward 0
// by the penalty's own step and stopped at exactly 0:
//   w' = optimizer step on g                        (its state updated as usual)
//   tau = lr * zeta1 * s                            s = the per-coordinate scale the optimizer
//   w_new = sign(w') * max(0, |w'| - tau)               applied to the gradient this step
//   delta = w' - w_new                              (what the prox removed)
// Scales and state corrections, per optimizer (each spec's proxScale / afterProx, optimizers/):
//   sgd       s = 1
//   momentum  s = 1,          v <- v - delta
//   nesterov  s = 1 + mu,     v <- v - delta / (1 + mu)
//   adagrad   s = 1/(sqrt(c_new) + eps)           rmsprop: the same with its moving average
//   adam(w)   s = 1/(sqrt(v_new/(1-b2^t)) + eps)   (AdamW decays the pre-step weights first)
//   muon      s = sqrt(max(1, r/c)) on hidden W (segments say which), Adam's s elsewhere
// Momentum form: the lecture's (v = mu v - lr g; w' = w + v), the form optim.ts implements. The
// velocity is the ball's actual displacement, so after the prox it must be the displacement that
// happened: v <- v - delta (the proximal heavy ball, iPiano, Ochs et al. 2014). Then w = 0 with
// v = 0 is a fixed point exactly when |g| <= zeta1 (v = -lr g, |w'| = lr |g| <= tau, delta = w',
// v back to 0). Nesterov's w' = w - mu v_prev + (1+mu) v carries v with the factor 1+mu, hence
// s = 1+mu and the correction delta/(1+mu), with the same fixed point. delta is taken from the
// stored (rounded) w_new, not recomputed as w_new - w: when zeta1 -> 0, tau falls below half an
// ulp, w_new rounds back to w' and delta is exactly 0, so the run is bit-identical to zeta1 = 0.
// A non-finite w' is left alone so that divergence is still detected.
// Shapes: theta[P], state.m[P], state.v[P], mask[P]; float32 (training) or float64 (arenas).
import type { FloatArray } from './floatArray';
import { type OptimizerConfig, optimizerSpec } from './optimizers/registry';
import type { OptimizerState, ParamSegment } from './optimizers/spec';

/**
 * The soft threshold after the optimizer step, in place (see the header); each optimizer's s and
 * state correction are its spec's proxScale / afterProx. Returns how many decayed weights it set
 * to exactly 0. Does nothing when zeta1 <= 0.
 */
export function l1Prox(
  cfg: OptimizerConfig,
  theta: FloatArray,
  state: OptimizerState,
  lr: number,
  zeta1: number,
  mask: ArrayLike<number>,
  segments?: readonly ParamSegment[],
): number {
  if (!(zeta1 > 0)) return 0;
  const spec = optimizerSpec(cfg.name);
  const scale = spec.proxScale(state, cfg, segments);
  let zeros = 0;
  for (let k = 0; k < theta.length; k++) {
    const w1 = theta[k];
    if (!mask[k] || !Number.isFinite(w1)) continue;
    const a = Math.abs(w1) - lr * zeta1 * scale(k);
    theta[k] = a > 0 ? Math.sign(w1) * a : 0;
    if (a <= 0) zeros++;
    spec.afterProx?.(state, k, w1 - theta[k], cfg);
  }
  return zeros;
}
