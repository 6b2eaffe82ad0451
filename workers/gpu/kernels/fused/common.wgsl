// fused_mlp, part 1: bindings, the network table and small helpers. One workgroup trains RPW runs
// (runs g*RPW .. g*RPW+RPW-1) for S steps with everything between steps kept in its scratch `mem`
// (per run slot j: activations and their gradients; then shared partial sums), read with mld() and
// written with mst(): workgroup memory (fused/mem_workgroup.wgsl) or the workgroup's region of a
// storage buffer (fused/mem_storage.wgsl). Layout and item tables come from the host
// (workers/gpu/fused.ts), which checks that they fit.

override WG: u32 = 64u;         // invocations per workgroup
override MEM: u32 = 1024u;      // floats of scratch per workgroup
override XSRC: u32 = 1u;        // 1: gather training rows through `rows`; 2: pre-augmented batches in `aug`
override LOSS: u32 = 0u;        // 0 softmax cross-entropy, 1 MSE on targets, 2 MSE on one-hot labels
override OPT: u32 = OPT_EACH_RUN;  // the optimizer of every run (an OPT_<NAME> id), or each run's own
// Features the network can do without: false compiles their code out (a smaller kernel compiles faster).
override BN: bool = true;       // some layer has batch norm
override DROP: bool = true;     // some run may drop units
// The activation of every hidden layer (its index in ACTIVATION_NAMES) when they share one, else
// ACT_EACH_LAYER: each layer's own from the layer table. SwiftShader evaluates every case of a
// switch on a runtime value (exp, tanh, ...) for each element; a constant folds it to one case.
override ACT: u32 = ACT_EACH_LAYER;
const ACT_EACH_LAYER: u32 = 255u;  // fused.ts ACT_EACH_LAYER

struct Layer {
  dims: vec4<u32>,   // I, O, theta offset of W, of b
  bn: vec4<u32>,     // gamma, beta (theta offsets), running-stats offset, flags (bit 0 hidden, 1 batch norm, 8.. activation)
  act: vec4<u32>,    // mem offsets (within a run slot) of z, u, h, o
  grad: vec4<u32>,   // mem offsets of batch stats [3, O], dA, dZ; W's Newton-Schulz region in a run's ns (hidden)
}
struct Dims {
  L: u32, R: u32, RPW: u32, B: u32,
  P: u32, SS: u32, M: u32, S: u32,
  nTrain: u32, nVal: u32, D: u32, C: u32,
  runMem: u32, partOff: u32, xVal: u32, yTrain: u32,       // mem floats per run slot; offsets in `dataset`
  yVal: u32, nItems: u32, nParamItems: u32, dataRun: u32,
  rowsRun: u32, gradOff: u32, mOff: u32, vOff: u32,
  prevOff: u32, statsOff: u32, prevStatsOff: u32, trackOff: u32,
  flagsOff: u32, nParamSeg: u32, scOff: u32, xin: u32,          // xin: the input rows [B, D] in a run slot
  nsRun: u32, pad0: u32, pad1: u32, pad2: u32,                  // nsRun: floats of Muon's ns per run
  layers: array<Layer, 8>,
  // work items: (segment kind | layer << 8 | W-segment index << 16, offset, length, segment index)
  // kinds 0 W, 1 b, 2 gamma, 3 beta, 4 activations h (offset in mem); items of a segment are consecutive
  items: array<vec4<u32>, 128>,
}
@group(0) @binding(0) var<uniform> d: Dims;
// xTrain [nTrain, D] | xVal [nVal, D] | yTrain | yVal (labels as u32 bits, or f32 targets [n, C])
@group(0) @binding(1) var<storage, read> dataset: array<f32>;
@group(0) @binding(2) var<storage, read> aug: array<f32>;
@group(0) @binding(3) var<storage, read> rows: array<u32>;
@group(0) @binding(4) var<storage, read> hyper: array<u32>;
// state and scratch have fixed lengths STATE_WORDS, SCRATCH_WORDS (powers of two, written in front
// of this text: workers/gpu/fused.ts fixedWords): an index is then clamped against a constant, not
// against arrayLength(), which SwiftShader computes with 4 divisions in every pass of a loop
@group(0) @binding(5) var<storage, read_write> state: array<f32, STATE_WORDS>;
@group(0) @binding(6) var<storage, read_write> rec: array<f32>;

