// Dropout mask of one unit; reference: src/engine/dropout.ts dropoutMask().
//   Bernoulli: m = [u >= q] / p,  u = hashUniform(seed, step, layer, unit, sample)
//   Gaussian:  m = 1 + sqrt(q/p) g,  g = sqrt(-2 ln(1 - u1)) cos(2 pi u2),
//              u1 at (unit, sample), u2 at (unit + units, sample)
// Needs lib/hash.wgsl.
//
// The built-in log and cos may be approximations (Vulkan allows 2^-11 absolute error for cos;
// SwiftShader's is about that), which put Gaussian masks 1e-4 away from the engine's. The two
// below are accurate to a few f32 ulps, so CPU and GPU runs draw the same noise.

// ln x for x in (0, 1]: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s), s = (m-1)/(m+1).
fn precise_log(x: f32) -> f32 {
  var fe = frexp(x);          // x = fract * 2^exp, fract in [0.5, 1)
  var m = fe.fract;
  var e = f32(fe.exp);
  if (m < 0.70710678) { m = m * 2.0; e = e - 1.0; }
  let s = (m - 1.0) / (m + 1.0);   // |s| <= 0.1716
  let s2 = s * s;
  // 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...): terms beyond s^11 are below 1e-9
  let series = 1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0)))));
  return e * 0.6931471805599453 + 2.0 * s * series;
}

// cos(2 pi u) for u in [0, 1): reduce in quarter turns (exact in f32), then a short Taylor series on [-pi/4, pi/4].
fn precise_cos_turns(u: f32) -> f32 {
  let t = u * 4.0;
  let q = round(t);
  let a = (t - q) * 1.5707963267948966;
  let a2 = a * a;
  let c = 1.0 - a2 * (0.5 - a2 * (1.0 / 24.0 - a2 * (1.0 / 720.0 - a2 * (1.0 / 40320.0))));
  let s = a * (1.0 - a2 * (1.0 / 6.0 - a2 * (1.0 / 120.0 - a2 * (1.0 / 5040.0 - a2 * (1.0 / 362880.0)))));
  switch (u32(q) & 3u) {
    case 0u: { return c; }
    case 1u: { return -s; }
    case 2u: { return -c; }
    default: { return s; }
  }
}

fn dropout_mask(kind: u32, q: f32, seed: u32, step: u32, layer: u32, unit: u32, units: u32, sample: u32) -> f32 {
  if (q <= 0.0) { return 1.0; }
  let p = 1.0 - q;
  let u1 = hash_uniform(seed, step, layer, unit, sample);
  if (kind == 0u) { return select(0.0, 1.0 / p, u1 >= q); }
  let u2 = hash_uniform(seed, step, layer, unit + units, sample);
  let g = sqrt(-2.0 * precise_log(1.0 - u1)) * precise_cos_turns(u2);
  return 1.0 + sqrt(q / p) * g;
}
