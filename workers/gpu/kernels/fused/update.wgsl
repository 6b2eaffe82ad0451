// fused_mlp, part 4: penalties, norms, the optimizer step and the step record, for the RPW runs of
// this workgroup. Work is split into items of 16, 32 or 64 consecutive parameters (fused.ts PARAM_CHUNKS; 256 activations),
// each reduced by one invocation into mld(partOff + (j * nItems + item) * 4 ..).
// reference: src/engine/regularizers.ts, optim.ts optimizerStep(), trainer.ts Run.trainStep(),
//            batchnorm.ts updateRunningStats()

fn item_kind(it: u32) -> u32 { return d.items[it].x & 255u; }
fn item_layer(it: u32) -> u32 { return (d.items[it].x >> 8u) & 255u; }
fn part(j: u32, it: u32) -> u32 { return d.partOff + (j * d.nItems + it) * 4u; }

// the L2 gradient in place (g += 2 l2 w where decayed; L1 is a proximal step in update_items) and the partial sums
fn norms_items(g: u32, t: u32) {
  for (var idx = t; idx < d.RPW * d.nItems; idx += WG) {
    let j = idx / d.nItems;
    let it = idx % d.nItems;
    let r = g * d.RPW + j;
    if (r >= d.R) { continue; }
    let kind = item_kind(it);
    let off = d.items[it].y;
    let len = d.items[it].z;
    var acc = vec4<f32>(0.0);
    // a penalty of strength 0 adds nothing and reads nothing (src/engine/regularizers.ts returns
    // early too; step_totals reads only the sums of the penalties that are on)
    if (kind == 4u) {
      if (hyper_f(r, H_L1_ACT) != 0.0) {
        for (var e = 0u; e < len; e++) { acc.w += abs(mld(slot_base(j) + off + e)); }
      }
    } else {
      let l2 = hyper_f(r, H_L2);
      let decayed = (kind == 0u || hyper_u(r, H_DECAY_BIASES) != 0u) && (l2 != 0.0 || hyper_f(r, H_L1) != 0.0);
      for (var e = off; e < off + len; e++) {
        var gr = state[d.gradOff + r * d.P + e];
        if (decayed) {
          let w = state[r * d.P + e];
          if (l2 != 0.0) {
            gr += 2.0 * l2 * w;
            state[d.gradOff + r * d.P + e] = gr;
          }
          acc.y += w * w;
          acc.z += abs(w);
        }
        acc.x += gr * gr;
      }
    }
    let p = part(j, it);
    mst(p, acc.x);
    mst(p + 1u, acc.y);
    mst(p + 2u, acc.z);
    mst(p + 3u, acc.w);
  }
  sync();
}

// one invocation per run: loss terms, gradient norms, clipping factor, whether the step applies
fn step_totals(g: u32, t: u32, s: u32) {
  if (t < d.RPW && g * d.RPW + t < d.R) {
    let j = t;
    let r = g * d.RPW + j;
    let rb = (s * d.R + r) * d.M;
    var tot = vec4<f32>(0.0);
    var wsq = 0.0;
    for (var it = 0u; it < d.nItems; it++) {
      let p = part(j, it);
      let v = vec4<f32>(mld(p), mld(p + 1u), mld(p + 2u), mld(p + 3u));
      tot += v;
      if (item_kind(it) == 0u) {
        wsq += v.x;
        // last item of a W segment: its gradient norm
        if (it + 1u == d.nItems || d.items[it + 1u].w != d.items[it].w) {
          rec[rb + 8u + item_layer(it)] = sqrt(wsq);
          rec[rb + 8u + d.L + item_layer(it)] = 0.0;
          wsq = 0.0;
        }
      }
    }
    let l2 = hyper_f(r, H_L2);
    let l1 = hyper_f(r, H_L1);
    let l1Act = hyper_f(r, H_L1_ACT);
    var regLoss = 0.0;
    if (l2 != 0.0) { regLoss += l2 * tot.y; }
    if (l1 != 0.0) { regLoss += l1 * tot.z; }
    if (l1Act != 0.0) { regLoss += l1Act * tot.w / f32(d.B); }
    let loss = mld(sc(j, SC_DATALOSS)) + regLoss;
    rec[rb] = loss;
    let skip = s >= hyper_u(r, H_ACTIVE_SLOTS) || mld(sc(j, SC_DEAD)) != 0.0 || !finite(loss);
    mst(sc(j, SC_SKIP), select(0.0, 1.0, skip));
    let norm = sqrt(tot.x);
    let clip = hyper_f(r, H_CLIP_NORM);
    mst(sc(j, SC_SCALE), select(1.0, clip / norm, clip > 0.0 && norm > clip));
  }
  sync();
}

// LAMB's trust ratio per segment, before any of it moves (optimizers/lamb.wgsl): each item sums w^2
// and u^2 over its parameters into its partial slots 0 and 1, then each item adds up the items of its
// segment (items[it].w) and keeps r = ||w|| / ||u|| in its slot 3, read by update_items.
fn lamb_items(g: u32, t: u32, s: u32) {
  for (var idx = t; idx < d.RPW * d.nParamItems; idx += WG) {
    let j = idx / d.nParamItems;
    let it = idx % d.nParamItems;
    let r = g * d.RPW + j;
    if (r >= d.R || mld(sc(j, SC_SKIP)) != 0.0 || item_rule(r) != OPT_LAMB) { continue; }
    let scale = mld(sc(j, SC_SCALE));
    let a = opt_args_at(r, s, item_kind(it) == 0u || hyper_u(r, H_DECAY_BIASES) != 0u);
    var w2 = 0.0;
    var u2 = 0.0;
    for (var e = d.items[it].y; e < d.items[it].y + d.items[it].z; e++) {
      let k = r * d.P + e;
      let w = state[k];
      let u = lamb_dir(w, lamb_moments(state[d.gradOff + k] * scale, state[d.mOff + k], state[d.vOff + k], a), a);
      w2 += w * w;
      u2 += u * u;
    }
    mst(part(j, it), w2);
    mst(part(j, it) + 1u, u2);
  }
  sync();
  for (var idx = t; idx < d.RPW * d.nParamItems; idx += WG) {
    let j = idx / d.nParamItems;
    let it = idx % d.nParamItems;
    let r = g * d.RPW + j;
    if (r >= d.R || mld(sc(j, SC_SKIP)) != 0.0 || item_rule(r) != OPT_LAMB) { continue; }
    var w2 = 0.0;
    var u2 = 0.0;
    for (var i = 0u; i < d.nParamItems; i++) {
      if (d.items[i].w == d.items[it].w) {
        w2 += mld(part(j, i));
        u2 += mld(part(j, i) + 1u);
      }
    }
    mst(part(j, it) + 3u, lamb_trust(w2, u2));
  }
  sync();
}

// Muon's orthogonalisation (optimizers/muon.wgsl), before any weight moves: for each Muon run of
// this workgroup and each hidden layer, the whole workgroup writes the Nesterov momentum U of W[O, I]
// into the layer's region of ns and turns it into O = NS5(U) there (lib/newton_schulz.wgsl), which
// update_items then reads coordinate by coordinate. Conditions are uniform (hyper table, layer
// table); a run skipped this step is orthogonalised too and then not applied.
fn muon_items(g: u32, t: u32, s: u32) {
  storageBarrier();  // the gradients norms_items completed (sync() may order workgroup memory only)
  for (var j = 0u; j < d.RPW; j++) {
    let r = g * d.RPW + j;
    if (r >= d.R || item_rule(r) != OPT_MUON) { continue; }
    let scale = mld(sc(j, SC_SCALE));
    let a = opt_args_at(r, s, true);
    for (var l = 0u; l + 1u < d.L; l++) {
      let L = d.layers[l];
      let rows = L.dims.y;
      let cols = L.dims.x;
      let base = r * d.nsRun + L.grad.w;
      let w0 = r * d.P + L.dims.z;
      for (var i = t; i < rows * cols; i += WG) {
        let u = muon_dir(state[d.gradOff + w0 + i] * scale, state[d.mOff + w0 + i], a);
        ns[base + NS_RED + ns_index(rows, cols, i)] = u;
      }
      newton_schulz5(base, rows, cols, t);
    }
  }
}

// the rule of run r: OPT, or the run's own when OPT has OPT_RUNS_BIT (a constant OPT lets the
// compiler drop the other rules)
fn item_rule(r: u32) -> u32 {
  if (opt_each_run(OPT)) { return hyper_u(r, H_OPTIMIZER); }
  return OPT;
}

