// Optimizer arenas: the same optimizers as training (optim.ts, same OptimizerConfig) run on a 2D
// test function, recording the path and, for every step, the update split into the terms of its
// rule, so the UI can draw one arrow per term. Also the closed-form results for the quadratic
// f = 0.5 (lmin x^2 + lmax y^2) that the sliders mark, and a measured convergence rate.
//
// Terms of the move dw = w_{t+1} - w_t (displacement vectors; gradient + momentum + decay = total),
// each optimizer's own split (its spec's `terms`, optimizers/*.ts): e.g. momentum = mu v_prev and
// gradient = -lr g; Adam's first moment split into the carried and the new part, both scaled.
// `plain` = -lr g is what vanilla SGD would do at this point, drawn for comparison.
//
// Gradient noise (noisy arenas): g = grad f(w) + sigma xi, xi ~ N(0, I), drawn from a seeded
// stream (Rng(seed).gaussian(), x then y each step), so a noisy race is reproducible. On the
// quadratic the measured mean loss of the second half of a long run approaches the rule's
// stationaryLoss (optimizers/spec.ts ClosedForm; derivations in sgd.ts and momentum.ts).

import type { TestFunction, Vec2 } from './data/testFunctions';
import { initOptimizerState, optimizerStep, type ParamSegment } from './optim';
import { momentum } from './optimizers/momentum';
import { type OptimizerConfig, optimizerSpec } from './optimizers/registry';
import { sgd } from './optimizers/sgd';
import { Rng } from './rng';

export interface UpdateTerms {
  /** -lr g: the plain gradient step at this point. */
  plain: Vec2;
  /** The part of the move caused by the current gradient (after adaptive scaling). */
  gradient: Vec2;
  /** The part carried over from previous steps (velocity / first moment). */
  momentum: Vec2;
  /** AdamW's decoupled weight decay. */
  decay: Vec2;
  /** Per-coordinate multiplier of the adaptive methods; null for SGD/momentum/Nesterov. */
  scale: Vec2 | null;
  /** The actual move, w_{t+1} - w_t (measured from the optimizer step itself). */
  total: Vec2;
  /**
   * Where the rule is evaluated, relative to w_t, before the move: Schedule-Free's averaged point
   * x_t - y_t (its spec's evalPoint; the gradient is taken at w = y); null for rules evaluated at w.
   */
  evalOffset: Vec2 | null;
}

/**
 * The arena's point w[2] as the optimizers see it: a 1x2 hidden-layer weight matrix, so per-layer
 * rules (Muon's Newton-Schulz) treat it as a matrix; element-wise rules do not read segments.
 */
export const ARENA_SEGMENTS: readonly ParamSegment[] = [{ offset: 0, rows: 1, cols: 2, role: 'hiddenWeight' }];

export interface ArenaState {
  w: Float64Array;
  opt: { t: number; m: Float64Array; v: Float64Array };
}

/** The start of a run at `start`, with the optimizer's own initial state (Adagrad's c0) when cfg is given. */
export function createArenaState(start: Vec2, cfg?: OptimizerConfig): ArenaState {
  const state: ArenaState = {
    w: Float64Array.from(start),
    opt: { t: 0, m: new Float64Array(2), v: new Float64Array(2) },
  };
  if (cfg) initOptimizerState(state.opt, cfg, state.w);
  return state;
}

/** One optimizer step on fn from state (in place), returning the update's terms (the spec's split). */
export function arenaStep(
  fn: TestFunction,
  cfg: OptimizerConfig,
  state: ArenaState,
  lr = cfg.lr,
  noise: Vec2 = [0, 0],
): UpdateTerms {
  const { w, opt } = state;
  const [gx, gy] = fn.grad(w[0], w[1]);
  const g = Float64Array.of(gx + noise[0], gy + noise[1]);
  const wPrev = Float64Array.from(w);
  const split = optimizerSpec(cfg.name).terms({
    w: wPrev,
    g,
    m: Float64Array.from(opt.m),
    v: Float64Array.from(opt.v),
    t: opt.t + 1,
    lr,
    hp: cfg,
  });
  const vec = (a: number[]): Vec2 => [a[0], a[1]];
  const spec = optimizerSpec(cfg.name);
  let evalOffset: Vec2 | null = null;
  if (spec.evalPoint) {
    const x = new Float64Array(2);
    spec.evalPoint(opt, wPrev, cfg, x);
    evalOffset = [x[0] - wPrev[0], x[1] - wPrev[1]];
  }
  optimizerStep(cfg, w, g, opt, lr, null, ARENA_SEGMENTS);
  return {
    gradient: vec(split.gradient),
    momentum: vec(split.momentum),
    decay: vec(split.decay),
    scale: split.scale && vec(split.scale),
    plain: [-lr * g[0], -lr * g[1]],
    total: [w[0] - wPrev[0], w[1] - wPrev[1]],
    evalOffset,
  };
}

export interface ArenaPath {
  /** Positions w_0 (start) .. w_n: [n+1] each. */
  x: Float64Array;
  y: Float64Array;
  f: Float64Array;
  /** terms[k] is the move from w_k to w_{k+1}. */
  terms: UpdateTerms[];
  /** True when the run left the finite range (|w| > 1e8 or non-finite); the path ends there. */
  diverged: boolean;
}

