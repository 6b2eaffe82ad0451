// hash: bit-exact port of src/engine/hash.ts (lowbias32, hashU32, hashUniform).
// u32 arithmetic in WGSL wraps like Math.imul(...) >>> 0 does in JS, so the bits are identical.

fn lowbias32(x0: u32) -> u32 {
  var x = x0;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  x = x ^ (x >> 16u);
  return x;
}

// reference: src/engine/hash.ts hashU32()
fn hash_u32(seed: u32, step: u32, layer: u32, unit: u32, sample: u32) -> u32 {
  var h = lowbias32(seed);
  h = lowbias32(h ^ step);
  h = lowbias32(h ^ layer);
  h = lowbias32(h ^ unit);
  h = lowbias32(h ^ sample);
  return h;
}

// reference: src/engine/hash.ts hashUniform(): 24 bits, exact in f32, in [0, 1).
fn hash_uniform(seed: u32, step: u32, layer: u32, unit: u32, sample: u32) -> f32 {
  return f32(hash_u32(seed, step, layer, unit, sample) >> 8u) * 5.9604644775390625e-8;
}
