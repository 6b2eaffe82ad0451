// update: the optimizer step, one 64-invocation workgroup per (parameter segment k, run r).
//   scale = min(1, clipNorm / ||g||)       ||g|| over all of the run's parameters (clipping, when clipNorm > 0)
//   w, m, v <- optimizer(w, scale g, m, v) (kernels/optimizers/; OPT = OPT_EACH_RUN: each run's own rule;
//              LAMB first reduces its trust ratio over the segment, Muon orthogonalises a hidden W: below)
//   w <- sign(w) max(0, |w| - lr l1 s) for decayed w when l1 > 0: L1's proximal step (lib/optimizers.wgsl l1_prox)
// and the step's bookkeeping for the run:
//   loss = dataLoss + l2 sum w^2 + l1 sum |w| + l1Act sum_l sum |h_l| / B    (record word 0, from segment 0)
//   gradNorm[l] = ||g_W|| (before clipping), updateRatio[l] = ||W_after - W_before|| / ||W_before||
//   batch norm (gamma segments): runMean, runVar <- m run + (1 - m) batch (unbiased variance)
// A run is left alone when the slot is past its active slots, when the loss kernel saw its data loss
// diverge (track status), when an earlier slot left non-finite weights (flags), or when the loss is
// not finite. Old weights go to `prev` (and old running statistics to prevStats) so the host can
// restore them when this step leaves non-finite weights (flags[r, k] = global step + 1).
// reference: src/engine/trainer.ts Run.trainStep(); optim.ts optimizerStep(); batchnorm.ts updateRunningStats()

override OPT: u32 = OPT_EACH_RUN;

struct Dims {
  nSeg: u32, nParamSeg: u32, R: u32, M: u32,            // segments (parameter ones first); record words
  P: u32, gradOff: u32, mOff: u32, vOff: u32,           // sections of state, run stride P (theta at 0)
  prevOff: u32, statsOff: u32, prevStatsOff: u32, SS: u32,  // running stats sections, run stride SS
  aRun: u32, trackOff: u32, flagsOff: u32, B: u32,      // track [R, 32] and flags [R, nParamSeg] in rec
  L: u32, nsRun: u32, pad1: u32, pad2: u32,           // nsRun: floats of Muon's ns scratch per run
}
@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read_write> state: array<f32>;
@group(0) @binding(2) var<storage, read> acts: array<f32>;
@group(0) @binding(3) var<storage, read> hyper: array<u32>;
@group(0) @binding(4) var<storage, read> segs: array<u32>;
@group(0) @binding(5) var<storage, read> partials: array<f32>;
@group(0) @binding(6) var<storage, read_write> rec: array<f32>;
// Muon's Newton-Schulz regions [R, nsRun] (lib/newton_schulz.wgsl; a 1-float stand-in without Muon)
@group(0) @binding(7) var<storage, read_write> ns: array<f32>;

const WG: u32 = 64u;
var<workgroup> red: array<vec3<f32>, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let k = wg.x;
  let r = wg.z;
  let kind = segs[k * 8u];
  let off = segs[k * 8u + 1u];
  let len = segs[k * 8u + 2u];
  let layer = segs[k * 8u + 3u];
  let recBase = (st.s * d.R + r) * d.M;
  if (st.s >= hyper_u(r, H_ACTIVE_SLOTS)) { return; }
  // the loss terms from the norms kernel's partial sums (a zero strength contributes exactly 0, as in the engine)
  var gsq = 0.0;
  var wsq = 0.0;
  var wabs = 0.0;
  var habs = 0.0;
  for (var j = 0u; j < d.nSeg; j++) {
    let p = partials[(r * d.nSeg + j) * 4u];
    let q = partials[(r * d.nSeg + j) * 4u + 1u];
    let a = partials[(r * d.nSeg + j) * 4u + 2u];
    let h = partials[(r * d.nSeg + j) * 4u + 3u];
    if (j < d.nParamSeg) { gsq += p; wsq += q; wabs += a; } else { habs += h; }
  }
  let l2 = hyper_f(r, H_L2);
  let l1 = hyper_f(r, H_L1);
  let l1Act = hyper_f(r, H_L1_ACT);
  var regLoss = 0.0;
  if (l2 != 0.0) { regLoss += l2 * wsq; }
  if (l1 != 0.0) { regLoss += l1 * wabs; }
  if (l1Act != 0.0) { regLoss += l1Act * habs / f32(d.B); }
  let loss = rec[recBase + 1u] + regLoss;
  if (k == 0u) { rec[recBase] = loss; }
  if (kind == 0u && t == 0u) {
    rec[recBase + 8u + layer] = sqrt(partials[(r * d.nSeg + k) * 4u]);
    rec[recBase + 8u + d.L + layer] = 0.0;
  }
  var dead = bitcast<u32>(rec[d.trackOff + r * 32u]) != 0u || !is_finite(loss);
  // flags hold the global step + 1 of a step that left non-finite weights: only an EARLIER step
  // freezes the run (this step's other workgroups may have written a flag already)
  for (var j = 0u; j < d.nParamSeg; j++) {
    let f = bitcast<u32>(rec[d.flagsOff + r * d.nParamSeg + j]);
    if (f != 0u && f - 1u < run_step(r)) { dead = true; }
  }
  // `dead` is the same in every invocation, but the uniformity analysis cannot see that through a
  // read_write buffer: so no early return, the barriers below stay in uniform control flow.
  var acc = vec3<f32>(0.0);   // sum dW^2, sum W_before^2, non-finite count
  let norm = sqrt(gsq);
  let clip = hyper_f(r, H_CLIP_NORM);
  var scale = 1.0;
  if (clip > 0.0 && norm > clip) { scale = clip / norm; }
  let kindOpt = select(OPT, hyper_u(r, H_OPTIMIZER), opt_each_run(OPT));
  var args = opt_args(r, d.R, kind == 0u || hyper_u(r, H_DECAY_BIASES) != 0u);
  let w0 = r * d.P + off;
  // LAMB's trust ratio needs the whole segment's ||w|| and ||u|| before any of it moves: a first
  // pass sums w^2 and u^2 (u from the moments this step will store), reduced over the workgroup.
  // Compiled in only when LAMB can run (OPT is an override: uniform, so the barriers are allowed).
  if (opt_may(OPT, OPT_LAMB)) {
    var sums = vec3<f32>(0.0);
    if (!dead && kindOpt == OPT_LAMB) {
      for (var i = t; i < len; i += WG) {
        let w = state[w0 + i];
        let mv = lamb_moments(state[d.gradOff + w0 + i] * scale, state[d.mOff + w0 + i], state[d.vOff + w0 + i], args);
        let u = lamb_dir(w, mv, args);
        sums += vec3<f32>(w * w, u * u, 0.0);
      }
    }
    let total = workgroup_sum(sums, t);
    args.trust = lamb_trust(total.x, total.y);
    workgroupBarrier();  // every invocation has read red[0] before it is reused below
  }
  // Muon on a hidden W[rows, cols]: the whole matrix's Nesterov momentum U into its region of ns,
  // orthogonalised there by the workgroup (O = NS5(U)) before any coordinate moves. Every condition
  // is uniform (override, segment table, hyper table), so the barriers inside are allowed; a dead
  // run's matrix is orthogonalised too and then not applied.
  let muonW = opt_may(OPT, OPT_MUON) && kindOpt == OPT_MUON && kind == 0u && layer + 1u < d.L;
  let rows = segs[k * 8u + 5u];
  let cols = len / max(rows, 1u);
  let nsBase = r * d.nsRun + segs[k * 8u + 7u];
  if (muonW) {
    for (var i = t; i < len; i += WG) {
      let u = muon_dir(state[d.gradOff + w0 + i] * scale, state[d.mOff + w0 + i], args);
      ns[nsBase + NS_RED + ns_index(rows, cols, i)] = u;
    }
    newton_schulz5(nsBase, rows, cols, t);
  }
  if (!dead) {
    for (var i = t; i < len; i += WG) {
      let w = state[w0 + i];
      let g = state[d.gradOff + w0 + i] * scale;
      var moved: Moved;
      if (muonW) {
        let o = ns[nsBase + NS_RED + ns_index(rows, cols, i)];
        moved = muon_hidden_step(w, g, state[d.mOff + w0 + i], state[d.vOff + w0 + i], o, muon_shape(rows, cols), args);
      } else {
        moved = optimizer_step(OPT, kindOpt, w, g, state[d.mOff + w0 + i], state[d.vOff + w0 + i], args);
      }
      let mv = l1_prox(moved, l1, args);
      let wn = mv.w;
      state[d.prevOff + w0 + i] = w;
      state[w0 + i] = wn;
      state[d.mOff + w0 + i] = mv.m;
      state[d.vOff + w0 + i] = mv.v;
      let dw = wn - w;
      acc += vec3<f32>(dw * dw, w * w, select(1.0, 0.0, is_finite(wn)));
    }
    if (kind == 2u) { running_stats(r, segs[k * 8u + 4u], segs[k * 8u + 5u], segs[k * 8u + 6u], t); }
  }
  let total = workgroup_sum(acc, t);
  if (t == 0u && !dead) {
    if (total.z > 0.0) { rec[d.flagsOff + r * d.nParamSeg + k] = bitcast<f32>(run_step(r) + 1u); }
    if (kind == 0u) {
      var infBits = 0x7f800000u;  // a var, not a constant: WGSL rejects an infinite constant
      var ratio = bitcast<f32>(infBits);  // +Infinity when W_before = 0, as the engine
      if (total.y > 0.0) { ratio = sqrt(total.x) / sqrt(total.y); }
      rec[recBase + 8u + d.L + layer] = ratio;
    }
  }
}

// The sum of x over the workgroup's 64 invocations (tree reduction in `red`; call in uniform flow).
fn workgroup_sum(x: vec3<f32>, t: u32) -> vec3<f32> {
  red[t] = x;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (t < s) { red[t] += red[t + s]; }
    workgroupBarrier();
  }
  return red[0];
}

// runMean = m runMean + (1 - m) mean,  runVar = m runVar + (1 - m) var B / (B - 1)   (features O,
// running stats at statsOff + rs, batch mean/var at acts[statsActs]); momentum in hyper word 20
fn running_stats(r: u32, rs: u32, O: u32, statsActs: u32, t: u32) {
  let mom = hyper_f(r, H_BN_MOMENTUM);
  var unbias = 1.0;
  if (d.B > 1u) { unbias = f32(d.B) / f32(d.B - 1u); }
  let base = r * d.SS + rs;
  for (var o = t; o < O; o += WG) {
    let mean = acts[r * d.aRun + statsActs + o];
    let v = acts[r * d.aRun + statsActs + O + o];
    let rm = state[d.statsOff + base + o];
    let rv = state[d.statsOff + base + O + o];
    state[d.prevStatsOff + base + o] = rm;
    state[d.prevStatsOff + base + O + o] = rv;
    state[d.statsOff + base + o] = mom * rm + (1.0 - mom) * mean;
    state[d.statsOff + base + O + o] = mom * rv + (1.0 - mom) * v * unbias;
  }
}
