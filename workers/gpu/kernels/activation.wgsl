// activation: elementwise forward and backward of one activation (kind = override ACT).
//   y[i] = f(z[i]);   dZ[i] = dY[i] * f'(z[i], y[i])        z, dY, y, dZ: [n]
// reference: src/engine/activations.ts activationForward(), activationBackward()
// (the training kernels fuse these into matmul / batch-norm epilogues; this kernel lets the
// parity suite sweep every activation over extreme inputs on its own)

override ACT: u32 = 0u;

struct Params { n: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read> dY: array<f32>;
// out[0..n) = y, out[n..2n) = dZ
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= p.n) { return; }
  let y = act_f(ACT, z[i]);
  out[i] = y;
  out[p.n + i] = dY[i] * act_df(ACT, z[i], y);
}
