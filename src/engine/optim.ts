// Optimizers: one pure, in-place step function per update rule, over flat parameter vectors.
// Reference for workers/gpu/kernels/{sgd,momentum,adam,...}.wgsl (cf. llm.c adamw_cpu).
//
// Shapes: theta[P], grad[P], state buffers m[P] and v[P]. Nothing is allocated per step.
// The L2 penalty gradient is already added to `grad` by the caller (coupled regularization, the
// lecture's eq. 1); only AdamW adds its own decoupled decay term here. After the step the caller
// takes the L1 penalty's proximal step (l1Prox.ts) at the scale this step applied.
// Arithmetic is done in float64 and stored in the arrays' precision (float32 in training),
// exactly what the WGSL kernels do modulo f32 rounding of intermediates.
import type { FloatArray } from './floatArray';
import type { OptimizerConfig } from './types';

/** Per-run optimizer memory. Unused buffers stay zero (e.g. `m` for plain SGD). */
export interface OptimizerState {
  /** Number of steps taken so far; Adam's bias correction uses t+1 for the coming step. */
  t: number;
  /** Velocity (momentum, Nesterov) or first moment (Adam): [P]. */
  m: Float32Array;
  /** Squared-gradient cache (Adagrad, RMSprop) or second moment (Adam): [P]. */
  v: Float32Array;
}

/** Fresh state for P parameters: t = 0, zero velocity and caches. */
export function createOptimizerState(P: number): OptimizerState {
  if (!Number.isInteger(P) || P < 0)
    throw new Error(`createOptimizerState: P must be a non-negative integer, got ${P}`);
  return { t: 0, m: new Float32Array(P), v: new Float32Array(P) };
}

/** Back to t = 0 with zero buffers (Run.reset), without reallocating. */
export function resetOptimizerState(state: OptimizerState): void {
  state.t = 0;
  state.m.fill(0);
  state.v.fill(0);
}

// ---------------------------------------------------------------------------------------------
// Step functions. Each modifies theta (and its state buffers) in place.

/** Vanilla SGD: w <- w - lr*g (the lecture's naive update). */
export function sgdStep(theta: FloatArray, grad: FloatArray, lr: number): void {
  for (let i = 0; i < theta.length; i++) theta[i] -= lr * grad[i];
}

/**
 * Momentum exactly as the lecture writes it:
 *   v <- mu*v - lr*g      (velocity: decayed old velocity plus the new downhill push)
 *   w <- w + v            (the ball moves by its velocity)
 */
export function momentumStep(theta: FloatArray, grad: FloatArray, vel: FloatArray, lr: number, mu: number): void {
  for (let i = 0; i < theta.length; i++) {
    const v = mu * vel[i] - lr * grad[i];
    vel[i] = v;
    theta[i] += v;
  }
}

/**
 * Nesterov momentum in the "look-ahead folded into the parameters" form (Sutskever 2013, cs231n):
 *   v_prev = v
 *   v <- mu*v - lr*g
 *   w <- w - mu*v_prev + (1+mu)*v
 * Equivalent to evaluating the gradient at the look-ahead point w + mu*v while storing the
 * look-ahead point itself as the parameters. Net move = mu^2*v_prev - (1+mu)*lr*g.
 */
export function nesterovStep(theta: FloatArray, grad: FloatArray, vel: FloatArray, lr: number, mu: number): void {
  for (let i = 0; i < theta.length; i++) {
    const vPrev = vel[i];
    const v = mu * vPrev - lr * grad[i];
    vel[i] = v;
    theta[i] += -mu * vPrev + (1 + mu) * v;
  }
}

/**
 * Adagrad (Duchi et al. 2011):
 *   c <- c + g^2                      (sum of all squared gradients seen, per coordinate)
 *   w <- w - lr*g/(sqrt(c) + eps)     (coordinates with a large history take smaller steps)
 */
export function adagradStep(theta: FloatArray, grad: FloatArray, cache: FloatArray, lr: number, eps: number): void {
  for (let i = 0; i < theta.length; i++) {
    const g = grad[i];
    const c = cache[i] + g * g;
    cache[i] = c;
    theta[i] -= (lr * g) / (Math.sqrt(c) + eps);
  }
}

/**
 * RMSprop (Hinton, lecture 6e):
 *   c <- rho*c + (1-rho)*g^2          (moving average of squared gradients: forgets old history)
 *   w <- w - lr*g/(sqrt(c) + eps)
 */
