// Schedule-Free AdamW (src/engine/optimizers/schedulefree.ts scheduleFreeStep): w holds y, m holds
// z; the slot's words are this rule's own (the spec's stepScalars, float64 on the host):
// a.lr = lr_t (warm-up applied), a.c1 = c_t (the averaging weight), a.c2 = 1 - b2^t.
//   v <- b2 v + (1-b2) g^2;  d = g/(sqrt(v/c2) + eps) + lambda y (decayed parameters)
//   y <- (1-c) y + c z - lr_t share d,  share = 1 - b1 (1-c);   z <- z - lr_t d
// Prox: s = share/den (a.lr already holds the warm-up), k = 1/share: z follows y's shrink divided by
// the share of z's step that reached y. Evaluation is at x = (y - (1-b1) z)/b1 (workers/gpu/evalPoint.ts).
fn schedulefree_step(y: f32, g: f32, z0: f32, v0: f32, a: OptArgs) -> Moved {
  let v = a.b2 * v0 + a.omb2 * g * g;
  let den = sqrt(v / a.c2) + a.eps;
  var d = g / den;
  if (a.decayed) { d = d + a.wd * y; }
  let c = a.c1;
  let share = 1.0 - a.b1 * (1.0 - c);
  return Moved((1.0 - c) * y + c * z0 - a.lr * share * d, z0 - a.lr * d, v, share / den, 1.0 / share);
}
