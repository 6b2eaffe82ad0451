// Lion (optimizers/lion.ts lionStep):  c = b1 m + (1-b1) g;  w <- w - lr (sign(c) + lambda w)
// (lambda where decayed, on the pre-step w);  m <- b2 m + (1-b2) g.  Prox scale 1 (the sign step
// is lr per coordinate); m is a gradient average, not a displacement, so it absorbs no shrink.
fn lion_step(w: f32, g: f32, m0: f32, v0: f32, a: OptArgs) -> Moved {
  let c = a.b1 * m0 + a.omb1 * g;
  var decay = 0.0;
  if (a.decayed) { decay = a.wd * w; }
  return Moved(w - a.lr * (sign(c) + decay), a.b2 * m0 + a.omb2 * g, v0, 1.0, 0.0);
}
