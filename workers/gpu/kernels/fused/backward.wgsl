// fused_mlp, part 3: backward pass of training step s for the RPW runs of this workgroup.
// Gradients of W and b go to the grad section of state; dX of the layer below, through its dropout
// mask, the activation-L1 term and its activation, goes to its dA in mem.
// reference: src/engine/network.ts backward(); dense.ts matmulBackwardW/X(); batchnorm.ts batchNormBackward()

// dZ of layer l: its dA after batch norm's backward (BN), else dA itself; the output layer's dZ.
fn dz_off(l: u32) -> u32 {
  let L = d.layers[l];
  if (!is_hidden(l) || has_bn(l)) { return L.grad.z; }
  return L.grad.y;
}

fn backward_layer(g: u32, t: u32, l: u32, s: u32) {
  let L = d.layers[l];
  let I = L.dims.x;
  let O = L.dims.y;
  let B = d.B;
  if (has_bn(l)) {
    for (var idx = t; idx < d.RPW * O; idx += WG) {
      let j = idx / O;
      let o = idx % O;
      let r = g * d.RPW + j;
      if (r >= d.R) { continue; }
      let base = slot_base(j);
      let mean = mld(base + L.grad.x + o);
      let invStd = mld(base + L.grad.x + 2u * O + o);
      var sdy = 0.0;
      var sdyx = 0.0;
      for (var b = 0u; b < B; b++) {
        let dy = mld(base + L.grad.y + b * O + o);
        sdy += dy;
        sdyx += dy * ((mld(base + L.act.x + b * O + o) - mean) * invStd);
      }
      state[d.gradOff + r * d.P + L.bn.y + o] = sdy;
      state[d.gradOff + r * d.P + L.bn.x + o] = sdyx;
      let c = state[r * d.P + L.bn.x + o] * invStd / f32(B);
      for (var b = 0u; b < B; b++) {
        let e = base + b * O + o;
        let xhat = (mld(e + L.act.x) - mean) * invStd;
        mst(e + L.grad.z, c * (f32(B) * mld(e + L.grad.y) - sdy - xhat * sdyx));
      }
    }
    sync();
  }
  let dz = dz_off(l);
  let nW = O * I;
  // dW[o, i] = sum_b dZ[b, o] X[b, i]  and  db[o] = sum_b dZ[b, o] (0 with BN): one invocation per (o, i) / o
  for (var idx = t; idx < d.RPW * (nW + O); idx += WG) {
    let j = idx / (nW + O);
    let k = idx % (nW + O);
    let r = g * d.RPW + j;
    if (r >= d.R) { continue; }
    let zb = slot_base(j) + dz;
    var acc = 0.0;
    if (k < nW) {
      let o = k / I;
      let x = slot_base(j) + layer_input_off(r, l, true) + k % I;
      for (var b = 0u; b < B; b++) { acc += mld(zb + b * O + o) * mld(x + b * I); }
      state[d.gradOff + r * d.P + L.dims.z + k] = acc;
    } else {
      // with batch norm db = 0 exactly (the mean subtraction cancels b; src/engine/network.ts)
      if (!has_bn(l)) { for (var b = 0u; b < B; b++) { acc += mld(zb + b * O + k - nW); } }
      state[d.gradOff + r * d.P + L.dims.w + k - nW] = acc;
    }
  }
  // dX[b, i] = sum_o dZ[b, o] W[o, i], then the layer below's dropout, activation L1 and activation:
  // one invocation per row b
  if (l > 0u) {
    let lb = l - 1u;
    let below = d.layers[lb];
    let kind = layer_act(lb);
    for (var row = t; row < d.RPW * B; row += WG) {
      let j = row / B;
      let b = row % B;
      let r = g * d.RPW + j;
      if (r >= d.R) { continue; }
      let base = slot_base(j);
      let zb = base + dz + b * O;
      let wb = r * d.P + L.dims.z;
      let q = fused_q(r, lb);
      let l1 = hyper_f(r, H_L1_ACT);
      let hb = base + below.act.z + b * I;
      for (var i = 0u; i < I; i++) {
        var acc = 0.0;
        for (var o = 0u; o < O; o++) { acc += mld(zb + o) * state[wb + o * I + i]; }
        let h = mld(hb + i);
        if (q > 0.0) { acc *= dropout_mask(hyper_u(r, H_DROP_KIND), q, hyper_u(r, H_DROP_SEED), hyper_u(r, H_STEP) + s, lb, i, I, b); }
        if (l1 != 0.0) { acc += l1 * sign(h) / f32(B); }
        // every f' is a function of h alone here (relu, leaky relu, elu: z > 0 exactly when h > 0)
        mst(base + below.grad.y + b * I + i, acc * act_df(kind, h, h));
      }
    }
  }
  sync();
}
