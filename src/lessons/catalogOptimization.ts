// Lessons 6-10 of the lecture: annealing, momentum, adaptive methods, tricks of the trade and
// batch normalization. Plain data; see types.ts. Presets here train on the two moons
// with small tanh networks, where optimizer differences show within seconds.
import { BLUE, GREEN, PURPLE, RED } from './catalogRegularization';
import type { ConfigPatch, Lesson } from './types';

const tanh = (units: number, batchNorm = false) => ({ units, activation: 'tanh', dropout: 0, batchNorm });

/** A problem where optimizer differences show within seconds: two moons, a 2x16 tanh network. */
const MOONS: ConfigPatch = {
  seed: 2,
  data: { name: 'moons', noise: 0.2, samples: 400, valFraction: 0.25 },
  model: { hidden: [tanh(16), tanh(16)] },
  batchSize: 16,
};
const moons = (optimizer: ConfigPatch, extra: ConfigPatch = {}): ConfigPatch => ({ ...MOONS, optimizer, ...extra });

/** Three tanh layers from small initial weights: a plateau at the start that plain steps leave slowly. */
export const slow = (optimizer: ConfigPatch): ConfigPatch => ({
  ...MOONS,
  model: { hidden: [tanh(16), tanh(16), tanh(16)], initScale: 0.2 },
  optimizer,
});

/**
 * Annealing: plain SGD at a rate that is too high to settle. 1000 noisy points (not memorized, so
 * the constant rate cannot end up sitting in a flat, memorized corner) and gradients clipped to
 * norm 3 (a rare huge minibatch gradient does not blow the run up): the constant rate keeps
 * bouncing, and every schedule settles under half the level it bounces at (its mean over the
 * second half: its last few epochs alone are a draw, a bouncing run can end on a calm stretch),
 * for every seed the tests try and with the numbers moved at float32 level (lessons.test.ts,
 * lessonsRobust.test.ts; workers/lessons/checks.ts). Cooled too fast, a run can freeze on the 0.29
 * plateau: with smooth decay K = 0.1 the inverse schedule stayed there at seeds 20 and 31 (10 of
 * 200 cases over seeds 1-40 x 5 perturbations); K = 0.05 cools slowly enough (0 of 200).
 */
const HOT_LR = 1.75;
const HOT_CLIP = 3;
const HOT: ConfigPatch = {
  seed: 1,
  data: { name: 'moons', noise: 0.45, samples: 1000, valFraction: 0.25 },
  model: { hidden: [tanh(16), tanh(16)] },
  optimizer: { name: 'sgd', lr: HOT_LR },
  batchSize: 8,
  clipNorm: HOT_CLIP,
};
const hot = (schedule: ConfigPatch): ConfigPatch => ({ ...HOT, schedule });
const STEP = { every: 5, factor: 0.5 };
const ETA = 0.95;
const K = 0.05;

