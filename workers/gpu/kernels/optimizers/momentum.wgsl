// Momentum (optim.ts momentumStep):  v <- mu v - lr g;  w <- w + v.
// Prox scale 1; the velocity absorbs the whole L1 shrink (v <- v - delta), so that w = w_prev + v
// still holds after the proximal step.
fn momentum_step(w: f32, g: f32, m: f32, c: f32, a: OptArgs) -> Moved {
  let v = a.mu * m - a.lr * g;
  return Moved(w + v, v, c, 1.0, 1.0);
}
