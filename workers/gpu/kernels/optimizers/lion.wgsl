// Lion (optimizers/lion.ts lionStep):  c = b1 m + (1-b1) g;  w <- w - lr (sign(c) + lambda w)
// (lambda where decayed, on the pre-step w);  m <- b2 m + (1-b2) g;  v <- c (the rule has no v:
// it keeps c for the engine's prox scale). Prox scale 1 / max(|c|, 1e-30): the factor the sign step
// lr c/|c| applied to c. m is a gradient average, not a displacement, so it absorbs no shrink.
fn lion_step(w: f32, g: f32, m0: f32, v0: f32, a: OptArgs) -> Moved {
  let c = a.b1 * m0 + a.omb1 * g;
  var decay = 0.0;
  if (a.decayed) { decay = a.wd * w; }
  return Moved(w - a.lr * (sign(c) + decay), a.b2 * m0 + a.omb2 * g, c, 1.0 / max(abs(c), 1e-30), 0.0);
}
