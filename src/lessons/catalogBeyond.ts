// Lesson 11, beyond the lecture: optimizers of the 2020s beside the lecture's, one demo each
// (Lion, LAMB, Muon, Schedule-Free). Plain data; see types.ts.
import { BEYOND_MUON } from './beyondMuon';
import { LESSON_SCHEDULE_FREE } from './beyondScheduleFree';
import { BLUE, GREEN } from './catalogRegularization';
import type { ConfigPatch, Lesson } from './types';

const tanh = (units: number) => ({ units, activation: 'tanh', dropout: 0, batchNorm: false });

/** Noisy moons through two tanh layers: the gradient shrinks as the loss falls. */
const moons = (optimizer: ConfigPatch): ConfigPatch => ({
  seed: 2,
  data: { name: 'moons', noise: 0.2, samples: 400, valFraction: 0.25 },
  model: { hidden: [tanh(16), tanh(16)] },
  optimizer,
  batchSize: 16,
});

/** Moons through three tanh layers of different widths: layers whose weights differ in size. */
const deep = (optimizer: ConfigPatch): ConfigPatch => ({
  seed: 2,
  data: { name: 'moons', noise: 0.2, samples: 400, valFraction: 0.25 },
  model: { hidden: [tanh(4), tanh(64), tanh(64)] },
  optimizer,
  batchSize: 32,
});

export const LESSONS_BEYOND: Lesson[] = [
  {
    id: 'lion',
    number: 11,
    title: 'Beyond the lecture: Lion, a step of fixed size',
    text: [
      'Lion (2023) was found by a program search over update rules. It keeps only a momentum and steps by its sign: every weight moves by exactly ε, up or down.',
      'So the step no longer depends on how large the gradient is. The update-to-weight ratio of a layer with n weights is ε√n/‖W‖ = ε/rms(w), whatever the gradient scale.',
      'Every minibatch gives a gradient of a different size. SGD’s step is ε times that gradient, so its ratio jumps from step to step; Lion’s stays on a smooth line at ε/rms(w), falling only slowly as the weights grow.',
      'Because each step is that large, Lion’s ε is typically 3–10× smaller than AdamW’s, and its weight decay λ 3–10× larger (ε·λ, the decay per step, stays similar).',
    ],
    formulas: [
      'c = \\beta_1 m + (1-\\beta_1)\\, g,\\quad w \\leftarrow w - \\varepsilon\\,(\\operatorname{sign}(c) + \\lambda w),\\quad m \\leftarrow \\beta_2 m + (1-\\beta_2)\\, g',
      '\\frac{\\|\\Delta W\\|_2}{\\|W\\|_2} \\approx \\frac{\\varepsilon \\sqrt{n}}{\\|W\\|_2} = \\frac{\\varepsilon}{\\operatorname{rms}(w)}',
    ],
    presets: [
      { id: 'sgd', label: 'SGD ε = 0.1', color: GREEN, config: moons({ name: 'sgd', lr: 0.1 }) },
      {
        id: 'lion',
        label: 'Lion ε = 0.003',
        color: BLUE,
        config: moons({ name: 'lion', lr: 0.003, beta2: 0.99, weightDecay: 0.1 }),
      },
    ],
    watch: [
      'SGD’s ratio curve is a noisy band: each minibatch’s gradient sets the step.',
      'Lion’s ratio curve is a thin line near ε/rms(w) of the first layer.',
    ],
    views: ['updateRatio', 'loss'],
    epochs: 20,
    question: { kind: 'first-below', params: { loss: 0.3, epochs: 20 } },
  },
  {
    id: 'lamb',
    number: 11,
    title: 'Beyond the lecture: LAMB, the same relative step in every layer',
    text: [
      'LAMB (2020) was made to train BERT with huge batches. It takes Adam’s direction u (plus decoupled decay) and rescales it per layer by the trust ratio ‖w‖/‖u‖.',
      'Then every layer’s weights move by ε·‖w‖ per step: the update-to-weight ratio is exactly ε in every layer, however large or small that layer’s weights and gradients are.',
      'Adam moves every weight by up to about ε whatever its size, so a layer of small weights is rewritten faster than a layer of large ones, and as the gradients turn noisy its steps shrink: its ratio differs from layer to layer and from epoch to epoch, here by more than a factor of 5.',
    ],
    formulas: [
      'u = \\frac{\\hat m}{\\sqrt{\\hat v} + \\delta} + \\lambda w,\\quad r = \\frac{\\|w\\|}{\\|u\\|} \\text{ per layer},\\quad w \\leftarrow w - \\varepsilon\\, r\\, u',
      '\\frac{\\|\\Delta W_l\\|_2}{\\|W_l\\|_2} = \\varepsilon \\text{ for every layer } l',
    ],
    presets: [
      { id: 'adam', label: 'Adam', color: GREEN, config: deep({ name: 'adam', lr: 0.003 }) },
      {
        id: 'lamb',
        label: 'LAMB',
        color: BLUE,
        config: deep({ name: 'lamb', lr: 0.01, eps: 1e-6, weightDecay: 0.01 }),
      },
    ],
    watch: [
      'LAMB’s ratio is a flat line at ε = 10⁻²: the chart shows the first layer, and every other layer has the same.',
      'Adam’s ratio starts high and falls as training goes on (and differs between layers).',
    ],
    views: ['updateRatio', 'loss'],
    epochs: 15,
    question: { kind: 'lowest-val', params: { epochs: 15 } },
  },
  BEYOND_MUON,
  LESSON_SCHEDULE_FREE,
];
