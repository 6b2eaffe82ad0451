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
import { defaultHypers } from './optimizers/hypers';
import { type OptimizerConfig, optimizerSpec } from './optimizers/registry';
import type { OptimizerState, ParamSegment, StepContext, UpdateKernels } from './optimizers/spec';

export type { OptimizerState, ParamSegment } from './optimizers/spec';

/**
 * Fresh float32 state for P parameters: t = 0, zero buffers; `initOptimizerState` sets a rule's start.
 * `alloc` (DenseOps.alloc): where the buffers live when the ops lend them (zero-filled), so that their
 * update kernels read them in place instead of copying them in and out every step.
 */
export function createOptimizerState(
  P: number,
  alloc?: (n: number, state: true) => Float32Array | null,
): OptimizerState<Float32Array> {
  if (!Number.isInteger(P) || P < 0)
    throw new Error(`createOptimizerState: P must be a non-negative integer, got ${P}`);
  return { t: 0, m: alloc?.(P, true) ?? new Float32Array(P), v: alloc?.(P, true) ?? new Float32Array(P) };
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
  const c = CTX;
  c.theta = theta;
  c.grad = grad;
  c.state = state;
  c.lr = lr;
  c.hp = cfg;
  c.mask = decayMask;
  c.segments = segments;
  c.kernels = kernels;
  spec.step(c);
  // nothing of this call kept alive by the shared object
  c.theta = c.grad = NONE;
  c.state = NO_STATE;
  c.kernels = undefined;
}

// optimizerStep's one StepContext, rewritten per call (a rule reads it during its step and keeps
// nothing): a race calls optimizerStep for every run and step, and a fresh object each time was
// ~100 bytes of garbage per run and step for the collector (with the registry's lookup closures,
// a quarter of a race step's allocations).
const NONE = new Float32Array(0);
const NO_STATE: OptimizerState = { t: 0, m: NONE, v: NONE };
const CTX: StepContext = {
  theta: NONE,
  grad: NONE,
  state: NO_STATE,
  lr: 0,
  hp: defaultHypers(),
  mask: null,
  segments: [],
  kernels: undefined,
};