fn update_items(g: u32, t: u32, s: u32) {
  for (var idx = t; idx < d.RPW * d.nParamItems; idx += WG) {
    let j = idx / d.nParamItems;
    let it = idx % d.nParamItems;
    let r = g * d.RPW + j;
    if (r >= d.R || mld(sc(j, SC_SKIP)) != 0.0) { continue; }
    let kind = item_kind(it);
    let off = d.items[it].y;
    let len = d.items[it].z;
    let scale = mld(sc(j, SC_SCALE));
    var a = opt_args_at(r, s, kind == 0u || hyper_u(r, H_DECAY_BIASES) != 0u);
    let l1 = hyper_f(r, H_L1);
    let rule = item_rule(r);
    if (opt_may(OPT, OPT_LAMB) && rule == OPT_LAMB) { a.trust = mld(part(j, it) + 3u); }
    // a hidden W of a Muon run: its coordinates of O (muon_items)
    let muonW = opt_may(OPT, OPT_MUON) && rule == OPT_MUON && kind == 0u && is_hidden(item_layer(it));
    let Lw = d.layers[item_layer(it)];
    var acc = vec3<f32>(0.0);
    for (var e = off; e < off + len; e++) {
      let k = r * d.P + e;
      let w = state[k];
      let g = state[d.gradOff + k] * scale;
      var moved: Moved;
      if (muonW) {
        let o = ns[r * d.nsRun + Lw.grad.w + NS_RED + ns_index(Lw.dims.y, Lw.dims.x, e - Lw.dims.z)];
        moved = muon_hidden_step(w, g, state[d.mOff + k], state[d.vOff + k], o, muon_shape(Lw.dims.y, Lw.dims.x), a);
      } else {
        moved = optimizer_step(OPT, rule, w, g, state[d.mOff + k], state[d.vOff + k], a);
      }
      let mv = l1_prox(moved, l1, a);  // L1's proximal step: stops at exactly 0
      let wn = mv.w;
      state[d.prevOff + k] = w;
      state[k] = wn;
      state[d.mOff + k] = mv.m;
      state[d.vOff + k] = mv.v;
      let dw = wn - w;
      acc += vec3<f32>(dw * dw, w * w, select(1.0, 0.0, finite(wn)));
    }
    if (BN && kind == 2u) { running_stats_item(j, r, item_layer(it), off, len); }
    let p = part(j, it);
    mst(p, acc.x);
    mst(p + 1u, acc.y);
    mst(p + 2u, acc.z);
  }
  sync();
}

// runMean, runVar <- m run + (1 - m) batch (unbiased variance) for the features of a gamma item
fn running_stats_item(j: u32, r: u32, l: u32, off: u32, len: u32) {
  let L = d.layers[l];
  let O = L.dims.y;
  let mom = hyper_f(r, H_BN_MOMENTUM);
  var unbias = 1.0;
  if (d.B > 1u) { unbias = f32(d.B) / f32(d.B - 1u); }
  for (var o = off - L.bn.x; o < off - L.bn.x + len; o++) {
    let k = r * d.SS + L.bn.z + o;
    let rm = state[d.statsOff + k];
    let rv = state[d.statsOff + k + O];
    state[d.prevStatsOff + k] = rm;
    state[d.prevStatsOff + k + O] = rv;
    state[d.statsOff + k] = mom * rm + (1.0 - mom) * mld(slot_base(j) + L.grad.x + o);
    state[d.statsOff + k + O] = mom * rv + (1.0 - mom) * mld(slot_base(j) + L.grad.x + O + o) * unbias;
  }
}

// one invocation per run: update ratios of the weight matrices; non-finite weights stop the run
fn step_ratios(g: u32, t: u32, s: u32) {
  if (t < d.RPW && g * d.RPW + t < d.R && mld(sc(t, SC_SKIP)) == 0.0) {
    let j = t;
    let r = g * d.RPW + j;
    let rb = (s * d.R + r) * d.M;
    var du = 0.0;
    var w2 = 0.0;
    var bad = 0.0;
    for (var it = 0u; it < d.nParamItems; it++) {
      let p = part(j, it);
      bad += mld(p + 2u);
      if (item_kind(it) != 0u) { continue; }
      du += mld(p);
      w2 += mld(p + 1u);
      if (it + 1u == d.nParamItems || d.items[it + 1u].w != d.items[it].w) {
        var infBits = 0x7f800000u;
        var ratio = bitcast<f32>(infBits);
        if (w2 > 0.0) { ratio = sqrt(du) / sqrt(w2); }
        rec[rb + 8u + d.L + item_layer(it)] = ratio;
        du = 0.0;
        w2 = 0.0;
      }
    }
    if (bad > 0.0) {
      rec[d.flagsOff + r * d.nParamSeg] = bitcast<f32>(hyper_u(r, H_STEP) + s + 1u);  // global step + 1
      mst(sc(j, SC_DEAD), 1.0);
    }
  }
}

fn opt_args_at(r: u32, s: u32, decayed: bool) -> OptArgs {
  return opt_args_with(r, slot_entry(r, s, SLOT_LR), slot_entry(r, s, SLOT_C1), slot_entry(r, s, SLOT_C2), decayed);
}
