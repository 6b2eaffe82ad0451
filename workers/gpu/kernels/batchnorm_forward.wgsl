// batchnorm_forward: per feature o of run r over the batch (one invocation per (r, o)):
//   train: mean = (1/B) sum_n z,  var = (1/B) sum_n (z - mean)^2,  invStd = 1/sqrt(var + eps)
//          u = gamma (z - mean) invStd + beta                       (stats region: mean, var, invStd)
//   eval:  u = gamma (z - runMean) / sqrt(runVar + eps) + beta       (EVAL)
// then the fused epilogue: h = f(u) (EPI >= 1), o = h * dropout mask (EPI = 2, training only).
//   z, u, h, o: [R, B, O] regions of acts     gamma, beta: [R, O] in theta; runMean, runVar: [R, O] in state
// reference: src/engine/batchnorm.ts batchNormForward(), batchNormEval(); activations.ts; dropout.ts
// The running statistics are folded in by the update kernel, after the step's divergence check.

override ACT: u32 = 5u;
override EPI: u32 = 1u;
override EVAL: bool = false;

struct Dims {
  B: u32, O: u32, layer: u32, P: u32,          // P: run stride of theta
  zOff: u32, uOff: u32, hOff: u32, oOff: u32,  // regions in acts
  statsOff: u32, aRun: u32, gammaOff: u32, betaOff: u32,
  rsOff: u32, rsRun: u32, pad0: u32, pad1: u32,  // running stats at state[rsOff + r*rsRun]: mean[O], var[O]
}
@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> state: array<f32>;
@group(0) @binding(2) var<storage, read_write> acts: array<f32>;
@group(0) @binding(3) var<storage, read> hyper: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let o = gid.x;
  let r = gid.z;
  if (o >= d.O) { return; }
  let a = r * d.aRun;
  let gamma = state[r * d.P + d.gammaOff + o];
  let beta = state[r * d.P + d.betaOff + o];
  let n = min(st.valid, d.B);
  let eps = hyper_f(r, H_BN_EPS);
  var mean: f32;
  var invStd: f32;
  if (EVAL) {
    mean = state[d.rsOff + r * d.rsRun + o];
    invStd = 1.0 / sqrt(state[d.rsOff + r * d.rsRun + d.O + o] + eps);
  } else {
    var s = 0.0;
    for (var k = 0u; k < n; k++) { s += acts[a + d.zOff + k * d.O + o]; }
    mean = s / f32(n);
    var v = 0.0;
    for (var k = 0u; k < n; k++) {
      let c = acts[a + d.zOff + k * d.O + o] - mean;
      v += c * c;
    }
    v /= f32(n);
    invStd = 1.0 / sqrt(v + eps);
    acts[a + d.statsOff + o] = mean;
    acts[a + d.statsOff + d.O + o] = v;
    acts[a + d.statsOff + 2u * d.O + o] = invStd;
  }
  for (var k = 0u; k < d.B; k++) {
    let e = k * d.O + o;
    let u = gamma * ((acts[a + d.zOff + e] - mean) * invStd) + beta;
    acts[a + d.uOff + e] = u;
    if (EPI >= 1u) {
      let h = act_f(ACT, u);
      acts[a + d.hOff + e] = h;
      if (EPI == 2u) {
        let mask = dropout_mask(hyper_u(r, H_DROP_KIND), drop_q(r, d.layer), hyper_u(r, H_DROP_SEED), run_step(r), d.layer, o, d.O, k);
        acts[a + d.oOff + e] = h * mask;
      }
    }
  }
}
