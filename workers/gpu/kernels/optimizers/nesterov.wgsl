// Nesterov (optim.ts nesterovStep):  v_prev = v;  v <- mu v - lr g;  w <- w - mu v_prev + (1 + mu) v.
// Prox scale 1 + mu (the gradient's coefficient in the move); the velocity absorbs delta / (1 + mu).
fn nesterov_step(w: f32, g: f32, m: f32, c: f32, a: OptArgs) -> Moved {
  let v = a.mu * m - a.lr * g;
  return Moved(w + (-a.mu * m + (1.0 + a.mu) * v), v, c, 1.0 + a.mu, 1.0 / (1.0 + a.mu));
}
