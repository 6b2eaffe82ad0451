// The optimizer rules, one function each; reference: src/engine/optim.ts (same names, same order
// of operations). m holds the velocity (momentum, Nesterov) or Adam's first moment; v the
// squared-gradient cache (Adagrad, RMSprop) or Adam's second moment. A rule leaves the buffer it
// does not use unchanged, as the engine does.

struct Moved { w: f32, m: f32, v: f32 }

struct OptArgs {
  lr: f32, mu: f32, b1: f32, b2: f32, omb1: f32, omb2: f32, rho: f32, omrho: f32, eps: f32,
  c1: f32, c2: f32,          // Adam bias corrections 1 - b1^t, 1 - b2^t (float64 on the CPU)
  wd: f32, decayed: bool,    // AdamW's lambda, and whether this parameter is decayed
}

// w <- w - lr g
fn sgd_step(w: f32, g: f32, m: f32, v: f32, a: OptArgs) -> Moved { return Moved(w - a.lr * g, m, v); }

// v <- mu v - lr g;  w <- w + v
fn momentum_step(w: f32, g: f32, m: f32, c: f32, a: OptArgs) -> Moved {
  let v = a.mu * m - a.lr * g;
  return Moved(w + v, v, c);
}

// v_prev = v;  v <- mu v - lr g;  w <- w - mu v_prev + (1 + mu) v
fn nesterov_step(w: f32, g: f32, m: f32, c: f32, a: OptArgs) -> Moved {
  let v = a.mu * m - a.lr * g;
  return Moved(w + (-a.mu * m + (1.0 + a.mu) * v), v, c);
}

// c <- c + g^2;  w <- w - lr g / (sqrt(c) + eps)
fn adagrad_step(w: f32, g: f32, m: f32, c0: f32, a: OptArgs) -> Moved {
  let c = c0 + g * g;
  return Moved(w - (a.lr * g) / (sqrt(c) + a.eps), m, c);
}

// c <- rho c + (1 - rho) g^2;  w <- w - lr g / (sqrt(c) + eps)
fn rmsprop_step(w: f32, g: f32, m: f32, c0: f32, a: OptArgs) -> Moved {
  let c = a.rho * c0 + a.omrho * g * g;
  return Moved(w - (a.lr * g) / (sqrt(c) + a.eps), m, c);
}

// m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;  w <- w - lr (m / c1) / (sqrt(v / c2) + eps)
fn adam_step(w: f32, g: f32, m0: f32, v0: f32, a: OptArgs) -> Moved {
  let m = a.b1 * m0 + a.omb1 * g;
  let v = a.b2 * v0 + a.omb2 * g * g;
  return Moved(w - (a.lr * (m / a.c1)) / (sqrt(v / a.c2) + a.eps), m, v);
}

// decoupled decay first (w <- w - lr lambda w where decayed), then Adam on g
fn adamw_step(w0: f32, g: f32, m0: f32, v0: f32, a: OptArgs) -> Moved {
  var w = w0;
  if (a.decayed) { w = w - a.lr * a.wd * w; }
  return adam_step(w, g, m0, v0, a);
}

// kind: index in OPTIMIZER_NAMES (sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw)
fn optimizer_step(kind: u32, w: f32, g: f32, m: f32, v: f32, a: OptArgs) -> Moved {
  switch kind {
    case 0u: { return sgd_step(w, g, m, v, a); }
    case 1u: { return momentum_step(w, g, m, v, a); }
    case 2u: { return nesterov_step(w, g, m, v, a); }
    case 3u: { return adagrad_step(w, g, m, v, a); }
    case 4u: { return rmsprop_step(w, g, m, v, a); }
    case 5u: { return adam_step(w, g, m, v, a); }
    default: { return adamw_step(w, g, m, v, a); }
  }
}

// Truncated-gradient L1 after the step (regularizers.ts l1ClipCrossings): a decayed weight that the
// step carried across 0 stops at exactly 0 when l1 > 0; a non-finite w1 is kept (divergence check)
fn l1_clip(w0: f32, w1: f32, l1: f32, decayed: bool) -> f32 {
  let crossed = (w0 > 0.0 && w1 < 0.0) || (w0 < 0.0 && w1 > 0.0);
  if (decayed && l1 > 0.0 && crossed && (bitcast<u32>(w1) & 0x7f800000u) != 0x7f800000u) { return 0.0; }
  return w1;
}

// The arguments of run r at the current step (needs lib/hyper.wgsl); R = runs in the hyper table.
fn opt_args(r: u32, R: u32, decayed: bool) -> OptArgs {
  return OptArgs(slot_f(r, R, 0u), hyper_f(r, 4u), hyper_f(r, 5u), hyper_f(r, 6u), hyper_f(r, 16u), hyper_f(r, 17u),
                 hyper_f(r, 7u), hyper_f(r, 18u), hyper_f(r, 8u), slot_f(r, R, 1u), slot_f(r, R, 2u),
                 hyper_f(r, 9u), decayed);
}

// true for a finite f32 (exponent not all ones); bit test because WGSL may assume finite math
fn is_finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }
