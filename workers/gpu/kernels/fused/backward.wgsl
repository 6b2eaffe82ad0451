// fused_mlp, part 3: backward pass of training step s for the RPW runs of this workgroup.
// Gradients of W and b go to the grad section of state; dX of the layer below, through its dropout
// mask, the activation-L1 term and its activation, goes to its dA in mem.
// Both products are register-blocked in blocks of 4 x 4 entries (see forward.wgsl): each dZ, X and
// W value loaded serves 4 products; db rides along in the dW blocks of column 0. Every entry keeps
// the engine's order of summation.
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
  // dW[o, i] = sum_b dZ[b, o] X[b, i]  and  db[o] = sum_b dZ[b, o] (0 with BN): one invocation per
  // block of 4 x 4 entries (o0 .. o0+3, i0 .. i0+3; indices past O or I repeat the last, not stored)
  let nI4 = (I + 3u) / 4u;
  let nBlk = ((O + 3u) / 4u) * nI4;
  for (var idx = t; idx < d.RPW * nBlk; idx += WG) {
    let j = idx / nBlk;
    let k = idx % nBlk;
    let r = g * d.RPW + j;
    if (r >= d.R) { continue; }
    let o0 = (k / nI4) * 4u;
    let i0 = (k % nI4) * 4u;
    let oc = block4(o0, O);
    let ic = block4(i0, I);
    let zb = slot_base(j) + dz;
    let x = slot_base(j) + layer_input_off(r, l, true);
    // a_m[n] = dW[o0 + m, i0 + n]
    var a0 = vec4<f32>(0.0);
    var a1 = vec4<f32>(0.0);
    var a2 = vec4<f32>(0.0);
    var a3 = vec4<f32>(0.0);
    var db = vec4<f32>(0.0);
    for (var b = 0u; b < B; b++) {
      let zr = zb + b * O;
      let xr = x + b * I;
      let zv = vec4<f32>(mld(zr + oc.x), mld(zr + oc.y), mld(zr + oc.z), mld(zr + oc.w));
      let xv = vec4<f32>(mld(xr + ic.x), mld(xr + ic.y), mld(xr + ic.z), mld(xr + ic.w));
      a0 += zv.x * xv;
      a1 += zv.y * xv;
      a2 += zv.z * xv;
      a3 += zv.w * xv;
      db += zv;
    }
    // rows oc, columns ic of dW, all stored without a branch: a row or column past the end is
    // clamped (block4) to the last one, whose sum it repeats exactly (same products, same order)
    let gw = d.gradOff + r * d.P + L.dims.z;
    dw_out4(gw + oc.x * I, ic, a0);
    dw_out4(gw + oc.y * I, ic, a1);
    dw_out4(gw + oc.z * I, ic, a2);
    dw_out4(gw + oc.w * I, ic, a3);
    if (i0 == 0u) {
      // with batch norm db = 0 exactly (the mean subtraction cancels b; src/engine/network.ts)
      dw_out4(d.gradOff + r * d.P + L.dims.w, oc, select(db, vec4<f32>(0.0), has_bn(l)));
    }
  }
  // dX[b, i] = sum_o dZ[b, o] W[o, i], then the layer below's dropout, activation L1 and activation:
  // one invocation per block of 4 rows x 4 inputs
  if (l > 0u) {
    let lb = l - 1u;
    let below = d.layers[lb];
    let kind = layer_act(lb);
    let nblk = ((B + 3u) / 4u) * nI4;
    for (var blk = t; blk < d.RPW * nblk; blk += WG) {
      let j = blk / nblk;
      let k = blk % nblk;
      let b0 = (k / nI4) * 4u;
      let i0 = (k % nI4) * 4u;
      let r = g * d.RPW + j;
      if (r >= d.R) { continue; }
      let base = slot_base(j);
      let zr = block4(b0, B) * O + base + dz;  // the 4 rows' dZ
      let wc = block4(i0, I) + r * d.P + L.dims.z;  // the 4 inputs' column in W
      // a_m: input i0 + m of the 4 rows
      var a0 = vec4<f32>(0.0);
      var a1 = vec4<f32>(0.0);
      var a2 = vec4<f32>(0.0);
      var a3 = vec4<f32>(0.0);
      for (var o = 0u; o < O; o++) {
        let zv = vec4<f32>(mld(zr.x + o), mld(zr.y + o), mld(zr.z + o), mld(zr.w + o));
        let w = o * I;
        a0 += zv * state[wc.x + w];
        a1 += zv * state[wc.y + w];
        a2 += zv * state[wc.z + w];
        a3 += zv * state[wc.w + w];
      }
      let q = fused_q(r, lb);
      let l1 = hyper_f(r, H_L1_ACT);
      // the block transposed: column kk holds inputs i0 .. i0+3 of row b0 + kk (constant indices);
      // all 16 stored without a branch, past the end clamped as in the dW blocks
      let at = transpose(mat4x4<f32>(a0, a1, a2, a3));
      let rows = block4(b0, B);
      let ic = block4(i0, I);
      dx_out4(r, base, below, lb, kind, rows.x, ic, at[0], q, l1, s);
      dx_out4(r, base, below, lb, kind, rows.y, ic, at[1], q, l1, s);
      dx_out4(r, base, below, lb, kind, rows.z, ic, at[2], q, l1, s);
      dx_out4(r, base, below, lb, kind, rows.w, ic, at[3], q, l1, s);
    }
  }
  sync();
}

// v to state[k + c.x], ... state[k + c.w]
fn dw_out4(k: u32, c: vec4<u32>, v: vec4<f32>) {
  state[k + c.x] = v.x;
  state[k + c.y] = v.y;
  state[k + c.z] = v.z;
  state[k + c.w] = v.w;
}

// dA of inputs ic of row b of layer lb (the layer below, entry `below`)
fn dx_out4(r: u32, base: u32, below: Layer, lb: u32, kind: u32, b: u32, ic: vec4<u32>, a: vec4<f32>, q: f32, l1: f32, s: u32) {
  dx_out(r, base, below, lb, kind, b, ic.x, a.x, q, l1, s);
  dx_out(r, base, below, lb, kind, b, ic.y, a.y, q, l1, s);
  dx_out(r, base, below, lb, kind, b, ic.z, a.z, q, l1, s);
  dx_out(r, base, below, lb, kind, b, ic.w, a.w, q, l1, s);
}

// dA[b, i] of the layer below from dX[b, i] = a: its dropout mask, the activation-L1 term, f'
fn dx_out(r: u32, base: u32, below: Layer, lb: u32, kind: u32, b: u32, i: u32, dx: f32, q: f32, l1: f32, s: u32) {
  let I = below.dims.y;
  var a = dx;
  let h = mld(base + below.act.z + b * I + i);
  if (q > 0.0) { a *= dropout_mask(hyper_u(r, H_DROP_KIND), q, hyper_u(r, H_DROP_SEED), hyper_u(r, H_STEP) + s, lb, i, I, b); }
  a = select(a, a + l1 * sign(h) / f32(d.B), l1 != 0.0);  // a select: no branch (see forward_out)
  // every f' is a function of h alone here (relu, leaky relu, elu: z > 0 exactly when h > 0)
  mst(base + below.grad.y + b * I + i, a * act_df(kind, h, h));
}
