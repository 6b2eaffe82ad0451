// AdamW (optim.ts adamwStep): decoupled decay of the pre-step weights first (w <- w - lr lambda w
// where decayed, PyTorch's order), then Adam on g; prox scale as Adam's.
fn adamw_step(w0: f32, g: f32, m0: f32, v0: f32, a: OptArgs) -> Moved {
  var w = w0;
  if (a.decayed) { w = w - a.lr * a.wd * w; }
  return adam_step(w, g, m0, v0, a);
}
