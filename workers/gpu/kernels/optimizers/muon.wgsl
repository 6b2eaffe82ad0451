// Muon (optim.ts muonStep): its hidden-layer rule orthogonalises the momentum of each whole weight
// matrix by Newton-Schulz, matrix products this element-wise rule cannot do, so the WebGPU backend
// refuses Muon runs (workers/gpu/optimizers.ts initialState, from the spec's gpuUnsupported) and they
// train on the CPU engine. What is here is Muon's rule for every other parameter (output layer,
// biases, batch norm): AdamW with the same lr.
fn muon_step(w0: f32, g: f32, m0: f32, v0: f32, a: OptArgs) -> Moved {
  return adamw_step(w0, g, m0, v0, a);
}