// scratch for the storage variant: MEM floats per workgroup
@group(0) @binding(7) var<storage, read_write> scratch: array<f32, SCRATCH_WORDS>;
// Muon's Newton-Schulz regions [R, nsRun] (lib/newton_schulz.wgsl; a 1-float stand-in without Muon)
@group(0) @binding(8) var<storage, read_write> ns: array<f32>;
var<workgroup> uflag: u32;

// per-run scalars at mld(scOff + j * 16 + k)
const SC_DATALOSS: u32 = 0u;
const SC_CORRECT: u32 = 1u;
const SC_DEAD: u32 = 2u;      // 1 once the run diverged (or was inactive) in this dispatch
const SC_SCALE: u32 = 3u;     // clipping factor of this step
const SC_SKIP: u32 = 4u;      // 1 when this step is not applied (inactive slot, dead, non-finite loss)

fn sc(j: u32, k: u32) -> u32 { return d.scOff + j * 16u + k; }
fn slot_base(j: u32) -> u32 { return j * d.runMem; }
fn layer_act(l: u32) -> u32 {
  if (ACT != ACT_EACH_LAYER) { return ACT; }
  return (d.layers[l].bn.w >> 8u) & 255u;
}
fn is_hidden(l: u32) -> bool { return (d.layers[l].bn.w & 1u) != 0u; }
fn has_bn(l: u32) -> bool { return BN && (d.layers[l].bn.w & 2u) != 0u; }
fn fused_q(r: u32, l: u32) -> f32 {
  if (!DROP) { return 0.0; }
  return drop_q(r, l);
}
fn slot_entry(r: u32, s: u32, w: u32) -> f32 { return slot_word(r, d.R, s, w); }
fn finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }

// The value every invocation agrees on, as far as the uniformity analysis is concerned.
fn uniform_u32(v: u32, t: u32) -> u32 {
  if (t == 0u) { uflag = v; }
  return workgroupUniformLoad(&uflag);
}

// Where the network input row b of run r starts: in `aug` (training on pre-augmented batches) or in
// `dataset` (training rows gathered through `rows`, or evaluation rows of either split).
// Computed once per row: the inner loops then read consecutive floats.
fn input_in_aug(evalSplit: u32) -> bool { return evalSplit == 0u && XSRC == 2u; }
fn input_row(r: u32, s: u32, b: u32, evalSplit: u32, rowBase: u32) -> u32 {
  if (evalSplit == 1u) { return (rowBase + b) * d.D; }
  if (evalSplit == 2u) { return d.xVal + (rowBase + b) * d.D; }
  if (XSRC == 2u) { return r * d.dataRun + (s * d.B + b) * d.D; }
  return rows[r * d.rowsRun + s * d.B + b] * d.D;
}

// Offset (in a run slot) of the input X of layer l: the input rows for l = 0; for l > 0 the layer
// below's dropout output when run r drops units there, else its h.
fn layer_input_off(r: u32, l: u32, train: bool) -> u32 {
  if (l == 0u) { return d.xin; }
  let below = d.layers[l - 1u];
  return select(below.act.z, below.act.w, train && fused_q(r, l - 1u) > 0.0);
}

// Copy the network inputs of `nrows` rows into each run slot's xin region (one barrier).
fn load_inputs(g: u32, t: u32, s: u32, evalSplit: u32, rowBase: u32, nrows: u32) {
  let D = d.D;
  for (var row = t; row < d.RPW * nrows; row += WG) {
    let j = row / nrows;
    let b = row % nrows;
    let r = g * d.RPW + j;
    if (r >= d.R) { continue; }
    let dst = slot_base(j) + d.xin + b * D;
    let src = input_row(r, s, b, evalSplit, rowBase);
    if (input_in_aug(evalSplit)) {
      for (var i = 0u; i < D; i++) { mst(dst + i, aug[src + i]); }
    } else {
      for (var i = 0u; i < D; i++) { mst(dst + i, dataset[src + i]); }
    }
  }
  sync();
}
