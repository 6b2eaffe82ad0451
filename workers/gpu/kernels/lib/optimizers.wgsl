// What every optimizer rule shares; the rules themselves are one file each in kernels/optimizers/
// (same names and order of operations as src/engine/optim.ts), and the dispatch over them,
// `optimizer_step(kind, ...)`, and their ids OPT_<NAME> are generated from the optimizer list
// (workers/gpu/optimizers.ts). m holds the velocity (momentum, Nesterov) or Adam's first moment;
// v the squared-gradient cache (Adagrad, RMSprop) or Adam's second moment. A rule leaves the
// buffer it does not use unchanged, as the engine does.

// w, m, v after the step; s: the per-coordinate scale the rule applied to the gradient (the L1
// proximal step shrinks by lr zeta1 s); k: the share of that shrink the velocity m absorbs.
struct Moved { w: f32, m: f32, v: f32, s: f32, k: f32 }

struct OptArgs {
  lr: f32, mu: f32, b1: f32, b2: f32, omb1: f32, omb2: f32, rho: f32, omrho: f32, eps: f32,
  c1: f32, c2: f32,          // Adam bias corrections 1 - b1^t, 1 - b2^t (float64 on the CPU)
  wd: f32, decayed: bool,    // AdamW's lambda, and whether this parameter is decayed
  trust: f32,                // LAMB's trust ratio of the segment (set by the update kernels; 1 otherwise)
}

// L1 as a proximal step after the optimizer's move w' (FOBOS; reference: the engine's L1 prox in
// src/engine/regularizers.ts): for a decayed parameter when l1 > 0 and w' is finite,
//   tau = lr l1 s;  w = sign(w') max(0, |w'| - tau);  m <- m - k (w' - w)
// so a weight stops at exactly 0 and stays there while |g_data| is below the penalty's pull.
// A non-finite w' is kept for the divergence check.
// Selects, not a branch: SwiftShader runs both sides of a branch, and a branch costs it more than
// these few ops (workers/gpu/kernels/fused/forward.wgsl forward_out).
fn l1_prox(mv: Moved, l1: f32, a: OptArgs) -> Moved {
  let on = a.decayed & (l1 > 0.0) & is_finite(mv.w);  // &, not &&: no short-circuit branch
  let tau = a.lr * l1 * mv.s;
  let w = sign(mv.w) * max(0.0, abs(mv.w) - tau);
  return Moved(select(mv.w, w, on), select(mv.m, mv.m - mv.k * (mv.w - w), on), mv.v, mv.s, mv.k);
}

// The arguments of run r at the current step (needs lib/hyper.wgsl); R = runs in the hyper table.
fn opt_args(r: u32, R: u32, decayed: bool) -> OptArgs {
  return opt_args_with(r, slot_f(r, R, SLOT_LR), slot_f(r, R, SLOT_C1), slot_f(r, R, SLOT_C2), decayed);
}
// The same from a step's learning rate and bias corrections (the fused kernel reads its own slot).
fn opt_args_with(r: u32, lr: f32, c1: f32, c2: f32, decayed: bool) -> OptArgs {
  return OptArgs(lr, hyper_f(r, H_MU), hyper_f(r, H_BETA1), hyper_f(r, H_BETA2), hyper_f(r, H_OM_BETA1),
                 hyper_f(r, H_OM_BETA2), hyper_f(r, H_RHO), hyper_f(r, H_OM_RHO), hyper_f(r, H_EPS), c1, c2,
                 hyper_f(r, H_WEIGHT_DECAY), decayed, 1.0);
}

// true for a finite f32 (exponent not all ones); bit test because WGSL may assume finite math
fn is_finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }
