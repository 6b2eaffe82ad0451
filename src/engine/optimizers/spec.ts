// The shape of one optimizer (in the spirit of optax's GradientTransformation): everything the
// app says and does about an update rule lives in one spec, so the step, its typeset rule, its
// help text and its hyperparameters cannot drift apart. registry.ts lists the specs in order.
//
// A spec's step works over flat vectors theta[P], grad[P] and its state buffers [P], in float32
// (training) or float64 (arenas, goldens), with arithmetic in float64. Element-wise rules loop
// over all P entries; per-layer rules (trust ratios, matrix orthogonalisation) read `segments`,
// the parameter blocks (a layer's weight matrix W[rows, cols], a bias or batch-norm vector).
// State: `m` and `v` are the two buffers every backend holds (the GPU keeps exactly these per
// run); a rule that needs more (Schedule-Free's z and x) names them in `extraBuffers` and
// finds them in state.extra, allocated by initOptimizerState (optim.ts) and set by `init`.
//
// How the next rules fit (not implemented here): Lion is element-wise on m (its prox scale 1, the
// sign step being lr per coordinate); LAMB loops `segments`, takes ||w|| and ||update|| per block
// for its trust ratio, and can keep the per-coordinate scale it applied in an extra buffer for
// proxScale; Muon loops `segments`, orthogonalises role 'hiddenWeight' blocks (rows x cols) with
// Newton-Schulz and steps the others as AdamW (m, v). Schedule-Free AdamW (schedulefree.ts) keeps
// z in m and v in v, theta holds y (where gradients are taken), and its evaluation point x,
// recovered from y and z, is `evalPoint`, read by Run.evaluate and predict; it sets
// `ignoresSchedule`. A new hyperparameter (Muon's Nesterov switch, Schedule-Free's warm-up) is a row in
// hypers.ts; per-rule defaults (Lion's b2 = 0.99 beside Adam's 0.999) are `defaults`.
//
// Adding a rule: this file's shape in <name>.ts (with its `parity` case), one line in registry.ts,
// workers/gpu/kernels/optimizers/<name>.wgsl, and its golden data. Config fields, labels, formulas,
// compare and arena lists, the quadratic panel, the PyTorch export and the GPU parity suite read it.
import type { FloatArray } from '../floatArray';
import type { HyperKey, OptimizerHypers } from './hypers';

/** One block of theta: [offset, offset + rows*cols), row-major when it is a matrix. */
export interface ParamSegment {
  offset: number;
  rows: number;
  cols: number;
  /** 'hiddenWeight': a hidden layer's W; 'outputWeight': the output layer's W; 'vector': b, gamma, beta. */
  role: 'hiddenWeight' | 'outputWeight' | 'vector';
}

/** Per-run optimizer memory. Unused buffers stay zero (e.g. `m` for plain SGD). */
export interface OptimizerState<A extends FloatArray = FloatArray> {
  /** Steps taken so far; during a step (and the L1 prox after it) it already counts that step. */
  t: number;
  /** Velocity (momentum, Nesterov) or first moment (Adam): [P]. */
  m: A;
  /** Squared-gradient cache (Adagrad, RMSprop) or second moment (Adam): [P]. */
  v: A;
  /** Further buffers [P] by name, for rules that declare `extraBuffers` (initOptimizerState makes them). */
  extra?: Record<string, A>;
}

/**
 * Faster stand-ins for a rule's element-wise loop (the worker's WebAssembly kernels,
 * workers/cpu/wasmOps.ts), used by the rule's own step when present. Each must give the rule's
 * numbers bit for bit (same float64 arithmetic in the same order; workers/cpu/wasmOps.test.ts), and
 * falls back to the rule's loop itself for arrays it does not take (float64).
 */
export interface UpdateKernels {
  /** Adam's loop, the arguments of adam.ts adamStep (theta, grad, m, v, t, lr, b1, b2, eps). */
  adam?(
    theta: FloatArray,
    grad: FloatArray,
    m: FloatArray,
    v: FloatArray,
    t: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
  ): void;
  /** Adagrad's loop, the arguments of adagrad.ts adagradStep (theta, grad, cache, lr, eps). */
  adagrad?(theta: FloatArray, grad: FloatArray, cache: FloatArray, lr: number, eps: number): void;
  /** RMSprop's loop, the arguments of rmsprop.ts rmspropStep (theta, grad, cache, lr, rho, eps). */
  rmsprop?(theta: FloatArray, grad: FloatArray, cache: FloatArray, lr: number, rho: number, eps: number): void;
}

/** What a step reads. `lr` is already scheduled; `mask[P]` = 1 where weight decay applies, null = all. */
export interface StepContext {
  theta: FloatArray;
  grad: FloatArray;
  state: OptimizerState;
  lr: number;
  hp: OptimizerHypers;
  mask: ArrayLike<number> | null;
  segments: readonly ParamSegment[];
  /** Faster loops for the rules that have them (absent: the rule's own TypeScript). */
  kernels?: UpdateKernels;
}

/** The move w_{t+1} - w_t of a 2D arena point split into the terms the arena draws (numbers per coordinate). */
export interface TermSplit {
  /** The part caused by the current gradient (after any adaptive scaling). */
  gradient: number[];
  /** The part carried over from earlier steps (velocity, first moment); zeros when none. */
  momentum: number[];
  /** Decoupled weight decay; zeros when none. */
  decay: number[];
  /** Per-coordinate multiplier of an adaptive rule; null when the rule has none. */
  scale: number[] | null;
}

/** The arena's view just before a step: w, g and the state buffers as they are, t = the coming step. */
export interface TermInput {
  w: Float64Array;
  g: Float64Array;
  m: Float64Array;
  v: Float64Array;
  t: number;
  lr: number;
  hp: OptimizerHypers;
}

/**
 * A closed form on the quadratic f = 0.5 (lmin x^2 + lmax y^2): the best constant hyperparameters
 * and the rate per step they reach (the quadratic panel's buttons and slider marks).
 */
export interface ClosedForm {
  /** Button label, e.g. 'Optimal GD'. */
  label: string;
  /** The formula the tooltip shows, e.g. 'ε = 2/(λmin+λmax): rate (κ−1)/(κ+1)'. */
  help: string;
  solve(lmin: number, lmax: number): { hypers: Partial<OptimizerHypers>; rate: number };
  /**
   * Stationary expected loss E[f] on f = 0.5 sum_i lambda_i u_i^2 when every gradient carries
   * additive noise sigma * xi, xi ~ N(0, I) (the arenas' gradient noise): the noise floor of the
   * rule at a constant step. NaN where the rule is unstable at these settings. Derivations beside
   * each rule (sgd.ts, momentum.ts).
   */
  stationaryLoss?(hp: OptimizerHypers, lambdas: readonly number[], sigma: number): number;
}

/**
 * The rule in the generated PyTorch script (src/export/pytorchOptim.ts writes these lines as they
 * are; plain Python text, so the engine imports nothing for it). The script names the initial
 * learning rate LR0 and the L1 strength L1; `constants` adds the rule's own.
 */
export interface PytorchMapping {
  /** Python constants after LR0, in order: NAME = the config's value of `hyper`  # comment. */
  constants: readonly { name: string; hyper: HyperKey; comment?: string }[];
  /**
   * Lines that create `optimizer` over net.parameters() (or the DECAYED / NOT_DECAYED groups): a
   * torch.optim class, or a short class the script carries; led by the comment stating the
   * equivalence with this rule (or where they differ).
   */
  build: readonly string[];
  /**
   * The L1 prox (l1Prox.ts) in Python, inside `for w in DECAYED:` after the step: `scale` sets `s`
   * (tau = lr*L1*s, the factor the rule applied to the gradient), `after` corrects the state by
   * what the prox removed (w_step - w); `why` completes the docstring sentence "Here ...".
   */
  prox: { why: string; scale: readonly string[]; after?: readonly string[] };
}

/** The PyTorch script's eps constant (the adaptive rules). */
export const EPS_CONSTANT = { name: 'EPS', hyper: 'eps' } as const;

/** The L1 prox scale in PyTorch of a rule stepping by g/(sqrt(c) + eps), c = torch's state[key]. */
export const cacheProx = (key: string): PytorchMapping['prox'] => ({
  why: 's = 1/(sqrt(c) + eps) with the cache c just updated, as the gradient step was scaled',
  scale: [`s = 1.0 / (optimizer.state[w][${JSON.stringify(key)}].sqrt() + EPS)`],
});

/** The prox scale of rules that apply the gradient unscaled (s = 1). */
export const unitScale = (): ((k: number) => number) => () => 1;