export const LESSONS_OPTIMIZATION: Lesson[] = [
  {
    id: 'annealing',
    number: 6,
    title: 'Annealing the learning rate',
    text: [
      'With a high learning rate the parameters have too much kinetic energy: they bounce around chaotically and cannot settle into the deeper, narrower parts of the loss.',
      'Annealing lowers the rate over time: step decay cuts it by a factor every few epochs, exponential decay multiplies it by η each epoch, smooth decay divides it by 1 + Kt.',
      `All four runs start at the same (too high) rate, ε₀ = ${HOT_LR}, with gradients clipped to norm ${HOT_CLIP} so that the constant run bounces rather than blows up; the schedule curves are drawn under the loss.`,
    ],
    formulas: [
      '\\text{step: } \\varepsilon_t = \\varepsilon_0\\, f^{\\lfloor t / n \\rfloor}',
      '\\text{exponential: } \\varepsilon_t = \\eta^t \\varepsilon_0,\\ \\eta < 1',
      '\\text{smooth: } \\varepsilon_t = \\frac{\\varepsilon_0}{1 + K t},\\ K \\ll 1',
    ],
    presets: [
      { id: 'constant', label: `Constant ε₀ = ${HOT_LR}`, color: RED, config: hot({ kind: 'constant' }) },
      {
        id: 'step',
        label: `Step: ×${STEP.factor} every ${STEP.every} epochs`,
        color: BLUE,
        config: hot({ kind: 'step', ...STEP }),
      },
      {
        id: 'exponential',
        label: `Exponential η = ${ETA}`,
        color: GREEN,
        config: hot({ kind: 'exponential', eta: ETA }),
      },
      { id: 'inverse', label: `Smooth 1/(1 + ${K} t)`, color: PURPLE, config: hot({ kind: 'inverse', k: K }) },
    ],
    watch: [
      'The red curve stays noisy at a high level: the constant rate keeps bouncing.',
      'Each annealed run drops as its rate drops and settles under half the level the red curve bounces at (its mean over the second half).',
    ],
    views: ['loss', 'lr'],
    epochs: 40,
    question: { kind: 'lowest-val', params: { epochs: 40 } },
  },
  {
    id: 'momentum',
    number: 7,
    title: 'Momentum',
    text: [
      'Picture the parameters as a ball rolling down a hill: it accumulates velocity in directions where the gradient keeps pointing the same way, and the back-and-forth across a ravine cancels out.',
      'μ acts like 1 − friction; around 0.9 is usual. At the same learning rate momentum moves up to 1/(1 − μ) = 10 times further along a consistent slope.',
    ],
    formulas: ['v_{t+1} = \\mu\\, v_t - \\varepsilon \\frac{\\partial E}{\\partial w_t}', 'w_{t+1} = w_t + v_{t+1}'],
    presets: [
      { id: 'sgd', label: 'SGD, ε = 0.03', color: RED, config: moons({ name: 'sgd', lr: 0.03 }) },
      {
        id: 'momentum',
        label: 'Momentum μ = 0.9, ε = 0.03',
        color: BLUE,
        config: moons({ name: 'momentum', lr: 0.03, momentum: 0.9 }),
      },
    ],
    watch: [
      'Same learning rate, same start: the momentum run’s loss falls much faster.',
      'In the ravine arena, SGD zig-zags across the steep direction while momentum rolls along the valley floor.',
    ],
    arena: {
      fn: 'quadratic',
      params: { kappa: 50, angle: 0.5 },
      start: [-4, 2],
      steps: 100,
      runs: [
        { label: 'SGD ε = 1', color: RED, optimizer: { name: 'sgd', lr: 1 } },
        { label: 'Momentum μ = 0.75, ε = 1', color: BLUE, optimizer: { name: 'momentum', lr: 1, momentum: 0.75 } },
      ],
    },
    views: ['loss', 'accuracy', 'arena'],
    epochs: 40,
    question: { kind: 'first-below', params: { loss: 0.25, epochs: 40 } },
  },
  {
    id: 'adaptive',
    number: 8,
    title: 'Adaptive methods: Adagrad, RMSprop, Adam',
    text: [
      'Adaptive methods give every parameter its own step size, dividing by a running estimate of the gradient’s magnitude: Adagrad by the sum of all squared gradients, RMSprop by a moving average, Adam also averages the gradient itself (momentum) and corrects both averages for their zero start.',
      'They are robust to the choice of rate and usually much faster in the first epochs.',
      'The slide’s caveat: SGD with momentum and a carefully picked rate can converge to a better objective value.',
    ],
    formulas: [
      '\\text{Adagrad: } c \\mathrel{+}= g^2,\\quad w \\mathrel{-}= \\varepsilon\\, g / (\\sqrt c + \\epsilon)',
      '\\text{RMSprop: } c = \\rho c + (1-\\rho) g^2',
      '\\text{Adam: } m = \\beta_1 m + (1-\\beta_1) g,\\ v = \\beta_2 v + (1-\\beta_2) g^2,\\ w \\mathrel{-}= \\varepsilon \\frac{m/(1-\\beta_1^t)}{\\sqrt{v/(1-\\beta_2^t)} + \\epsilon}',
    ],
    presets: [
      {
        id: 'momentum',
        label: 'SGD + momentum ε = 0.1',
        color: RED,
        config: slow({ name: 'momentum', lr: 0.1, momentum: 0.9 }),
      },
      { id: 'adagrad', label: 'Adagrad ε = 0.1', color: GREEN, config: slow({ name: 'adagrad', lr: 0.1 }) },
      { id: 'rmsprop', label: 'RMSprop ε = 0.01', color: PURPLE, config: slow({ name: 'rmsprop', lr: 0.01 }) },
      { id: 'adam', label: 'Adam ε = 0.01', color: BLUE, config: slow({ name: 'adam', lr: 0.01 }) },
    ],
    arena: {
      fn: 'quadratic',
      params: { kappa: 50, angle: 0.5 },
      start: [-4, 2],
      steps: 300,
      runs: [
        {
          label: 'SGD + momentum, tuned (ε = 1, μ = 0.75)',
          color: RED,
          optimizer: { name: 'momentum', lr: 1, momentum: 0.75 },
        },
        { label: 'Adagrad ε = 1', color: GREEN, optimizer: { name: 'adagrad', lr: 1 } },
        { label: 'RMSprop ε = 0.1', color: PURPLE, optimizer: { name: 'rmsprop', lr: 0.1 } },
        { label: 'Adam ε = 0.1', color: BLUE, optimizer: { name: 'adam', lr: 0.1 } },
      ],
    },
    watch: [
      'The first epochs: from small initial weights the adaptive methods escape the plateau first; SGD + momentum takes several epochs longer.',
      'The arena: near the minimum the adaptive steps stay about ε in size and keep circling, while tuned momentum converges to a far lower objective.',
    ],
    views: ['loss', 'accuracy', 'arena'],
    epochs: 30,
    question: { kind: 'first-below', params: { loss: 0.4, epochs: 30 } },
  },
];
