// newton_schulz5: O = NS5(U) for one matrix U[rows, cols] (row-major in, row-major out), the
// Newton-Schulz of lib/newton_schulz.wgsl that the update kernels run on Muon's hidden weight
// matrices, here alone for the parity suite (workers/gpu/parity/cases/newtonSchulz.ts).
// reference: src/engine/optimizers/muon.ts newtonSchulz5

struct Dims { rows: u32, cols: u32, pad0: u32, pad1: u32 }
@group(0) @binding(0) var<uniform> d: Dims;
@group(0) @binding(1) var<storage, read> u: array<f32>;
@group(0) @binding(2) var<storage, read_write> ns: array<f32>;   // one region (plan.ts nsRegion)
@group(0) @binding(3) var<storage, read_write> o: array<f32>;

const WG: u32 = 64u;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) t: u32) {
  let len = d.rows * d.cols;
  for (var i = t; i < len; i += WG) { ns[NS_RED + ns_index(d.rows, d.cols, i)] = u[i]; }
  newton_schulz5(0u, d.rows, d.cols, t);
  for (var i = t; i < len; i += WG) { o[i] = ns[NS_RED + ns_index(d.rows, d.cols, i)]; }
}
