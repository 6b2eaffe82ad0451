// Activations beside their derivatives; reference: src/engine/activations.ts ACTIVATIONS.
// `kind` is the index in ACTIVATION_NAMES: 0 relu, 1 leakyRelu, 2 elu, 3 tanh, 4 sigmoid, 5 linear.
// Kernels pass an override constant, so the switch folds away at pipeline creation.

const LEAKY_SLOPE: f32 = 0.01;
const ELU_ALPHA: f32 = 1.0;

// y = f(z)
fn act_f(kind: u32, z: f32) -> f32 {
  switch kind {
    case 0u: { return max(z, 0.0); }
    case 1u: { return select(LEAKY_SLOPE * z, z, z > 0.0); }
    case 2u: { return select(ELU_ALPHA * (exp(z) - 1.0), z, z > 0.0); }
    // tanh saturates to +-1 in f32 beyond |z| = 9; the clamp keeps exp(2z) inside tanh finite.
    case 3u: { return tanh(clamp(z, -15.0, 15.0)); }
    case 4u: {
      // never exp of a large positive number: e^z / (1 + e^z) for z < 0
      if (z >= 0.0) { return 1.0 / (1.0 + exp(-z)); }
      let e = exp(z);
      return e / (1.0 + e);
    }
    default: { return z; }
  }
}

// dy/dz given z and y = f(z)
fn act_df(kind: u32, z: f32, y: f32) -> f32 {
  switch kind {
    case 0u: { return select(0.0, 1.0, z > 0.0); }
    case 1u: { return select(LEAKY_SLOPE, 1.0, z > 0.0); }
    case 2u: { return select(y + ELU_ALPHA, 1.0, z > 0.0); }
    case 3u: { return 1.0 - y * y; }
    case 4u: { return y * (1.0 - y); }
    default: { return 1.0; }
  }
}
