// norms: one 64-invocation workgroup per (segment k, run r). A segment is one parameter block of
// theta (a layer's W, b, gamma or beta) or one hidden layer's activations h. For a parameter
// segment it first completes the gradient with the L2 penalty, in place:
//   g += 2 l2 w                     where the parameter is decayed (weights; biases/BN with decayBiases)
// (L1 is not in g: the update kernel applies it as a proximal step after the optimizer's move)
// and reduces  sum g^2  (gradient norms, clipping),  sum w^2 and sum |w| over decayed entries
// (the L2 and L1 loss terms). For an activation segment it reduces sum |h| (activation L1 term).
//   partials: [R, nSeg, 4] = (sum g^2, sum w^2, sum |w|, sum |h|)
// reference: src/engine/regularizers.ts l2Penalty(Grad), l1Penalty, activationL1Penalty();
//            trainer.ts (gradNorm per layer, global norm for clipping)

struct Dims {
  nSeg: u32, P: u32, gradOff: u32, aRun: u32,  // grad section at state[gradOff + r*P]
  pad0: u32, pad1: u32, pad2: u32, pad3: u32,
}
// segment row (8 words): kind (0 W, 1 b, 2 gamma, 3 beta, 4 activations h), offset (theta or acts),
// length, dense layer, running-stats offset (gamma rows), features O (gamma rows; rows O of a hidden W),
// batch-stats offset in acts (gamma rows), hidden W: its Newton-Schulz region in a run's ns (Muon; plan.ts)
@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read_write> state: array<f32>;
@group(0) @binding(2) var<storage, read> acts: array<f32>;
@group(0) @binding(3) var<storage, read> hyper: array<u32>;
@group(0) @binding(4) var<storage, read> segs: array<u32>;
@group(0) @binding(5) var<storage, read_write> partials: array<f32>;

const WG: u32 = 64u;
var<workgroup> red: array<vec4<f32>, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let k = wg.x;
  let r = wg.z;
  let kind = segs[k * 8u];
  let off = segs[k * 8u + 1u];
  let len = segs[k * 8u + 2u];
  var acc = vec4<f32>(0.0);
  if (kind == 4u) {
    let base = r * d.aRun + off;
    for (var i = t; i < len; i += WG) { acc.w += abs(acts[base + i]); }
  } else {
    // decayed: weight matrices always, the rest with reg.decayBiases (hyper word 19)
    let decayed = kind == 0u || hyper_u(r, H_DECAY_BIASES) != 0u;
    let l2 = hyper_f(r, H_L2);
    let wBase = r * d.P + off;
    let gBase = d.gradOff + r * d.P + off;
    for (var i = t; i < len; i += WG) {
      let w = state[wBase + i];
      var g = state[gBase + i];
      if (decayed) {
        g += 2.0 * l2 * w;
        state[gBase + i] = g;
        acc.y += w * w;
        acc.z += abs(w);
      }
      acc.x += g * g;
    }
  }
  red[t] = acc;
  workgroupBarrier();
  // tree reduction over the workgroup
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (t < s) { red[t] += red[t + s]; }
    workgroupBarrier();
  }
  if (t == 0u) {
    let p = (r * d.nSeg + k) * 4u;
    partials[p] = red[0].x;
    partials[p + 1u] = red[0].y;
    partials[p + 2u] = red[0].z;
    partials[p + 3u] = red[0].w;
  }
}
