// hash_fill: out[i] = hashU32(seed, step, layer, unit = i % units, sample = i / units), and
// out[n + i] = bits of hashUniform(...) for the same coordinates. n = units * samples.
// reference: src/engine/hash.ts hashU32(), hashUniform()  (used only by the parity suite:
// the training kernels call hash_u32 / hash_uniform from lib/hash.wgsl)

struct Params { seed: u32, step: u32, layer: u32, units: u32, samples: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let n = p.units * p.samples;
  let i = gid.x;
  if (i >= n) { return; }
  let unit = i % p.units;
  let sample = i / p.units;
  out[i] = hash_u32(p.seed, p.step, p.layer, unit, sample);
  out[n + i] = bitcast<u32>(hash_uniform(p.seed, p.step, p.layer, unit, sample));
}
