// Lesson 11, beyond the lecture: Schedule-Free AdamW's demo (the lead adds it to catalogBeyond.ts's
// list). Plain data; see types.ts. The effect (lessons test beyondScheduleFree.test.ts): at a
// constant lr, Schedule-Free ends within 10% of the final loss of AdamW under a tuned cosine
// schedule, while AdamW at that constant lr stays several times higher.
// Tuning (30 epochs, 3 seeds): the cosine's lr is the best of 0.03, 0.1, 0.3; Schedule-Free's
// beta1 0.95 and 50 warm-up steps are the README's advice for longer runs (beta1 0.9 or no warm-up
// ends up to 12% above the cosine on one seed).
import { GREEN, ORANGE, RED } from './catalogRegularization';
import type { ConfigPatch, Lesson } from './types';

const tanh = (units: number) => ({ units, activation: 'tanh', dropout: 0, batchNorm: false });

/** A noisy 2D regression: the loss has a floor, and a constant large step keeps bouncing above it. */
const gauss = (optimizer: ConfigPatch, schedule: ConfigPatch = { kind: 'constant' }): ConfigPatch => ({
  seed: 3,
  data: { name: 'regGauss', noise: 0.3, samples: 1000, valFraction: 0.25 },
  model: { hidden: [tanh(8), tanh(8)], loss: 'mse' },
  optimizer,
  schedule,
  batchSize: 16,
});

/** Epochs of the demo; the cosine anneals to 0 over all of them (46 steps per epoch). */
const EPOCHS = 30;

export const LESSON_SCHEDULE_FREE: Lesson = {
  id: 'schedule-free',
  number: 11,
  title: 'Beyond the lecture: Schedule-Free, annealing without a schedule',
  text: [
    'A constant learning rate keeps bouncing around the minimum; a decaying schedule settles, but you must choose when it ends (the cosine needs the total number of steps in advance).',
    'Schedule-Free AdamW (2024) keeps the rate constant and averages instead. Its plain Adam steps form a sequence z; their running average x is the model you evaluate; gradients are taken at y, between the two.',
    'The average does what the decay did: it damps the bouncing, and it can stop at any step. Here, at a constant ε, it ends within 10% of AdamW under a tuned cosine schedule, while AdamW at the same constant ε ends several times higher.',
  ],
  formulas: [
    'z \\leftarrow z - \\varepsilon_t\\, d,\\quad x \\leftarrow (1-c_t)\\, x + c_t\\, z,\\quad y = \\beta_1 x + (1-\\beta_1)\\, z',
    'c_t = \\varepsilon_t^2 / \\textstyle\\sum_{i \\le t} \\varepsilon_i^2 \\;(= 1/t \\text{ after the warm-up})',
  ],
  presets: [
    {
      id: 'constant',
      label: 'AdamW, constant ε',
      color: RED,
      config: gauss({ name: 'adamw', lr: 0.1, weightDecay: 0 }),
    },
    {
      id: 'cosine',
      label: 'AdamW, cosine (tuned)',
      color: GREEN,
      config: gauss({ name: 'adamw', lr: 0.1, weightDecay: 0 }, { kind: 'cosine', totalSteps: EPOCHS * 46, minLr: 0 }),
    },
    {
      id: 'schedulefree',
      label: 'Schedule-Free, constant ε',
      color: ORANGE,
      config: gauss({ name: 'schedulefree', lr: 0.1, beta1: 0.95, weightDecay: 0, warmupSteps: 50 }),
    },
  ],
  watch: [
    'AdamW at a constant ε stays on a noisy plateau.',
    'The cosine run settles as its rate goes to 0; Schedule-Free settles as far at a constant ε.',
  ],
  views: ['loss', 'lr'],
  epochs: EPOCHS,
  question: { kind: 'lowest-val', params: { epochs: 30 } },
};
