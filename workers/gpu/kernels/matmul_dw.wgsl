// matmul_dw: dW[r, m, n] = sum_k dZ[r, k, m] X[r, k, n],  db[r, m] = sum_k dZ[r, k, m]
// (dL/dW = dY^T X and dL/db = column sums of dY; every run r at once; the loss already has 1/B)
//   dZ: [R, K, M] in dacts    X: [R|1, K, N]: a region of acts (XSRC 0), data rows gathered through
//      rows[r, rowBase + k] (XSRC 1), or data rows rowBase + k (XSRC 2: pre-augmented batches)
//   dW: [R, M, N] and db: [R, M] written into the grad section of state (run stride P)
// M = this layer's outputs O, N = its inputs I, K = batch.
// reference: src/engine/dense.ts matmulBackwardW()

override XSRC: u32 = 0u;
// DB 0: write db = 0 (a batch-norm layer: dL/db = 0 exactly, the mean subtraction cancels b; the
// column sum would be float32 rounding noise that adaptive optimizers rescale; src/engine/network.ts)
override DB: u32 = 1u;

struct Dims {
  M: u32, N: u32, K: u32, P: u32,                // P: run stride of the grad section
  dzOff: u32, dRun: u32, xOff: u32, aRun: u32,   // dZ in dacts; X in acts (XSRC 0)
  gOff: u32, dbOff: u32, dataRun: u32, rowsRun: u32, // dW at state[gOff + r*P], db at state[dbOff + r*P]
}
@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> data: array<f32>;
@group(0) @binding(2) var<storage, read> rows: array<u32>;
@group(0) @binding(3) var<storage, read> acts: array<f32>;
@group(0) @binding(4) var<storage, read> dacts: array<f32>;
@group(0) @binding(5) var<storage, read_write> state: array<f32>;

const BM: u32 = 32u;
const BN: u32 = 32u;
const BK: u32 = 16u;
var<workgroup> As: array<vec4<f32>, BK * BM / 4u>;  // dZ^T tile [BK][BM/4]
var<workgroup> Bs: array<vec4<f32>, BK * BN / 4u>;  // X tile    [BK][BN/4]

fn load_x(r: u32, k: u32, n: u32) -> f32 {
  if (k >= d.K || k >= st.valid || n >= d.N) { return 0.0; }
  if (XSRC == 1u) { return data[r * d.dataRun + rows[r * d.rowsRun + st.rowBase + k] * d.N + n]; }
  if (XSRC == 2u) { return data[r * d.dataRun + (st.rowBase + k) * d.N + n]; }
  return acts[r * d.aRun + d.xOff + k * d.N + n];
}

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) t: u32) {
  let r = wg.z;
  let m0 = wg.y * BM;
  let n0 = wg.x * BN;
  let dzBase = r * d.dRun + d.dzOff;
  var acc: array<vec4<f32>, 4>;
  var bsum = vec4<f32>(0.0);   // db for this invocation's 4 rows (used by the n-block 0 column only)
  for (var k0 = 0u; k0 < d.K; k0 += BK) {
    for (var j = 0u; j < BK * BM / 64u; j++) {
      let idx = t + 64u * j;
      // both operands are contiguous along the output dimension (m for dZ^T, n for X)
      let mm = idx % BM;
      let kk = idx / BM;
      var a = 0.0;
      if (m0 + mm < d.M && k0 + kk < d.K) { a = dacts[dzBase + (k0 + kk) * d.M + m0 + mm]; }
      As[kk * (BM / 4u) + mm / 4u][mm % 4u] = a;
      Bs[kk * (BN / 4u) + mm / 4u][mm % 4u] = load_x(r, k0 + kk, n0 + mm);
    }
    workgroupBarrier();
    for (var k = 0u; k < BK; k++) {
      let a = As[k * (BM / 4u) + lid.y];
      let b = Bs[k * (BN / 4u) + lid.x];
      acc[0] += a.x * b;
      acc[1] += a.y * b;
      acc[2] += a.z * b;
      acc[3] += a.w * b;
      bsum += a;
    }
    workgroupBarrier();
  }
  let gBase = r * d.P + d.gOff;
  for (var i = 0u; i < 4u; i++) {
    let m = m0 + lid.y * 4u + i;
    if (m >= d.M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let n = n0 + lid.x * 4u + j;
      if (n < d.N) { state[gBase + m * d.N + n] = acc[i][j]; }
    }
    if (wg.x == 0u && lid.x == 0u) { state[r * d.P + d.dbOff + m] = select(0.0, bsum[i], DB == 1u); }
  }
}
