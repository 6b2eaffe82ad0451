// fused_mlp: S whole training steps of a small MLP in ONE dispatch. Workgroup g trains runs
// g*RPW .. g*RPW+RPW-1; activations and gradients stay in workgroup memory between phases; weights,
// optimizer state and records live in storage exactly as in the general path (same `state` sections,
// same step records, track and flags), so the host replays both paths with the same code.
// Per step: inputs (1 barrier), forward (1 per layer, +2 per batch-norm layer), loss (2), backward (1 per layer,
// +1 per batch-norm layer), norms (2), update (1); epoch ends add evaluation passes over both splits.
// Parts: fused/common.wgsl, fused/mem_*.wgsl, fused/forward.wgsl, fused/backward.wgsl, fused/update.wgsl.
// reference: src/engine/trainer.ts Run.step() (the same computation as the general path's kernels)

const WINDOW: u32 = 20u;   // loop.ts DIVERGENCE_WINDOW
const FACTOR: f32 = 10.0;  // loop.ts DIVERGENCE_FACTOR

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let g = wg.x;
  scratch_init(g);
  // runs that diverged in an earlier submission stay frozen
  if (t < d.RPW) {
    let r = g * d.RPW + t;
    var dead = 0.0;
    if (r < d.R) {
      if (bitcast<u32>(rec[d.trackOff + r * 32u]) != 0u) { dead = 1.0; }
      for (var k = 0u; k < d.nParamSeg; k++) { if (bitcast<u32>(rec[d.flagsOff + r * d.nParamSeg + k]) != 0u) { dead = 1.0; } }
    }
    mst(sc(t, SC_DEAD), dead);
  }
  sync();
  let trainChunks = (d.nTrain + d.B - 1u) / d.B;
  let valChunks = (d.nVal + d.B - 1u) / d.B;
  for (var s = 0u; s < d.S; s++) {
    // pass 0 is the training step; after an epoch end of some run of this workgroup, passes
    // 1.. evaluate both splits in chunks of B rows. One call site per phase keeps the kernel small.
    var ev = 0u;
    if (t == 0u) {
      for (var j = 0u; j < d.RPW && g * d.RPW + j < d.R; j++) { if (slot_entry(g * d.RPW + j, s, SLOT_EPOCH_END) != 0.0) { ev = 1u; } }
    }
    let passes = 1u + uniform_u32(ev, t) * (trainChunks + valChunks);
    for (var p = 0u; p < passes; p++) {
      var split = 0u;
      var rowBase = 0u;
      var n = d.B;
      if (p > 0u && p <= trainChunks) {
        split = 1u;
        rowBase = (p - 1u) * d.B;
        n = d.nTrain;
      } else if (p > trainChunks) {
        split = 2u;
        rowBase = (p - 1u - trainChunks) * d.B;
        n = d.nVal;
      }
      let nrows = min(d.B, n - rowBase);
      load_inputs(g, t, s, split, rowBase, nrows);
      for (var l = 0u; l < d.L; l++) { forward_layer(g, t, l, s, split, nrows); }
      loss_rows(g, t, s, split, rowBase, nrows);
      if (p > 0u) {
        eval_totals(g, t, s, split, rowBase, nrows);
        continue;
      }
      loss_totals(g, t, s);
      for (var l = d.L; l > 0u; l--) { backward_layer(g, t, l - 1u, s); }
      norms_items(g, t);
      step_totals(g, t, s);
      if (opt_may(OPT, OPT_LAMB)) { lamb_items(g, t, s); }
      if (opt_may(OPT, OPT_MUON)) { muon_items(g, t, s); }
      update_items(g, t, s);
      step_ratios(g, t, s);
    }
  }
}

// one invocation per run: the batch's mean data loss and correct count, and loop.ts observeLoss()
fn loss_totals(g: u32, t: u32, s: u32) {
  if (t < d.RPW && g * d.RPW + t < d.R) {
    let j = t;
    let r = g * d.RPW + j;
    var total = 0.0;
    var correct = 0.0;
    for (var b = 0u; b < d.B; b++) {
      total += mld(d.partOff + 2u * (j * d.B + b));
      correct += mld(d.partOff + 2u * (j * d.B + b) + 1u);
    }
    let dataLoss = total / f32(d.B);
    let rb = (s * d.R + r) * d.M;
    rec[rb + 1u] = dataLoss;
    rec[rb + 2u] = correct;
    mst(sc(j, SC_DATALOSS), dataLoss);
    if (s < hyper_u(r, H_ACTIVE_SLOTS) && mld(sc(j, SC_DEAD)) == 0.0 && observe_loss(r, dataLoss, s)) { mst(sc(j, SC_DEAD), 1.0); }
  }
  sync();
}

// track words of run r: 0 status, 1 global step it diverged at, 2 first loss, 3 count, 4 ring head, 8.. the ring
fn observe_loss(r: u32, dataLoss: f32, s: u32) -> bool {
  let tb = d.trackOff + r * 32u;
  var diverged = !finite(dataLoss);
  if (!diverged) {
    if (!finite(rec[tb + 2u])) { rec[tb + 2u] = dataLoss; }
    let head = bitcast<u32>(rec[tb + 4u]);
    rec[tb + 8u + head] = dataLoss;
    rec[tb + 4u] = bitcast<f32>((head + 1u) % WINDOW);
    let count = min(bitcast<u32>(rec[tb + 3u]) + 1u, WINDOW);
    rec[tb + 3u] = bitcast<f32>(count);
    if (count == WINDOW) {
      var sum = 0.0;
      for (var i = 0u; i < WINDOW; i++) { sum += rec[tb + 8u + i]; }
      diverged = sum / f32(WINDOW) > FACTOR * rec[tb + 2u];
    }
  }
  if (diverged) {
    rec[tb] = bitcast<f32>(1u);
    rec[tb + 1u] = bitcast<f32>(hyper_u(r, H_STEP) + s);  // the global step
  }
  return diverged;
}

// loss sums and correct counts of one evaluation chunk (split 1 train, 2 val) into record words 4-5 / 6-7
fn eval_totals(g: u32, t: u32, s: u32, split: u32, rowBase: u32, nrows: u32) {
  if (t < d.RPW && g * d.RPW + t < d.R) {
    var total = 0.0;
    var correct = 0.0;
    for (var b = 0u; b < nrows; b++) {
      total += mld(d.partOff + 2u * (t * nrows + b));
      correct += mld(d.partOff + 2u * (t * nrows + b) + 1u);
    }
    let w = (s * d.R + g * d.RPW + t) * d.M + 2u + 2u * split;
    if (rowBase == 0u) { rec[w] = 0.0; rec[w + 1u] = 0.0; }
    rec[w] += total;
    rec[w + 1u] += correct;
  }
  sync();
}
