// The per-run hyperparameter table (a kernel binds it as `hyper: array<u32>`); needs lib/step.wgsl.
//
// hyper: array<u32> [R, HS] followed by [S_MAX, R, SLOT_WORDS] per-slot entries (f32 bits). The
// words of a row are named H_* and those of a slot entry SLOT_*; both are generated from the
// table in workers/gpu/hyper.ts (HYPER_ROW, SLOT_WORD) and prepended to this file, so the two
// sides cannot disagree: a row holds the optimizer id (OPT_<NAME>), the run's clock, its
// optimizer and regularization hyperparameters, dropout seed and kind, batch-norm momentum/eps,
// and from H_DROP_Q the drop probability q of each hidden layer. A slot entry holds the learning
// rate, 1 - beta1^t, 1 - beta2^t (t = optimizer step of that slot, counted from 1) and 1.0 when
// run r's epoch ends after slot s (the fused kernel evaluates there).

fn hyper_u(r: u32, w: u32) -> u32 { return hyper[r * HS + w]; }
fn hyper_f(r: u32, w: u32) -> f32 { return bitcast<f32>(hyper[r * HS + w]); }
fn run_step(r: u32) -> u32 { return hyper_u(r, H_STEP) + st.s; }
fn drop_q(r: u32, layer: u32) -> f32 { return hyper_f(r, H_DROP_Q + layer); }
// word w (SLOT_LR, SLOT_C1, SLOT_C2, SLOT_EPOCH_END) of run r's entry for slot s; R = runs in the table
fn slot_word(r: u32, R: u32, s: u32, w: u32) -> f32 { return bitcast<f32>(hyper[R * HS + (s * R + r) * SLOT_WORDS + w]); }
// the same for the current step's slot
fn slot_f(r: u32, R: u32, w: u32) -> f32 { return slot_word(r, R, st.s, w); }
