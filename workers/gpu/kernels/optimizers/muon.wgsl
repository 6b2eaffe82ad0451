// Muon (optimizers/muon.ts muonStep). On a hidden layer's W[r, c] the update kernels first take the
// Nesterov momentum U of the whole matrix (muon_dir) into its Newton-Schulz region and orthogonalise
// it there, O = NS5(U) (lib/newton_schulz.wgsl: update.wgsl in the segment's workgroup, fused/update.wgsl
// muon_items with the whole workgroup), then step each coordinate with muon_hidden_step:
//   w <- w - lr lambda w (decayed);  m <- m + (1-mu) (g - m);  w <- w - lr sqrt(max(1, r/c)) O
// Prox scale s = sqrt(max(1, r/c)), nothing absorbed by m (k = 0), as the engine's proxScale.
// Every other parameter (output layer, biases, batch norm) goes through muon_step: AdamW, same lr.
fn muon_step(w0: f32, g: f32, m0: f32, v0: f32, a: OptArgs) -> Moved {
  return adamw_step(w0, g, m0, v0, a);
}
// U's coordinate: m' = m + (1-mu)(g - m) (torch's lerp), u = g + mu (m' - g) (Nesterov)
fn muon_dir(g: f32, m0: f32, a: OptArgs) -> f32 {
  let m = m0 + (1.0 - a.mu) * (g - m0);
  return g + a.mu * (m - g);
}
// A hidden W's coordinate given O's coordinate o and the shape factor sf = sqrt(max(1, r/c)).
fn muon_hidden_step(w0: f32, g: f32, m0: f32, v0: f32, o: f32, sf: f32, a: OptArgs) -> Moved {
  var w = w0;
  if (a.decayed) { w = w - a.lr * a.wd * w; }
  let m = m0 + (1.0 - a.mu) * (g - m0);
  return Moved(w - a.lr * sf * o, m, v0, sf, 0.0);
}
fn muon_shape(rows: u32, cols: u32) -> f32 { return sqrt(max(1.0, f32(rows) / f32(cols))); }
