// LAMB (optimizers/lamb.ts lambStep), per parameter segment:
//   m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2
//   u = (m / c1) / (sqrt(v / c2) + eps) + lambda w     (lambda where decayed)
//   w <- w - lr r u,  r = a.trust = ||w|| / ||u|| over the segment (1 when either norm is 0)
// The update kernels take r first, in a pass over the segment before the step (update.wgsl: one
// workgroup per segment reduces sum w^2 and sum u^2 with lamb_moments and lamb_dir; fused/update.wgsl:
// per-item partial sums, then a sum over the segment's items). Prox scale: Adam's 1 / (sqrt(v / c2) + eps).
fn lamb_moments(g: f32, m0: f32, v0: f32, a: OptArgs) -> vec2<f32> {
  return vec2<f32>(a.b1 * m0 + a.omb1 * g, a.b2 * v0 + a.omb2 * g * g);
}
fn lamb_dir(w: f32, mv: vec2<f32>, a: OptArgs) -> f32 {
  var decay = 0.0;
  if (a.decayed) { decay = a.wd * w; }
  return (mv.x / a.c1) / (sqrt(mv.y / a.c2) + a.eps) + decay;
}
// ||w|| / ||u|| from the sums of squares, 1 when either is 0 (optax scale_by_trust_ratio, min_norm 0)
fn lamb_trust(w2: f32, u2: f32) -> f32 {
  if (w2 == 0.0 || u2 == 0.0) { return 1.0; }
  return sqrt(w2) / sqrt(u2);
}
fn lamb_step(w: f32, g: f32, m0: f32, v0: f32, a: OptArgs) -> Moved {
  let mv = lamb_moments(g, m0, v0, a);
  return Moved(w - a.lr * a.trust * lamb_dir(w, mv, a), mv.x, mv.y, 1.0 / (sqrt(mv.y / a.c2) + a.eps), 0.0);
}
