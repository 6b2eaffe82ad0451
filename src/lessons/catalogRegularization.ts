// Lessons 1-5 of the lecture: the classification loss, then regularization (early stopping,
// data augmentation, weight decay versus L1, dropout). Plain data; see types.ts.
import type { ConfigPatch, Lesson } from './types';

export const BLUE = '#1f77b4';
export const RED = '#d62728';
export const GREEN = '#2ca02c';
export const PURPLE = '#9467bd';
export const ORANGE = '#ff7f0e';

const relu = (units: number, dropout = 0) => ({ units, activation: 'relu', dropout, batchNorm: false });

/**
 * The lecture's over-specified network on few noisy points: far more weights than samples, so
 * it memorizes the training set and its validation loss turns up. Lessons 2-5 regularize it.
 */
export const OVERFIT: ConfigPatch = {
  seed: 3,
  data: { name: 'moons', noise: 0.35, samples: 80, valFraction: 0.5 },
  model: { hidden: [relu(64), relu(64)], init: 'he' },
  optimizer: { name: 'adam', lr: 0.01 },
  batchSize: 8,
};

/** 200 training digits (28x28) and a 32-unit ReLU layer: enough to memorize them. */
const DIGITS: { data: Record<string, unknown> } & ConfigPatch = {
  seed: 1,
  data: { name: 'digits', samples: 400, valFraction: 0.5 },
  model: { hidden: [relu(32)], init: 'he' },
  optimizer: { name: 'adam', lr: 0.003 },
  batchSize: 32,
};

/**
 * Plain SGD: the L1 shrink is then a fixed lr*zeta1 towards 0 per step (Adam would rescale it per
 * coordinate), the lecture's picture of the penalty.
 */
const SGD = { name: 'sgd', lr: 0.2 };

/**
 * Dropout's setting: heavily overlapping classes (moons at noise 1), where an unregularized
 * network's validation loss explodes; 128 units per layer and a gentler rate, so the dropout
 * noise averages out.
 */
const DROPOUT_BASE: ConfigPatch = {
  data: { name: 'moons', noise: 1, samples: 100, valFraction: 0.5 },
  model: { hidden: [relu(128), relu(128)] },
  optimizer: { lr: 0.003 },
};

const withOverfit = (patch: ConfigPatch): ConfigPatch => {
  const out = structuredClone(OVERFIT) as Record<string, Record<string, unknown>>;
  for (const [k, v] of Object.entries(patch)) {
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...out[k], ...v } : (v as never);
  }
  return out;
};

