// Optimizers: the state every rule keeps and the one entry that steps any registered rule.
// The rules themselves live one per file under optimizers/ (their step, typeset rule, help,
// hyperparameters, L1 prox scale and arena terms side by side); optimizers/registry.ts lists them.
// The WGSL kernels (workers/gpu/kernels/lib/optimizers.wgsl) are checked against these steps.
//
// Shapes: theta[P], grad[P], state buffers m[P] and v[P] (plus any extra buffers a rule declares).
// Nothing is allocated per step. The L2 penalty gradient is already in `grad` (coupled, the
// lecture's eq. 1); only AdamW adds its own decoupled decay. After the step the caller takes the
// L1 penalty's proximal step (l1Prox.ts) at the scale this step applied.
// Arithmetic is done in float64 and stored in the arrays' precision (float32 in training),
// exactly what the WGSL kernels do modulo f32 rounding of intermediates.
import { allocLike, type FloatArray } from './floatArray';
import { type OptimizerConfig, optimizerSpec } from './optimizers/registry';
import type { OptimizerState, ParamSegment, UpdateKernels } from './optimizers/spec';

export type { OptimizerState, ParamSegment } from './optimizers/spec';

/** Fresh float32 state for P parameters: t = 0, zero buffers; `initOptimizerState` sets a rule's start. */
export function createOptimizerState(P: number): OptimizerState<Float32Array> {
  if (!Number.isInteger(P) || P < 0)
    throw new Error(`createOptimizerState: P must be a non-negative integer, got ${P}`);
  return { t: 0, m: new Float32Array(P), v: new Float32Array(P) };
}

/**
 * Back to t = 0 with zero buffers, then the rule's own start (Adagrad's c0, a rule's extra buffers,
 * allocated here once in theta's precision): at creation, Run.reset and on switching optimizer.
 */
export function initOptimizerState(state: OptimizerState, cfg: OptimizerConfig, theta: FloatArray): void {
  const spec = optimizerSpec(cfg.name);
  state.t = 0;
  state.m.fill(0);
  state.v.fill(0);
  for (const name of spec.extraBuffers ?? []) {
    state.extra ??= {};
    const b = state.extra[name];
    if (b && b.length === theta.length) b.fill(0);
    else state.extra[name] = allocLike(theta, theta.length);
  }
  spec.init?.(state, theta, cfg);
}

/**
 * One step of the configured optimizer at learning rate `lr` (already scheduled).
 * Increments state.t first, so Adam sees t = 1 on the first call.
 * decayMask[P]: 1 where AdamW's decoupled decay applies (weights), 0 elsewhere; null = everywhere.
 * segments: theta's blocks for per-layer rules (default: one vector of all P entries).
 * kernels: faster element-wise loops where the rule has one (the CPU worker's WebAssembly; bit-identical).
 */
export function optimizerStep(
  cfg: OptimizerConfig,
  theta: FloatArray,
  grad: FloatArray,
  state: OptimizerState,
  lr: number,
  decayMask: ArrayLike<number> | null = null,
  segments: readonly ParamSegment[] = [{ offset: 0, rows: 1, cols: theta.length, role: 'vector' }],
  kernels?: UpdateKernels,
): void {
  if (grad.length !== theta.length)
    throw new Error(`optimizerStep: grad has ${grad.length} entries, theta ${theta.length}`);
  if (state.m.length !== theta.length || state.v.length !== theta.length)
    throw new Error(
      `optimizerStep: state buffers have ${state.m.length}/${state.v.length} entries, theta ${theta.length}`,
    );
  const spec = optimizerSpec(cfg.name);
  state.t += 1;
  spec.step({ theta, grad, state, lr, hp: cfg, mask: decayMask, segments, kernels });
}