/** Seeded additive gradient noise: sigma (0 = none) and the seed of its stream. */
export interface GradientNoise {
  sigma: number;
  seed: number;
}

/**
 * Run `steps` optimizer steps from `start` at the constant rate cfg.lr (stops early on divergence),
 * with seeded gradient noise when given (every racer of a race gets the same noise sequence).
 */
export function runArena(
  fn: TestFunction,
  cfg: OptimizerConfig,
  start: Vec2,
  steps: number,
  noise: GradientNoise = { sigma: 0, seed: 0 },
): ArenaPath {
  if (!(noise.sigma >= 0 && Number.isFinite(noise.sigma)))
    throw new Error(`runArena: noise.sigma must be a finite number >= 0, got ${noise.sigma}`);
  const rng = new Rng(noise.seed);
  const draw = (): Vec2 => (noise.sigma > 0 ? [noise.sigma * rng.gaussian(), noise.sigma * rng.gaussian()] : [0, 0]);
  if (!(Number.isInteger(steps) && steps >= 0))
    throw new Error(`runArena: steps must be a non-negative integer, got ${steps}`);
  const state = createArenaState(start, cfg);
  const xs = [start[0]];
  const ys = [start[1]];
  const fs = [fn.f(start[0], start[1])];
  const terms: UpdateTerms[] = [];
  let diverged = false;
  for (let k = 0; k < steps; k++) {
    terms.push(arenaStep(fn, cfg, state, cfg.lr, draw()));
    const [x, y] = state.w;
    const f = fn.f(x, y);
    xs.push(x);
    ys.push(y);
    fs.push(f);
    if (!Number.isFinite(f) || !(Math.abs(x) <= 1e8 && Math.abs(y) <= 1e8)) {
      diverged = true;
      break;
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys), f: Float64Array.from(fs), terms, diverged };
}

/** Mean of f over path points [from, end] (default: the second half): the measured noise floor. */
export function meanLoss(path: ArenaPath, from = Math.floor((path.f.length - 1) / 2)): number {
  let s = 0;
  for (let k = from; k < path.f.length; k++) s += path.f[k];
  return s / (path.f.length - from);
}

// ---------------------------------------------------------------------------------------------
// Closed forms on the quadratic f = 0.5 (lmin x^2 + lmax y^2), kappa = lmax / lmin.

export interface QuadraticCompanions {
  lmin: number;
  lmax: number;
  kappa: number;
  /** GD diverges for lr > 2/lmax (the lmax direction's factor |1 - lr lmax| exceeds 1). */
  maxStableLr: number;
  /** GD's best constant step 2/(lmin + lmax): both extreme directions contract equally. */
  optimalLr: number;
  /** Its rate per step: (kappa - 1)/(kappa + 1). */
  optimalRate: number;
  /** Heavy-ball (Polyak) optimum: mu = ((sqrt(kappa)-1)/(sqrt(kappa)+1))^2 ... */
  heavyBallMomentum: number;
  /** ... with step 4/(sqrt(lmax) + sqrt(lmin))^2 ... */
  heavyBallLr: number;
  /** ... converges at the rate sqrt(mu) = (sqrt(kappa)-1)/(sqrt(kappa)+1). */
  heavyBallRate: number;
}

export function quadraticCompanions(lmin: number, lmax: number): QuadraticCompanions {
  if (!(lmin > 0 && lmax >= lmin)) throw new Error(`quadraticCompanions: need 0 < lmin <= lmax, got ${lmin}, ${lmax}`);
  const gd = sgd.closedForm.solve(lmin, lmax);
  const hb = momentum.closedForm.solve(lmin, lmax);
  return {
    lmin,
    lmax,
    kappa: lmax / lmin,
    maxStableLr: 2 / lmax,
    optimalLr: gd.hypers.lr as number,
    optimalRate: gd.rate,
    heavyBallMomentum: hb.hypers.momentum as number,
    heavyBallLr: hb.hypers.lr as number,
    heavyBallRate: hb.rate,
  };
}

/**
 * Measured linear convergence rate r of a path toward `target` (distance ~ C r^k): the
 * least-squares slope of ln ||w_k - target|| over steps [from, to] (default: the second half),
 * exponentiated. Distances below 1e-300 (float64 underflow) end the window.
 */
export function convergenceRate(path: ArenaPath, target: Vec2, from?: number, to?: number): number {
  const n = path.x.length;
  const a = from ?? Math.floor((n - 1) / 2);
  let b = Math.min(to ?? n - 1, n - 1);
  const logd: number[] = [];
  for (let k = a; k <= b; k++) {
    const d = Math.hypot(path.x[k] - target[0], path.y[k] - target[1]);
    if (!(d > 1e-300)) {
      b = k - 1;
      break;
    }
    logd.push(Math.log(d));
  }
  const m = logd.length;
  if (m < 2) throw new Error(`convergenceRate: need at least 2 steps in the window [${a}, ${b}]`);
  const kMean = (m - 1) / 2;
  const yMean = logd.reduce((s, v) => s + v, 0) / m;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < m; k++) {
    sxy += (k - kMean) * (logd[k] - yMean);
    sxx += (k - kMean) ** 2;
  }
  return Math.exp(sxy / sxx);
}