export const LESSONS_REGULARIZATION: Lesson[] = [
  {
    id: 'softmax',
    number: 1,
    title: 'Softmax and cross-entropy',
    text: [
      'A classifier outputs one score per class; softmax turns the scores into probabilities that are positive and sum to 1.',
      'Cross-entropy with a one-hot target is the negative log-probability of the correct class.',
      'Sanity check before training: with small random weights every class gets about 1/C, so the first loss should be close to ln C.',
    ],
    formulas: [
      'y_i = \\frac{e^{x_i}}{\\sum_{j=1}^{|C|} e^{x_j}}',
      'E_{\\text{nll}}(y, t) = -\\sum_{j \\in C} t_j \\log y_j = -\\log y_{c_t}',
      'E_{\\text{start}} \\approx -\\log \\tfrac{1}{|C|} = \\ln |C|',
    ],
    presets: [
      {
        id: 'blobs4',
        label: '4 classes',
        color: BLUE,
        config: {
          data: { name: 'blobs', classes: 4, noise: 0.2, samples: 400 },
          model: { initScale: 0.3 },
          optimizer: { name: 'momentum', lr: 0.05, momentum: 0.9 },
        },
      },
    ],
    watch: [
      'The first loss: ln 4 = 1.386. A much larger start means the initial weights are too big.',
      'The loss falls towards 0 as the probability of the correct class approaches 1.',
      'Each colour region of the boundary is where that class has the highest probability.',
    ],
    views: ['loss', 'accuracy', 'boundary'],
    epochs: 30,
    question: { kind: 'val-rises', params: { after: 5, epochs: 30, run: 0 } },
  },
  {
    id: 'early-stopping',
    number: 2,
    title: 'Overfitting and early stopping',
    text: [
      'Networks are usually over-specified: many more weights than training samples. Big networks are easier to train, and easier to over-fit.',
      'Here 64x64 ReLU units learn 40 noisy points: the training loss keeps falling while the validation loss reaches a minimum and turns up.',
      'Early stopping watches the validation loss, stops after `patience` epochs without improvement, and restores the weights of the best epoch.',
    ],
    formulas: [
      'e^\\star = \\arg\\min_e L_{\\text{val}}(w_e)',
      "\\text{stop when } L_{\\text{val}}(w_e) \\ge \\min_{e' < e} L_{\\text{val}}(w_{e'}) - \\delta \\text{ for } p \\text{ epochs}",
    ],
    presets: [
      { id: 'free', label: 'Trained to the end', color: RED, config: OVERFIT },
      {
        id: 'early',
        label: 'Early stopping (patience 15)',
        color: BLUE,
        config: withOverfit({ earlyStop: { enabled: true, patience: 15, minDelta: 0.001, restoreBest: true } }),
      },
    ],
    watch: [
      'Training loss (faint) keeps falling; validation loss turns up: that is over-fitting.',
      'The marker on the blue curve is the best epoch: early stopping restores those weights.',
      'Compare the boundaries: the over-fitted one wraps around individual noisy points.',
    ],
    views: ['loss', 'boundary'],
    epochs: 150,
    question: { kind: 'val-rises', params: { after: 30, epochs: 150, run: 0 } },
  },
  {
    id: 'augmentation',
    number: 3,
    title: 'Data augmentation',
    text: [
      'Augmentation adds noise to the training samples, so the network never sees exactly the same point twice: effectively a larger training set.',
      'Gaussian input noise is the classic regularizer: it penalizes boundaries that change quickly near the data.',
      'The ghost points around each training point show where the noisy copies land.',
    ],
    formulas: ['\\tilde x = x + \\sigma\\, z,\\quad z \\sim \\mathcal N(0, I)'],
    presets: [
      { id: 'none', label: 'No augmentation', color: RED, config: OVERFIT },
      {
        id: 'noise',
        label: 'Gaussian input noise σ = 0.25',
        color: BLUE,
        config: withOverfit({ data: { augmentNoise: 0.25 } }),
      },
    ],
    watch: [
      'The gap between training (faint) and validation loss is much smaller with noise.',
      'The noisy run’s boundary is smoother: it cannot follow single points any more.',
    ],
    views: ['loss', 'boundary'],
    epochs: 120,
    question: { kind: 'lowest-val', params: { epochs: 120 } },
  },
  {
    id: 'augmentation-digits',
    number: 3,
    title: 'Data augmentation: digits with random affine transforms',
    text: [
      'For images the natural noise is geometric: a digit shifted by two pixels, turned a little or drawn slightly bigger is still the same digit.',
      'Here a small network learns from only 200 handwritten digits; with augmentation every epoch shows it new random shifts (±2 px), rotations (±12°) and scalings (±10%) of them.',
    ],
    formulas: [
      "\\tilde x(p') = x\\!\\left(c + R_{-\\theta}\\,\\frac{p' - c - s}{\\sigma}\\right),\\quad |s| \\le 2,\\ |\\theta| \\le 12^\\circ,\\ |\\sigma - 1| \\le 0.1",
    ],
    presets: [
      { id: 'off', label: 'No augmentation', color: RED, config: DIGITS },
      {
        id: 'affine',
        label: 'Random affine',
        color: BLUE,
        config: { ...DIGITS, data: { ...DIGITS.data, augmentAffine: true } },
      },
    ],
    watch: [
      'Without augmentation the training loss goes to almost 0 while the validation loss climbs.',
      'With augmentation the gap is much smaller and more validation digits are recognized.',
    ],
    views: ['loss', 'accuracy'],
    epochs: 30,
    question: { kind: 'val-rises', params: { after: 5, epochs: 30, run: 0 } },
  },
  {
    id: 'l2-l1',
    number: 4,
    title: 'Weight decay (L2) versus L1',
    text: [
      'Weight decay adds η‖w‖² to the loss: every step pulls each weight towards 0 in proportion to its size, keeping weights small and the boundary smooth.',
      'L1 adds ζ₁‖w‖₁: a constant pull of the same size on every weight, which drives the unimportant ones all the way to zero (a sparse network).',
      'A plain step w − lr ζ₁ sign(w) would jump over 0 and back forever; so after the gradient step each weight is shrunk by lr·ζ₁ towards 0 and stopped at exactly 0 if the shrink would carry it across (the proximal step, a “soft threshold”). It stays at 0 as long as the data pulls on it less than ζ₁.',
      'The weight histograms show the difference: L2 shrinks the spread, L1 piles weights up at zero.',
    ],
    formulas: [
      'L(y, t; w) = E(y, t) + \\eta \\|w\\|_2^2 \\qquad \\frac{\\partial}{\\partial w}: 2\\eta w',
      'L(y, t; w) = E(y, t) + \\zeta_1 \\|w\\|_1 \\qquad \\frac{\\partial}{\\partial w}: \\zeta_1 \\operatorname{sign}(w)',
      'w \\leftarrow \\operatorname{sign}(w) \\max(0,\\ |w| - \\varepsilon \\zeta_1) \\qquad \\text{(L1: the proximal step, after the gradient step)}',
    ],
    presets: [
      { id: 'none', label: 'No penalty', color: RED, config: withOverfit({ optimizer: SGD }) },
      { id: 'l2', label: 'L2, η = 0.003', color: BLUE, config: withOverfit({ optimizer: SGD, reg: { l2: 0.003 } }) },
      {
        id: 'l1',
        label: 'L1, ζ₁ = 0.002',
        color: GREEN,
        config: withOverfit({ optimizer: SGD, reg: { l1: 0.002 } }),
      },
    ],
    watch: [
      '‖w‖ under each histogram: both penalties keep it far below the unpenalized run.',
      'The count of weights that are exactly 0 grows only under L1: over two thirds of the network is switched off (3,146 of 4,352 weights), while L2 and no penalty leave none at 0.',
      'Validation loss: the penalized runs stop over-fitting.',
    ],
    views: ['loss', 'weights', 'boundary'],
    epochs: 120,
    question: { kind: 'lowest-val', params: { epochs: 120 } },
  },
  {
    id: 'dropout',
    number: 5,
    title: 'Dropout',
    text: [
      'Dropout multiplies hidden activations by random noise while training: with Bernoulli dropout each unit is zeroed with probability 1 − p.',
      'No unit can rely on a particular other unit, so the network learns redundant features; at evaluation the noise is removed (an average over 2^N thinned networks).',
      'Descent uses inverted dropout: it divides by p while training, which is the same as the lecture’s scaling by p at test time.',
    ],
    formulas: [
      '\\tilde h = h \\odot \\frac{r}{p},\\quad r_i \\sim \\text{Bernoulli}(p)',
      '\\mathbb E[\\tilde h] = h \\quad (\\text{evaluation: } \\tilde h = h)',
    ],
    presets: [
      { id: 'without', label: 'Without dropout', color: RED, config: withOverfit(DROPOUT_BASE) },
      {
        id: 'with',
        label: 'Dropout 0.5 on both layers',
        color: BLUE,
        config: withOverfit({ ...DROPOUT_BASE, model: { hidden: [relu(128, 0.5), relu(128, 0.5)] } }),
      },
    ],
    watch: [
      'Training loss is noisier and higher with dropout: each step trains a different thinned network.',
      'Validation loss ends lower with dropout: the same over-fitting setup, regularized.',
    ],
    views: ['loss', 'boundary'],
    epochs: 100,
    question: { kind: 'lowest-val', params: { epochs: 100 } },
  },
];