export interface OptimizerSpec<N extends string = string> {
  /** Config value and URL value (`opt=`); never change it (saved URLs hold it). */
  name: N;
  /** Display name. */
  label: string;
  /** One line for the picker: what the rule does. */
  help: string;
  /** Hyperparameters it reads besides the learning rate, in display order (defined in hypers.ts). */
  hypers: readonly HyperKey[];
  /** Its step is about lr per coordinate whatever the gradient's size (log lr slider, no GD marks). */
  adaptive: boolean;
  /** Names of state buffers beyond m and v (see the header); omit when none. */
  extraBuffers?: readonly string[];
  /** State at creation, reset and when the run switches to this rule (buffers are zero before). */
  init?(state: OptimizerState, theta: FloatArray, hp: OptimizerHypers): void;
  /** One step in place: theta and the state buffers (state.t already counts this step). */
  step(ctx: StepContext): void;
  /**
   * Where the model is evaluated when that is not theta (Schedule-Free's averaged point x; theta
   * holds y, where gradients are taken): writes it into out[P]. Run.evaluate, predict and the GPU's
   * evaluation read it; omit when the rule evaluates at theta.
   */
  evalPoint?(state: OptimizerState, theta: FloatArray, hp: OptimizerHypers, out: FloatArray): void;
  /**
   * The per-step scalars of step t (from 1) at base rate lr, where the rule reads them its own way
   * (default: lr, 1 - b1^t, 1 - b2^t, Adam's bias corrections). The GPU's slot words carry them
   * (workers/gpu/hyper.ts), computed in float64 on the host as the engine's step does.
   */
  stepScalars?(t: number, lr: number, hp: OptimizerHypers): { lr: number; c1: number; c2: number };
  /** The rule ignores the learning-rate schedule (its step gets the base lr; the schedule control says so). */
  ignoresSchedule?: boolean;
  /**
   * The L1 proximal step's scale for coordinate k after the step (l1Prox.ts): the factor the rule
   * applied to the gradient there (tau = lr zeta1 s). `afterProx` corrects the state by what the
   * prox removed (delta = w' - w_new), for rules whose state holds a displacement. `segments` are
   * the step's blocks (per-layer rules scale by block; default: one vector of all P entries).
   */
  proxScale(state: OptimizerState, hp: OptimizerHypers, segments?: readonly ParamSegment[]): (k: number) => number;
  afterProx?(state: OptimizerState, k: number, delta: number, hp: OptimizerHypers): void;
  /** The arena's terms of the coming move (they add up to it exactly). */
  terms(x: TermInput): TermSplit;
  /**
   * The arena: a starting learning rate per test function (the largest rate of a scripted sweep
   * over 1e-4..1 that makes visible progress in 300 steps from the function's first start without
   * diverging, rounded down; src/compare/arenaDefaults.ts) and whether it races by default.
   * Keyed by TestFunctionName (data/testFunctions.ts; not imported here, so the optimizers stay
   * out of the data folder's imports; registry.test.ts checks every function has a rate).
   */
  arena: { lr: Readonly<Record<string, number>>; defaultRacer: boolean };
  /**
   * Defaults where this rule's differ from hypers.ts's (Lion's beta2 0.99 beside Adam's 0.999):
   * taken when the user switches to the rule (for each value still at the previous rule's default,
   * registry.ts switchOptimizer) and for a link or file that names the rule without the value.
   */
  defaults?: Partial<OptimizerHypers>;
  /**
   * The GPU parity suite's cases for this rule (workers/gpu/parity/suite.ts makes them from the
   * registry, 200 steps against the engine): `lr` of its own case and of its racer in the
   * every-optimizer compare set; `l1` = [lr, zeta1] of its L1 case, a zeta1 that leaves exact zeros
   * in 200 steps while the loss still falls, on a well-conditioned trajectory.
   */
  parity: { lr: number; l1: readonly [lr: number, zeta1: number] };
  /** Closed forms on the quadratic, when the rule has them. */
  closedForm?: ClosedForm;
  /** The update rule typeset in TeX, one assignment per line, in execution order. */
  rule: readonly string[];
  /** The convention the rule follows where texts differ (eps placement, decay order, momentum form). */
  convention: string;
  /** The same rule in the generated PyTorch script. */
  pytorch: PytorchMapping;
  /**
   * Why the WebGPU backend cannot run this rule yet (its runs then train on the CPU engine, and the
   * status line says this); omit when it can.
   */
  gpuUnsupported?: string;
}
