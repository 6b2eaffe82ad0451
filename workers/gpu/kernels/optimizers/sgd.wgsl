// SGD (src/engine/optim.ts sgdStep):  w <- w - lr g.  Prox scale 1: the L1 step is lr zeta1.
fn sgd_step(w: f32, g: f32, m: f32, v: f32, a: OptArgs) -> Moved { return Moved(w - a.lr * g, m, v, 1.0, 0.0); }
