// fused_mlp, part 2: forward pass and loss for the RPW runs of this workgroup, over `nrows` rows.
// evalSplit 0 = training step s (dropout, batch statistics), 1/2 = evaluation rows of the training /
// validation split starting at rowBase (no dropout, running statistics). One invocation per row:
// SwiftShader-class adapters pay for every integer division, GPUs have few rows anyway.
// reference: src/engine/network.ts forward(), outputLoss(); dense.ts matmul(); batchnorm.ts; dropout.ts

fn forward_layer(g: u32, t: u32, l: u32, s: u32, evalSplit: u32, nrows: u32) {
  let L = d.layers[l];
  let I = L.dims.x;
  let O = L.dims.y;
  let train = evalSplit == 0u;
  let plain = is_hidden(l) && !has_bn(l);
  for (var row = t; row < d.RPW * nrows; row += WG) {
    let j = row / nrows;
    let b = row % nrows;
    let r = g * d.RPW + j;
    if (r >= d.R) { continue; }
    let x = slot_base(j) + layer_input_off(r, l, train) + b * I;
    let zr = slot_base(j) + L.act.x + b * O;
    let wb = r * d.P + L.dims.z;
    let bb = r * d.P + L.dims.w;
    for (var o = 0u; o < O; o++) {
      var z = state[bb + o];
      let w = wb + o * I;
      for (var i = 0u; i < I; i++) { z += mld(x + i) * state[w + i]; }
      mst(zr + o, z);
      if (plain) { activate(j, r, l, b, o, z, s, train); }
    }
  }
  sync();
  if (!has_bn(l)) { return; }
  // batch norm: statistics per feature over the batch (training), or the running statistics
  if (train) {
    for (var idx = t; idx < d.RPW * O; idx += WG) {
      let j = idx / O;
      let o = idx % O;
      let base = slot_base(j) + L.act.x + o;
      var sum = 0.0;
      for (var b = 0u; b < nrows; b++) { sum += mld(base + b * O); }
      let mean = sum / f32(nrows);
      var v = 0.0;
      for (var b = 0u; b < nrows; b++) { let c = mld(base + b * O) - mean; v += c * c; }
      v /= f32(nrows);
      let st0 = slot_base(j) + L.grad.x;
      mst(st0 + o, mean);
      mst(st0 + O + o, v);
      mst(st0 + 2u * O + o, 1.0 / sqrt(v + hyper_f(min(g * d.RPW + j, d.R - 1u), H_BN_EPS)));
    }
    sync();
  }
  for (var row = t; row < d.RPW * nrows; row += WG) {
    let j = row / nrows;
    let b = row % nrows;
    let r = g * d.RPW + j;
    if (r >= d.R) { continue; }
    let eps = hyper_f(r, H_BN_EPS);
    for (var o = 0u; o < O; o++) {
      var mean: f32;
      var invStd: f32;
      if (train) {
        mean = mld(slot_base(j) + L.grad.x + o);
        invStd = mld(slot_base(j) + L.grad.x + 2u * O + o);
      } else {
        mean = state[d.statsOff + r * d.SS + L.bn.z + o];
        invStd = 1.0 / sqrt(state[d.statsOff + r * d.SS + L.bn.z + O + o] + eps);
      }
      let e = slot_base(j) + b * O + o;
      let u = state[r * d.P + L.bn.x + o] * ((mld(e + L.act.x) - mean) * invStd) + state[r * d.P + L.bn.y + o];
      mst(e + L.act.y, u);
      activate(j, r, l, b, o, u, s, train);
    }
  }
  sync();
}

// h = f(a), and o = h * mask when run r drops units of layer l (training only)
fn activate(j: u32, r: u32, l: u32, b: u32, o: u32, a: f32, s: u32, train: bool) {
  let L = d.layers[l];
  let e = slot_base(j) + b * L.dims.y + o;
  let h = act_f(layer_act(l), a);
  mst(e + L.act.z, h);
  let q = fused_q(r, l);
  if (train && q > 0.0) {
    mst(e + L.act.w, h * dropout_mask(hyper_u(r, H_DROP_KIND), q, hyper_u(r, H_DROP_SEED), hyper_u(r, H_STEP) + s, l, o, L.dims.y, b));
  }
}

// Per sample: loss and correct into the partials area; in training also dLoss/dlogits into dZ of
// the output layer.
fn loss_rows(g: u32, t: u32, s: u32, evalSplit: u32, rowBase: u32, nrows: u32) {
  let L = d.layers[d.L - 1u];
  let C = L.dims.y;
  let train = evalSplit == 0u;
  for (var idx = t; idx < d.RPW * nrows; idx += WG) {
    let j = idx / nrows;
    let b = idx % nrows;
    let r = g * d.RPW + j;
    if (r >= d.R) { continue; }
    var row: u32;
    var yOff = d.yTrain;
    if (train) { row = rows[r * d.rowsRun + s * d.B + b]; } else { row = rowBase + b; }
    if (evalSplit == 2u) { yOff = d.yVal; }
    let x = slot_base(j) + L.act.x + b * C;
    var label = 0u;
    if (LOSS != 1u) { label = bitcast<u32>(dataset[yOff + row]); }
    var mx = mld(x);
    var arg = 0u;
    for (var c = 1u; c < C; c++) { if (mld(x + c) > mx) { mx = mld(x + c); arg = c; } }
    var lossv = 0.0;
    let dz = slot_base(j) + L.grad.z + b * C;
    if (LOSS == 0u) {
      var sum = 0.0;
      for (var c = 0u; c < C; c++) { sum += exp(mld(x + c) - mx); }
      let lse = mx + log(sum);
      lossv = lse - mld(x + label);
      if (train) {
        for (var c = 0u; c < C; c++) { mst(dz + c, (exp(mld(x + c) - lse) - select(0.0, 1.0, c == label)) / f32(d.B)); }
      }
    } else {
      for (var c = 0u; c < C; c++) {
        var tv = select(0.0, 1.0, c == label);
        if (LOSS == 1u) { tv = dataset[yOff + row * C + c]; }
        let e = mld(x + c) - tv;
        lossv += 0.5 * e * e;
        if (train) { mst(dz + c, e / f32(d.B)); }
      }
    }
    mst(d.partOff + 2u * idx, lossv);
    mst(d.partOff + 2u * idx + 1u, select(0.0, 1.0, LOSS != 1u && arg == label));
  }
  sync();
}
