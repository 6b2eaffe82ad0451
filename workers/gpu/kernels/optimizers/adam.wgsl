// Adam (optim.ts adamStep):  m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;
//   w <- w - lr (m / c1) / (sqrt(v / c2) + eps)      c1 = 1 - b1^t, c2 = 1 - b2^t (slot entry)
// Prox scale 1 / (sqrt(v_new / c2) + eps).
fn adam_step(w: f32, g: f32, m0: f32, v0: f32, a: OptArgs) -> Moved {
  let m = a.b1 * m0 + a.omb1 * g;
  let v = a.b2 * v0 + a.omb2 * g * g;
  let den = sqrt(v / a.c2) + a.eps;
  return Moved(w - (a.lr * (m / a.c1)) / den, m, v, 1.0 / den, 0.0);
}
