// Optimizer arenas: the same optimizers as training (optim.ts, same OptimizerConfig) run on a 2D
// test function, recording the path and, for every step, the update split into the terms of its
// rule, so the UI can draw one arrow per term. Also the closed-form results for the quadratic
// f = 0.5 (lmin x^2 + lmax y^2) that the sliders mark, and a measured convergence rate.
//
// Terms of the move dw = w_{t+1} - w_t (all are displacement vectors; gradient + momentum + decay = total):
//   sgd       gradient = -lr g
//   momentum  momentum = mu v_prev,          gradient = -lr g                      (v_new = their sum)
//   nesterov  momentum = mu^2 v_prev,        gradient = -(1+mu) lr g
//   adagrad   gradient = -lr g * scale,      scale = 1/(sqrt(c_new) + eps) per coordinate
//   rmsprop   same as adagrad with the moving-average cache
//   adam      momentum = -lr b1 m_prev/(1-b1^t) * scale, gradient = -lr (1-b1) g/(1-b1^t) * scale,
//             scale = 1/(sqrt(vhat) + eps)
//   adamw     adam's terms + decay = -lr lambda w
// `plain` = -lr g is what vanilla SGD would do at this point, drawn for comparison.

import type { TestFunction, Vec2 } from './data/testFunctions';
import { optimizerStep } from './optim';
import type { OptimizerConfig } from './types';

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
}

export interface ArenaState {
  w: Float64Array;
  opt: { t: number; m: Float64Array; v: Float64Array };
}

export function createArenaState(start: Vec2): ArenaState {
  return { w: Float64Array.from(start), opt: { t: 0, m: new Float64Array(2), v: new Float64Array(2) } };
}

/** One optimizer step on fn from state (in place), returning the update's terms. */
export function arenaStep(fn: TestFunction, cfg: OptimizerConfig, state: ArenaState, lr = cfg.lr): UpdateTerms {
  const { w, opt } = state;
  const g = Float64Array.from(fn.grad(w[0], w[1]));
  const mPrev = Float64Array.from(opt.m);
  const vPrev = Float64Array.from(opt.v);
  const wPrev = Float64Array.from(w);
  const t = opt.t + 1;
  const mu = cfg.momentum;
  const zero: Vec2 = [0, 0];
  const plain: Vec2 = [-lr * g[0], -lr * g[1]];
  let terms: Omit<UpdateTerms, 'total' | 'plain'>;
  const per = (f: (i: number) => number): Vec2 => [f(0), f(1)];
  switch (cfg.name) {
    case 'sgd':
      terms = { gradient: plain, momentum: zero, decay: zero, scale: null };
      break;
    case 'momentum':
      terms = { gradient: plain, momentum: per((i) => mu * mPrev[i]), decay: zero, scale: null };
      break;
    case 'nesterov':
      terms = {
        gradient: per((i) => -(1 + mu) * lr * g[i]),
        momentum: per((i) => mu * mu * mPrev[i]),
        decay: zero,
        scale: null,
      };
      break;
    case 'adagrad':
    case 'rmsprop': {
      const c = per((i) =>
        cfg.name === 'adagrad' ? vPrev[i] + g[i] * g[i] : cfg.rho * vPrev[i] + (1 - cfg.rho) * g[i] * g[i],
      );
      const scale = per((i) => 1 / (Math.sqrt(c[i]) + cfg.eps));
      terms = { gradient: per((i) => -lr * g[i] * scale[i]), momentum: zero, decay: zero, scale };
      break;
    }
    case 'adam':
    case 'adamw': {
      const { beta1: b1, beta2: b2 } = cfg;
      const c1 = 1 - b1 ** t;
      const vhat = per((i) => (b2 * vPrev[i] + (1 - b2) * g[i] * g[i]) / (1 - b2 ** t));
      const scale = per((i) => 1 / (Math.sqrt(vhat[i]) + cfg.eps));
      terms = {
        gradient: per((i) => (-lr * (1 - b1) * g[i] * scale[i]) / c1),
        momentum: per((i) => (-lr * b1 * mPrev[i] * scale[i]) / c1),
        decay: cfg.name === 'adamw' ? per((i) => -lr * cfg.weightDecay * wPrev[i]) : zero,
        scale,
      };
      break;
    }
    default:
      throw new Error(`optimizer.name: unknown optimizer '${(cfg as { name: string }).name}'`);
  }
  optimizerStep(cfg, w, g, opt, lr, null);
  return { ...terms, plain, total: [w[0] - wPrev[0], w[1] - wPrev[1]] };
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

/** Run `steps` optimizer steps from `start` at the constant rate cfg.lr (stops early on divergence). */
export function runArena(fn: TestFunction, cfg: OptimizerConfig, start: Vec2, steps: number): ArenaPath {
  if (!(Number.isInteger(steps) && steps >= 0))
    throw new Error(`runArena: steps must be a non-negative integer, got ${steps}`);
  const state = createArenaState(start);
  const xs = [start[0]];
  const ys = [start[1]];
  const fs = [fn.f(start[0], start[1])];
  const terms: UpdateTerms[] = [];
  let diverged = false;
  for (let k = 0; k < steps; k++) {
    terms.push(arenaStep(fn, cfg, state));
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
  const kappa = lmax / lmin;
  const sk = Math.sqrt(kappa);
  const hbRate = (sk - 1) / (sk + 1);
  return {
    lmin,
    lmax,
    kappa,
    maxStableLr: 2 / lmax,
    optimalLr: 2 / (lmin + lmax),
    optimalRate: (kappa - 1) / (kappa + 1),
    heavyBallMomentum: hbRate * hbRate,
    heavyBallLr: 4 / (Math.sqrt(lmax) + Math.sqrt(lmin)) ** 2,
    heavyBallRate: hbRate,
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
