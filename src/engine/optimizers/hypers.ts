// The optimizers' hyperparameters, defined once: default, limits, URL key, label, one-line help.
// Specs list the keys they read (spec.ts `hypers`); the config field table (src/config/fields.ts),
// the sliders, the compare slot labels and the defaults are read from here. The config holds all
// of them flat (OptimizerConfig), so switching optimizer keeps each value.
// Conventions the help states: eps is added outside the square root (sqrt(v) + eps, as PyTorch);
// AdamW's decay acts on the pre-step weights (PyTorch's order).

export type HyperKey =
  | 'lr'
  | 'momentum'
  | 'beta1'
  | 'beta2'
  | 'rho'
  | 'eps'
  | 'weightDecay'
  | 'initialAccumulator'
  | 'warmupSteps';

/** The value of every hyperparameter (the numeric part of OptimizerConfig). */
export type OptimizerHypers = Record<HyperKey, number>;

export interface HyperDef {
  key: HyperKey;
  /** Short key in the URL hash; never change it (saved URLs hold it). */
  urlKey: string;
  label: string;
  /** Symbol in compare-slot labels ("Adam β₂=0.99"). */
  symbol: string;
  help: string;
  default: number;
  min: number;
  max: number;
  /** Log slider (rates, epsilons, decays). */
  log?: boolean;
  /** Slider step on a linear slider. */
  step?: number;
  /** Whole numbers only (a count of steps). */
  integer?: boolean;
}

/** In display order; lr first (every optimizer reads it). */
export const HYPERS: readonly HyperDef[] = [
  {
    key: 'lr',
    urlKey: 'lr',
    label: 'Learning rate',
    symbol: 'lr',
    help: 'Step size ε₀: too high bounces or diverges, too low crawls.',
    default: 0.1,
    min: 1e-6,
    max: 10,
    log: true,
  },
  {
    key: 'momentum',
    urlKey: 'mom',
    label: 'Momentum μ',
    symbol: 'μ',
    help: 'Fraction of the previous velocity kept each step (friction = 1-μ).',
    default: 0.9,
    min: 0,
    max: 0.999,
    step: 0.01,
  },
  {
    key: 'beta1',
    urlKey: 'b1',
    label: 'β₁',
    symbol: 'β₁',
    help: 'Decay of Adam’s running mean of gradients (first moment).',
    default: 0.9,
    min: 0,
    max: 0.999,
    step: 0.01,
  },
  {
    key: 'beta2',
    urlKey: 'b2',
    label: 'β₂',
    symbol: 'β₂',
    help: 'Decay of Adam’s running mean of squared gradients (second moment).',
    default: 0.999,
    min: 0,
    max: 0.99999,
    step: 0.0001,
  },
  {
    key: 'rho',
    urlKey: 'rho',
    label: 'Decay ρ',
    symbol: 'ρ',
    help: 'Decay of RMSprop’s running mean of squared gradients.',
    default: 0.9,
    min: 0,
    max: 0.9999,
    step: 0.01,
  },
  {
    key: 'eps',
    urlKey: 'eps',
    label: 'ε (stability)',
    symbol: 'ε',
    help: 'Added to the square root, outside it (√v + ε, as PyTorch), so adaptive steps never divide by zero.',
    default: 1e-8,
    min: 1e-12,
    max: 1,
    log: true,
  },
  {
    key: 'weightDecay',
    urlKey: 'wd',
    label: 'Weight decay λ',
    symbol: 'λ',
    help: 'AdamW’s decoupled decay w ← w − lr·λ·w, applied to the weights before the Adam move (PyTorch’s order).',
    default: 0.01,
    min: 0,
    max: 1,
    log: true,
  },
  {
    key: 'initialAccumulator',
    urlKey: 'acc0',
    label: 'Initial accumulator c₀',
    symbol: 'c₀',
    help: 'Adagrad’s squared-gradient sum starts here (PyTorch 0, TensorFlow 0.1): a larger c₀ damps the first steps.',
    default: 0,
    min: 0,
    max: 10,
    log: true,
  },
  {
    key: 'warmupSteps',
    urlKey: 'sfwu',
    label: 'Warm-up steps T_w',
    symbol: 'T_w',
    help: 'Schedule-Free’s own linear warm-up: its lr rises from ε/T_w to ε over the first T_w steps (0 = none).',
    default: 0,
    min: 0,
    max: 100000,
    step: 1,
    integer: true,
  },
];

/** The definition of one hyperparameter. */
export function hyperDef(key: HyperKey): HyperDef {
  const d = HYPERS.find((h) => h.key === key);
  if (!d) throw new Error(`optimizer.${key}: no such hyperparameter`);
  return d;
}

/** Every hyperparameter at its default. */
export function defaultHypers(): OptimizerHypers {
  return Object.fromEntries(HYPERS.map((h) => [h.key, h.default])) as OptimizerHypers;
}
