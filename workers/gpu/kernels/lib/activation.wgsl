// Activations beside their derivatives; reference: src/engine/activations.ts ACTIVATIONS.
// `kind` is the index in ACTIVATION_NAMES: 0 relu, 1 leakyRelu, 2 elu, 3 tanh, 4 sigmoid, 5 linear.
// Kernels pass an override constant, so all but one formula fold away at pipeline creation.

const LEAKY_SLOPE: f32 = 0.01;
const ELU_ALPHA: f32 = 1.0;

// Selects, not a switch: with a constant kind all but one formula fold away; with a runtime kind
// (the fused kernel's layer table) SwiftShader evaluates every case of a switch anyway, and a fused
// block's 16 inlined switches made its compile of the kernel take minutes instead of seconds.

// y = f(z)
fn act_f(kind: u32, z: f32) -> f32 {
  var y = z;  // linear
  y = select(y, max(z, 0.0), kind == 0u);
  y = select(y, select(LEAKY_SLOPE * z, z, z > 0.0), kind == 1u);
  y = select(y, select(ELU_ALPHA * (exp(z) - 1.0), z, z > 0.0), kind == 2u);
  // tanh saturates to +-1 in f32 beyond |z| = 9; the clamp keeps exp(2z) inside tanh finite.
  y = select(y, tanh(clamp(z, -15.0, 15.0)), kind == 3u);
  // sigmoid, never exp of a large positive number: 1 / (1 + e^-z) for z >= 0, e^z / (1 + e^z) below
  let e = exp(-abs(z));
  y = select(y, select(e / (1.0 + e), 1.0 / (1.0 + e), z >= 0.0), kind == 4u);
  return y;
}

// dy/dz given z and y = f(z)
fn act_df(kind: u32, z: f32, y: f32) -> f32 {
  var d = 1.0;  // linear
  d = select(d, select(0.0, 1.0, z > 0.0), kind == 0u);
  d = select(d, select(LEAKY_SLOPE, 1.0, z > 0.0), kind == 1u);
  d = select(d, select(y + ELU_ALPHA, 1.0, z > 0.0), kind == 2u);
  d = select(d, 1.0 - y * y, kind == 3u);
  d = select(d, y * (1.0 - y), kind == 4u);
  return d;
}
