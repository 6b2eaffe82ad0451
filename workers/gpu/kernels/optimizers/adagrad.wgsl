// Adagrad (optim.ts adagradStep):  c <- c + g^2;  w <- w - lr g / (sqrt(c) + eps).
// Prox scale 1 / (sqrt(c_new) + eps), the per-coordinate scale the step applied to g.
fn adagrad_step(w: f32, g: f32, m: f32, c0: f32, a: OptArgs) -> Moved {
  let c = c0 + g * g;
  let s = 1.0 / (sqrt(c) + a.eps);
  return Moved(w - (a.lr * g) / (sqrt(c) + a.eps), m, c, s, 0.0);
}
