// matmul_dx: dX[r, m, n] = sum_k dZ[r, m, k] W[r, k, n]   (dL/dX = dY W, every run r at once)
// then, for EPI = 1, the fused backward of the layer below (its output X = dropout(f(a))):
//   dH = dX * mask + l1Act sign(h) / M       (through dropout, plus the activation-L1 gradient)
//   dA = dH * f'(a, h)                        (through the activation; a = z, or u after batch norm)
//   dZ: [R, M, K] in dacts    W: [R, K, N] in theta (run stride P)    a, h: [R, M, N] in acts
//   out (dX or dA): [R, M, N] in dacts
// M = batch, K = this layer's outputs O, N = its inputs I.
// reference: src/engine/dense.ts matmulBackwardX(); epilogue dropout.ts dropoutBackward(),
//   regularizers.ts activationL1PenaltyGrad(), activations.ts activationBackward()

override ACT: u32 = 5u;     // activation of the layer below
override EPI: u32 = 0u;     // 0: write dX   1: write dA of the layer below
override DROP: bool = false;
override L1ACT: bool = false;

struct Dims {
  M: u32, N: u32, K: u32, layer: u32,          // layer: the hidden layer below (dropout hash, q)
  dzOff: u32, dRun: u32, outOff: u32, P: u32,  // dZ and out in dacts (run stride dRun); theta run stride P
  wOff: u32, aOff: u32, hOff: u32, aRun: u32,  // W in theta; a, h in acts (run stride aRun)
}
@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> state: array<f32>;
@group(0) @binding(2) var<storage, read> acts: array<f32>;
@group(0) @binding(3) var<storage, read_write> dacts: array<f32>;
@group(0) @binding(4) var<storage, read> hyper: array<u32>;

const BM: u32 = 32u;
const BN: u32 = 32u;
const BK: u32 = 16u;
var<workgroup> As: array<vec4<f32>, BK * BM / 4u>;  // dZ tile [BK][BM/4]
var<workgroup> Bs: array<vec4<f32>, BK * BN / 4u>;  // W tile  [BK][BN/4]

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) t: u32) {
  let r = wg.z;
  let m0 = wg.y * BM;
  let n0 = wg.x * BN;
  let dzBase = r * d.dRun + d.dzOff;
  let wBase = r * d.P + d.wOff;
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < d.K; k0 += BK) {
    for (var j = 0u; j < BK * BM / 64u; j++) {
      let idx = t + 64u * j;
      // dZ[m, k]: k contiguous, so k varies fastest
      let kk = idx % BK;
      let mm = idx / BK;
      var a = 0.0;
      if (m0 + mm < d.M && k0 + kk < d.K) { a = dacts[dzBase + (m0 + mm) * d.K + k0 + kk]; }
      As[kk * (BM / 4u) + mm / 4u][mm % 4u] = a;
      // W[k, n]: n contiguous, so n varies fastest
      let nn = idx % BN;
      let kb = idx / BN;
      var w = 0.0;
      if (n0 + nn < d.N && k0 + kb < d.K) { w = state[wBase + (k0 + kb) * d.N + n0 + nn]; }
      Bs[kb * (BN / 4u) + nn / 4u][nn % 4u] = w;
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
  for (var i = 0u; i < 4u; i++) {
    let m = m0 + lid.y * 4u + i;
    if (m >= d.M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let n = n0 + lid.x * 4u + j;
      if (n >= d.N) { continue; }
      let e = m * d.N + n;
      var g = acc[i][j];
      if (EPI == 1u) {
        let h = acts[r * d.aRun + d.hOff + e];
        if (DROP) {
          g *= dropout_mask(hyper_u(r, H_DROP_KIND), drop_q(r, d.layer), hyper_u(r, H_DROP_SEED), run_step(r), d.layer, n, d.N, m);
        }
        if (L1ACT) { g += hyper_f(r, H_L1_ACT) * sign(h) / f32(d.M); }
        g *= act_df(ACT, acts[r * d.aRun + d.aOff + e], h);
      }
      dacts[r * d.dRun + d.outOff + e] = g;
    }
  }
}