export function rmspropStep(
  theta: FloatArray,
  grad: FloatArray,
  cache: FloatArray,
  lr: number,
  rho: number,
  eps: number,
): void {
  for (let i = 0; i < theta.length; i++) {
    const g = grad[i];
    const c = rho * cache[i] + (1 - rho) * g * g;
    cache[i] = c;
    theta[i] -= (lr * g) / (Math.sqrt(c) + eps);
  }
}

/**
 * Adam (Kingma & Ba 2015, Algorithm 1), t counts from 1 (the first step has t = 1):
 *   m <- b1*m + (1-b1)*g              (first moment: a moving average of the gradient)
 *   v <- b2*v + (1-b2)*g^2            (second moment: a moving average of its square)
 *   mhat = m/(1-b1^t)                 (bias correction: m and v start at 0, so early averages
 *   vhat = v/(1-b2^t)                  are shrunk toward 0; dividing undoes it exactly)
 *   w <- w - lr*mhat/(sqrt(vhat) + eps)
 * At t = 1, mhat = g and vhat = g^2, so every coordinate moves by lr*sign(g) (up to eps).
 */
export function adamStep(
  theta: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  t: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
): void {
  if (!(t >= 1)) throw new Error(`adamStep: t counts from 1, got ${t}`);
  const c1 = 1 - b1 ** t;
  const c2 = 1 - b2 ** t;
  for (let i = 0; i < theta.length; i++) {
    const g = grad[i];
    const mi = b1 * m[i] + (1 - b1) * g;
    const vi = b2 * v[i] + (1 - b2) * g * g;
    m[i] = mi;
    v[i] = vi;
    theta[i] -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
  }
}

/**
 * AdamW (Loshchilov & Hutter 2019): Adam on the loss gradient, then a decoupled decay
 *   w <- w - lr*lambda*w              for parameters with decayMask[i] != 0
 * The decay shrinks weights directly instead of passing through the adaptive scale, which is
 * what makes it differ from L2-in-the-gradient. Order as in PyTorch (decay, then the Adam move);
 * the Adam move does not read w, so the order does not change the result.
 */
export function adamwStep(
  theta: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  t: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  weightDecay: number,
  decayMask: ArrayLike<number> | null,
): void {
  if (weightDecay !== 0) {
    for (let i = 0; i < theta.length; i++)
      if (decayMask === null || decayMask[i]) theta[i] -= lr * weightDecay * theta[i];
  }
  adamStep(theta, grad, m, v, t, lr, b1, b2, eps);
}

// ---------------------------------------------------------------------------------------------

/**
 * One step of the configured optimizer at learning rate `lr` (already scheduled).
 * Increments state.t first, so Adam sees t = 1 on the first call.
 * decayMask[P]: 1 where AdamW's decoupled decay applies (weights), 0 elsewhere; null = everywhere.
 */
export function optimizerStep(
  cfg: OptimizerConfig,
  theta: FloatArray,
  grad: FloatArray,
  state: OptimizerState | { t: number; m: FloatArray; v: FloatArray },
  lr: number,
  decayMask: ArrayLike<number> | null = null,
): void {
  if (grad.length !== theta.length)
    throw new Error(`optimizerStep: grad has ${grad.length} entries, theta ${theta.length}`);
  if (state.m.length !== theta.length || state.v.length !== theta.length)
    throw new Error(
      `optimizerStep: state buffers have ${state.m.length}/${state.v.length} entries, theta ${theta.length}`,
    );
  state.t += 1;
  switch (cfg.name) {
    case 'sgd':
      sgdStep(theta, grad, lr);
      return;
    case 'momentum':
      momentumStep(theta, grad, state.m, lr, cfg.momentum);
      return;
    case 'nesterov':
      nesterovStep(theta, grad, state.m, lr, cfg.momentum);
      return;
    case 'adagrad':
      adagradStep(theta, grad, state.v, lr, cfg.eps);
      return;
    case 'rmsprop':
      rmspropStep(theta, grad, state.v, lr, cfg.rho, cfg.eps);
      return;
    case 'adam':
      adamStep(theta, grad, state.m, state.v, state.t, lr, cfg.beta1, cfg.beta2, cfg.eps);
      return;
    case 'adamw':
      adamwStep(theta, grad, state.m, state.v, state.t, lr, cfg.beta1, cfg.beta2, cfg.eps, cfg.weightDecay, decayMask);
      return;
    default:
      throw new Error(`optimizer.name: unknown optimizer '${(cfg as { name: string }).name}'`);
  }
}
