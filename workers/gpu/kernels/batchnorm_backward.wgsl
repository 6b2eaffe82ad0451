// batchnorm_backward: per feature o of run r (one invocation per (r, o)), with xhat = (z - mean) invStd:
//   dBeta = sum_n dU,   dGamma = sum_n dU xhat
//   dZ = gamma invStd / B * (B dU - dBeta - xhat dGamma)
//   dU, dZ: [R, B, O] regions of dacts     z, mean, invStd: regions of acts     gamma: [R, O] in theta
//   dGamma, dBeta: written into the grad section of state
// reference: src/engine/batchnorm.ts batchNormBackward()

struct Dims {
  B: u32, O: u32, P: u32, gammaOff: u32,       // gamma at state[r*P + gammaOff]
  gGammaOff: u32, gBetaOff: u32, zOff: u32, statsOff: u32,   // dGamma, dBeta at state[r*P + g*Off]
  aRun: u32, duOff: u32, dzOff: u32, dRun: u32,
}
@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read_write> state: array<f32>;
@group(0) @binding(2) var<storage, read> acts: array<f32>;
@group(0) @binding(3) var<storage, read_write> dacts: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let o = gid.x;
  let r = gid.z;
  if (o >= d.O) { return; }
  let a = r * d.aRun;
  let g = r * d.dRun;
  let mean = acts[a + d.statsOff + o];
  let invStd = acts[a + d.statsOff + 2u * d.O + o];
  var sdy = 0.0;
  var sdyx = 0.0;
  for (var k = 0u; k < d.B; k++) {
    let e = k * d.O + o;
    let dy = dacts[g + d.duOff + e];
    sdy += dy;
    sdyx += dy * ((acts[a + d.zOff + e] - mean) * invStd);
  }
  state[r * d.P + d.gBetaOff + o] = sdy;
  state[r * d.P + d.gGammaOff + o] = sdyx;
  let c = state[r * d.P + d.gammaOff + o] * invStd / f32(d.B);
  for (var k = 0u; k < d.B; k++) {
    let e = k * d.O + o;
    let xhat = (acts[a + d.zOff + e] - mean) * invStd;
    dacts[g + d.dzOff + e] = c * (f32(d.B) * dacts[g + d.duOff + e] - sdy - xhat * sdyx);
  }
}
