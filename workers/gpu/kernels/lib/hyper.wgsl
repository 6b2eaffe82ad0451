// The per-run hyperparameter table (a kernel binds it as `hyper: array<u32>`); needs lib/step.wgsl.
//
// hyper: array<u32> [R, HS] followed by [S_MAX, R, 4] per-slot entries (f32 bits). One run's row:
//   0 optimizer (0 sgd 1 momentum 2 nesterov 3 adagrad 4 rmsprop 5 adam 6 adamw)   1 active slots (the run trains in slots s < this; 0 = frozen)
//   2 global step at slot 0   3 optimizer t before slot 0   4 mu   5 beta1   6 beta2   7 rho   8 eps
//   9 weightDecay   10 l2   11 l1   12 l1Act   13 clipNorm   14 dropout seed   15 dropout kind (0 bern, 1 gauss)
//   16 1-beta1   17 1-beta2   18 1-rho   (complements in float64 on the CPU, then rounded)   19 decayBiases
//   20 bnMomentum   21 bnEps
//   32 + l: drop probability q of hidden layer l (l < 16)
// Slot entry (s, r): lr, 1 - beta1^t, 1 - beta2^t (t = optimizer step of that slot, counted from 1),
// 1.0 when run r's epoch ends after slot s (the fused kernel evaluates there).
// The TypeScript side writes it in workers/gpu/hyper.ts; keep the two in step.

const HS: u32 = 48u;

fn hyper_u(r: u32, w: u32) -> u32 { return hyper[r * HS + w]; }
fn hyper_f(r: u32, w: u32) -> f32 { return bitcast<f32>(hyper[r * HS + w]); }
fn run_step(r: u32) -> u32 { return hyper_u(r, 2u) + st.s; }
fn drop_q(r: u32, layer: u32) -> f32 { return hyper_f(r, 32u + layer); }
// word w (0 lr, 1 1-beta1^t, 2 1-beta2^t) of run r's entry for this step; R = runs in the table
fn slot_f(r: u32, R: u32, w: u32) -> f32 { return bitcast<f32>(hyper[R * HS + (st.s * R + r) * 4u + w]); }
