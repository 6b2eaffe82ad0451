// loss: the output loss of every run (one 64-invocation workgroup per run r, one sample per
// invocation in turn), fused with its gradient and the batch reductions.
//   KIND 0 softmax cross-entropy:  loss_n = logsumexp(x_n) - x_n,c      dX = (softmax(x_n) - onehot(c)) / B
//   KIND 1 MSE on regression targets, KIND 2 MSE on one-hot class targets:
//          loss_n = sum_o 0.5 (p_no - t_no)^2                             dP = (p - t) / B
//   correct = #{n : argmax x_n = c}  (classification)
//   logits / predictions X: [R, B, C] region of acts      labels: u32 class ids, or f32 bits of targets [N, C]
//   MODE 0 train: batch rows through `rows`; writes dX [R, B, C] into dacts, and into the step's record:
//                 dataLoss (mean), correct; then the divergence rule of src/engine/loop.ts observeLoss()
//   MODE 1 eval:  rows rowBase .. rowBase+valid of the split; adds sum_n loss_n and correct into the record
//   MODE 2 predict: writes softmax probabilities (KIND 0) or raw outputs into rows rowBase.. of dacts; no reduction
// reference: src/engine/losses.ts softmaxCrossEntropy(), meanSquaredError(); network.ts outputLoss();
//            loop.ts TrainLoop.observeLoss()

override KIND: u32 = 0u;
override MODE: u32 = 0u;

struct Dims {
  B: u32, C: u32, R: u32, M: u32,              // R runs in hyper/track; M words per record
  xOff: u32, aRun: u32, dOff: u32, dRun: u32,  // logits in acts; dLogits / outputs in dacts
  rowsRun: u32, recWord: u32, trackOff: u32, pad: u32,  // eval sums at record words recWord, +1; track at rec[trackOff]
}
@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> labels: array<u32>;
@group(0) @binding(2) var<storage, read> rows: array<u32>;
@group(0) @binding(3) var<storage, read> acts: array<f32>;
@group(0) @binding(4) var<storage, read_write> dacts: array<f32>;
// records [S, R, M]; the divergence track [R, 32] at trackOff
@group(0) @binding(5) var<storage, read_write> rec: array<f32>;
@group(0) @binding(6) var<storage, read> hyper: array<u32>;

const WG: u32 = 64u;
const WINDOW: u32 = 20u;   // loop.ts DIVERGENCE_WINDOW
const FACTOR: f32 = 10.0;  // loop.ts DIVERGENCE_FACTOR
var<workgroup> sLoss: array<f32, 64>;
var<workgroup> sCorrect: array<f32, 64>;

fn target_of(row: u32, j: u32, label: u32) -> f32 {
  if (KIND == 1u) { return bitcast<f32>(labels[row * d.C + j]); }
  return select(0.0, 1.0, j == label);
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let r = wg.z;
  let n = select(st.valid, d.B, MODE == 0u);
  var lsum = 0.0;
  var csum = 0.0;
  for (var b = t; b < n; b += WG) {
    let row = select(st.rowBase + b, rows[r * d.rowsRun + st.rowBase + b], MODE == 0u);
    let x = r * d.aRun + d.xOff + b * d.C;
    // predictions go to rows rowBase + b of the outputs; gradients to rows b of the batch
    let out = r * d.dRun + d.dOff + select(b, st.rowBase + b, MODE == 2u) * d.C;
    var label = 0u;
    if (KIND != 1u && MODE != 2u) { label = labels[row]; }
    // arg max (first maximum, as the engine) and max for the stable log-sum-exp
    var mx = acts[x];
    var arg = 0u;
    for (var j = 1u; j < d.C; j++) {
      if (acts[x + j] > mx) { mx = acts[x + j]; arg = j; }
    }
    if (KIND != 1u && arg == label) { csum += 1.0; }
    if (KIND == 0u) {
      var s = 0.0;
      for (var j = 0u; j < d.C; j++) { s += exp(acts[x + j] - mx); }
      let lse = mx + log(s);
      lsum += lse - acts[x + label];
      if (MODE != 1u) {
        for (var j = 0u; j < d.C; j++) {
          let y = exp(acts[x + j] - lse);
          if (MODE == 0u) { dacts[out + j] = (y - select(0.0, 1.0, j == label)) / f32(d.B); }
          else { dacts[out + j] = exp(acts[x + j] - mx) / s; }
        }
      }
    } else {
      for (var j = 0u; j < d.C; j++) {
        if (MODE == 2u) { dacts[out + j] = acts[x + j]; continue; }
        let e = acts[x + j] - target_of(row, j, label);
        lsum += 0.5 * e * e;
        if (MODE == 0u) { dacts[out + j] = e / f32(d.B); }
      }
    }
  }
  if (MODE == 2u) { return; }
  sLoss[t] = lsum;
  sCorrect[t] = csum;
  workgroupBarrier();
  if (t != 0u) { return; }
  var total = 0.0;
  var correct = 0.0;
  for (var i = 0u; i < WG; i++) { total += sLoss[i]; correct += sCorrect[i]; }
  let recBase = (st.s * d.R + r) * d.M;
  if (MODE == 1u) {
    if ((st.flags & 1u) != 0u) { rec[recBase + d.recWord] = 0.0; rec[recBase + d.recWord + 1u] = 0.0; }
    rec[recBase + d.recWord] += total;
    rec[recBase + d.recWord + 1u] += correct;
    return;
  }
  let dataLoss = total / f32(d.B);
  rec[recBase + 1u] = dataLoss;
  rec[recBase + 2u] = correct;
  track_loss(r, dataLoss);
}

// Divergence bookkeeping of run r (track words: 0 status, 1 global step of the divergence, 2 first loss, 3 count,
// 4 ring head, 8.. ring of the last WINDOW data losses). Mirrors loop.ts observeLoss().
fn track_loss(r: u32, dataLoss: f32) {
  let tb = d.trackOff + r * 32u;
  if (st.s >= hyper_u(r, H_ACTIVE_SLOTS) || bitcast<u32>(rec[tb]) != 0u) { return; }
  var diverged = !is_finite_f(dataLoss);
  if (!diverged) {
    if (!is_finite_f(rec[tb + 2u])) { rec[tb + 2u] = dataLoss; }  // the first finite loss is the reference
    var count = bitcast<u32>(rec[tb + 3u]);
    let head = bitcast<u32>(rec[tb + 4u]);
    rec[tb + 8u + head] = dataLoss;
    rec[tb + 4u] = bitcast<f32>((head + 1u) % WINDOW);
    count = min(count + 1u, WINDOW);
    rec[tb + 3u] = bitcast<f32>(count);
    if (count == WINDOW) {
      var s = 0.0;
      for (var i = 0u; i < WINDOW; i++) { s += rec[tb + 8u + i]; }
      diverged = s / f32(WINDOW) > FACTOR * rec[tb + 2u];
    }
  }
  if (diverged) {
    rec[tb] = bitcast<f32>(1u);
    rec[tb + 1u] = bitcast<f32>(run_step(r));  // the global step
  }
}

fn is_finite_f(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }
