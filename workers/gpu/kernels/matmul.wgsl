// matmul: Z[r, m, n] = sum_k X[r, m, k] W[r, n, k] + b[r, n]   (Y = X W^T + b, every run r at once)
// then the fused epilogue: H = f(Z) (EPI >= 1), O = H * dropout mask (EPI = 2).
//   X: [R|1, M, K]: a region of acts (XSRC 0), data rows gathered through rows[r, rowBase + m] (XSRC 1),
//      or data rows rowBase + m (XSRC 2: evaluation chunks, pre-augmented batches)
//   W: [R, N, K] and b: [R, N] in theta (state, run stride P)      Z, H, O: [R, M, N] regions of acts
// M = batch, K = input features I, N = output features O.
// reference: src/engine/dense.ts matmul(); epilogue activations.ts ACTIVATIONS[act].f, dropout.ts dropoutMask()
//
// Register blocking: a 32x32 output tile per 8x8 workgroup, 4x4 outputs per invocation, K in
// steps of 16 through workgroup memory (the tile shapes are compile-time constants).

override ACT: u32 = 5u;      // activation index (lib/activation.wgsl)
override EPI: u32 = 0u;      // 0: Z only   1: Z and H   2: Z, H and O
override XSRC: u32 = 0u;

struct Dims {
  M: u32, N: u32, K: u32, layer: u32,   // layer: hidden-layer index for the dropout hash
  xOff: u32, wOff: u32, bOff: u32, P: u32,  // X in acts (XSRC 0) at xOff; W, b in theta (run stride P)
  zOff: u32, hOff: u32, oOff: u32, aRun: u32, // regions in acts; run stride aRun
  dataRun: u32, hasBias: u32, rowsRun: u32, pad: u32, // run strides of data (0 = runs share it) and rows
}
@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> data: array<f32>;
@group(0) @binding(2) var<storage, read> rows: array<u32>;
@group(0) @binding(3) var<storage, read> state: array<f32>;
@group(0) @binding(4) var<storage, read_write> acts: array<f32>;
@group(0) @binding(5) var<storage, read> hyper: array<u32>;

const BM: u32 = 32u;
const BN: u32 = 32u;
const BK: u32 = 16u;
var<workgroup> As: array<vec4<f32>, BK * BM / 4u>;  // [BK][BM/4]: 4 consecutive rows per vec4
var<workgroup> Bs: array<vec4<f32>, BK * BN / 4u>;  // [BK][BN/4]

fn load_x(r: u32, m: u32, k: u32) -> f32 {
  if (m >= st.valid || k >= d.K) { return 0.0; }
  if (XSRC == 1u) { return data[r * d.dataRun + rows[r * d.rowsRun + st.rowBase + m] * d.K + k]; }
  if (XSRC == 2u) { return data[r * d.dataRun + (st.rowBase + m) * d.K + k]; }
  return acts[r * d.aRun + d.xOff + m * d.K + k];
}

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) t: u32) {
  let r = wg.z;
  let m0 = wg.y * BM;
  let n0 = wg.x * BN;
  let wBase = r * d.P + d.wOff;
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < d.K; k0 += BK) {
    // 512 elements per tile, 8 per invocation; k varies fastest so neighbours read neighbours
    for (var j = 0u; j < BK * BM / 64u; j++) {
      let idx = t + 64u * j;
      let kk = idx % BK;
      let mm = idx / BK;
      As[kk * (BM / 4u) + mm / 4u][mm % 4u] = load_x(r, m0 + mm, k0 + kk);
      let n = n0 + mm;
      let k = k0 + kk;
      var w = 0.0;
      if (n < d.N && k < d.K) { w = state[wBase + n * d.K + k]; }
      Bs[kk * (BN / 4u) + mm / 4u][mm % 4u] = w;
    }
    workgroupBarrier();
    for (var k = 0u; k < BK; k++) {
      let a = As[k * (BM / 4u) + lid.y];
      let b = Bs[k * (BN / 4u) + lid.x];
      acc[0] += a.x * b;
      acc[1] += a.y * b;
      acc[2] += a.z * b;
      acc[3] += a.w * b;
    }
    workgroupBarrier();
  }
  let aBase = r * d.aRun;
  for (var i = 0u; i < 4u; i++) {
    let m = m0 + lid.y * 4u + i;
    if (m >= d.M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let n = n0 + lid.x * 4u + j;
      if (n >= d.N) { continue; }
      var z = acc[i][j];
      if (d.hasBias != 0u) { z += state[r * d.P + d.bOff + n]; }
      let e = m * d.N + n;
      acts[aBase + d.zOff + e] = z;
      if (EPI >= 1u) {
        let h = act_f(ACT, z);
        acts[aBase + d.hOff + e] = h;
        if (EPI == 2u) {
          let mask = dropout_mask(hyper_u(r, H_DROP_KIND), drop_q(r, d.layer), hyper_u(r, H_DROP_SEED), run_step(r), d.layer, n, d.N, m);
          acts[aBase + d.oOff + e] = h * mask;
        }
      }
    }
  }
}
