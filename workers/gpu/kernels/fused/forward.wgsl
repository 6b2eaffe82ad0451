// fused_mlp, part 2: forward pass and loss for the RPW runs of this workgroup, over `nrows` rows.
// evalSplit 0 = training step s (dropout, batch statistics), 1/2 = evaluation rows of the training /
// validation split starting at rowBase (no dropout, running statistics).
// The products are register-blocked: one invocation computes a block of 4 rows x 4 output units
// (16 sums in registers), so each input and each weight it loads serves 4 products. On a software
// adapter every load from a buffer is a gather with bounds checks (before: 2 per multiply-add);
// here 8 loads serve 16. Each output keeps the engine's order of summation (bias, then i = 0 ..
// I-1), so every value is the one an invocation per row computed.
// reference: src/engine/network.ts forward(), outputLoss(); dense.ts matmul(); batchnorm.ts; dropout.ts

// row or unit k0 .. k0+3 of a dimension of n, past the end repeating the last (read, never stored)
fn block4(k0: u32, n: u32) -> vec4<u32> {
  return min(vec4<u32>(k0, k0 + 1u, k0 + 2u, k0 + 3u), vec4<u32>(n - 1u));
}

fn forward_layer(g: u32, t: u32, l: u32, s: u32, evalSplit: u32, nrows: u32) {
  let L = d.layers[l];
  let I = L.dims.x;
  let O = L.dims.y;
  let train = evalSplit == 0u;
  let plain = is_hidden(l) && !has_bn(l);
  // one invocation per block of 4 rows x 4 units: z[b0 + k, o0 + m] = b[o0 + m] + sum_i x[b0 + k, i] W[o0 + m, i]
  let nO4 = (O + 3u) / 4u;
  let nblk = ((nrows + 3u) / 4u) * nO4;
  for (var blk = t; blk < d.RPW * nblk; blk += WG) {
    let j = blk / nblk;
    let k = blk % nblk;
    let b0 = (k / nO4) * 4u;
    let o0 = (k % nO4) * 4u;
    let r = g * d.RPW + j;
    if (r >= d.R) { continue; }
    let xr = block4(b0, nrows) * I + slot_base(j) + layer_input_off(r, l, train);  // the 4 rows' inputs
    let oc = block4(o0, O);
    let wr = oc * I + r * d.P + L.dims.z;  // the 4 units' weight rows
    let bb = r * d.P + L.dims.w;
    // z_m: unit o0 + m of the 4 rows
    var z0 = vec4<f32>(state[bb + oc.x]);
    var z1 = vec4<f32>(state[bb + oc.y]);
    var z2 = vec4<f32>(state[bb + oc.z]);
    var z3 = vec4<f32>(state[bb + oc.w]);
    for (var i = 0u; i < I; i++) {
      let xv = vec4<f32>(mld(xr.x + i), mld(xr.y + i), mld(xr.z + i), mld(xr.w + i));
      z0 += xv * state[wr.x + i];
      z1 += xv * state[wr.y + i];
      z2 += xv * state[wr.z + i];
      z3 += xv * state[wr.w + i];
    }
    // the block transposed: column kk holds units o0 .. o0+3 of row b0 + kk. Constant indices only:
    // SwiftShader indexes a vector by a runtime value per element, for every element stored
    let zt = transpose(mat4x4<f32>(z0, z1, z2, z3));
    // all 16 stored, without a branch: a row or unit past the end is clamped (block4) to the last
    // one, whose value it repeats exactly (same inputs, same order), so it stores that value again
    let rows = block4(b0, nrows);
    let q = fused_q(r, l);
    forward_out4(j, r, L, l, rows.x, oc, zt[0], plain, q, s, train);
    forward_out4(j, r, L, l, rows.y, oc, zt[1], plain, q, s, train);
    forward_out4(j, r, L, l, rows.z, oc, zt[2], plain, q, s, train);
    forward_out4(j, r, L, l, rows.w, oc, zt[3], plain, q, s, train);
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
    let q = fused_q(r, l);
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
      activate(j, r, L, l, b, o, u, q, s, train);
    }
  }
  sync();
}

// units oc of row b of layer l: h = f(z) of a plain hidden layer, else z
fn forward_out4(j: u32, r: u32, L: Layer, l: u32, b: u32, oc: vec4<u32>, z: vec4<f32>, plain: bool, q: f32, s: u32, train: bool) {
  forward_out(j, r, L, l, b, oc.x, z.x, plain, q, s, train);
  forward_out(j, r, L, l, b, oc.y, z.y, plain, q, s, train);
  forward_out(j, r, L, l, b, oc.z, z.z, plain, q, s, train);
  forward_out(j, r, L, l, b, oc.w, z.w, plain, q, s, train);
}
// One store, no branch (SwiftShader runs both sides of a branch, each store a per-lane scatter): a
// plain hidden layer keeps h where z would be (fused.ts: its z offset is its h offset), so h = f(z)
// or z goes to act.x; its dropout output o in a second store, only when some run drops units.
fn forward_out(j: u32, r: u32, L: Layer, l: u32, b: u32, o: u32, z: f32, plain: bool, q: f32, s: u32, train: bool) {
  let e = slot_base(j) + b * L.dims.y + o;
  let h = select(z, act_f(layer_act(l), z), plain);
  mst(e + L.act.x, h);
  if (DROP && plain && train && q > 0.0) {
    mst(e + L.act.w, h * dropout_mask(hyper_u(r, H_DROP_KIND), q, hyper_u(r, H_DROP_SEED), hyper_u(r, H_STEP) + s, l, o, L.dims.y, b));
  }
}

// h = f(a), and o = h * mask when run r drops units of layer l (q = fused_q(r, l); training only).
// The layer's entry L is the caller's copy: read once per block, not per element.
fn activate(j: u32, r: u32, L: Layer, l: u32, b: u32, o: u32, a: f32, q: f32, s: u32, train: bool) {
  let e = slot_base(j) + b * L.dims.y + o;
  let h = act_f(layer_act(l), a);
  mst(e + L.act.z, h);
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
    // selects, not branches (SwiftShader runs both sides of a branch; see forward_out)
    let row = select(rowBase + b, rows[r * d.rowsRun + s * d.B + b], train);
    let yOff = select(d.yTrain, d.yVal, evalSplit == 2u);
    let x = slot_base(j) + L.act.x + b * C;
    var label = 0u;
    if (LOSS != 1u) { label = bitcast<u32>(dataset[yOff + row]); }
    var mx = mld(x);
    var arg = 0u;
    for (var c = 1u; c < C; c++) {
      let v = mld(x + c);
      arg = select(arg, c, v > mx);
      mx = select(mx, v, v > mx);
    }
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
