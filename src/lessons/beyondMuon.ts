// Muon's demo for the lesson "Beyond the lecture" (a Lesson's worth of data: the lead wires it
// into the catalogue). Claims, checked by beyondMuon.test.ts with the engine:
//   - on the plateau of a deep tanh net from small weights (lesson 8's 'adaptive' start), Muon at its
//     usual rate ends 20 epochs at less than half the training loss of Adam and of SGD + momentum
//     at theirs, and its first layer's update ratio ||dW||/||W|| never falls below 5x their lowest:
//     an orthogonalised step has a fixed size per hidden layer whatever the gradient's size;
//   - in the 2D arena (a point is a 1x2 matrix) every step has length 0.70 lr (to 0.1%) while the
//     gradient shrinks a hundredfold: normalised momentum descent, circling the minimum at ~lr.
import { slow as plateau } from './catalogOptimization';
import { BLUE, GREEN, RED } from './catalogRegularization';
import type { Lesson } from './types';

export const BEYOND_MUON: Lesson = {
  id: 'muon',
  number: 11,
  title: 'Muon: orthogonalised momentum for hidden layers',
  text: [
    'Muon keeps a momentum average M of each hidden layer’s weight gradient, then replaces it by the nearest matrix whose singular values are all about 1 (five Newton-Schulz iterations): every direction of the layer moves by the same amount, however small its gradient. The output layer and the biases step with AdamW.',
    'So the size of a hidden layer’s step is fixed by ε and the layer’s shape, not by the gradient: from a plateau with tiny gradients it moves at once and keeps moving.',
    'In the 2D arena a point is a 1×2 matrix, whose only singular value Newton-Schulz sets to 0.70: Muon there is normalised momentum descent, every step 0.70 ε long.',
  ],
  formulas: [
    'M \\leftarrow M + (1-\\mu)(G - M),\\quad U = G + \\mu (M - G)',
    'O = \\mathrm{NS}_5\\big(U / \\lVert U \\rVert_F\\big) \\approx U_{\\text{svd}} V_{\\text{svd}}^{\\top}',
    'W \\leftarrow W - \\varepsilon \\sqrt{\\max(1, r/c)}\\; O',
  ],
  presets: [
    {
      id: 'momentum',
      label: 'SGD + momentum ε = 0.1',
      color: RED,
      config: plateau({ name: 'momentum', lr: 0.1, momentum: 0.9 }),
    },
    { id: 'adam', label: 'Adam ε = 0.01', color: BLUE, config: plateau({ name: 'adam', lr: 0.01 }) },
    {
      id: 'muon',
      label: 'Muon ε = 0.02, μ = 0.95',
      color: GREEN,
      config: plateau({ name: 'muon', lr: 0.02, momentum: 0.95 }),
    },
  ],
  arena: {
    fn: 'quadratic',
    params: { kappa: 10 },
    start: [-4, 2],
    steps: 200,
    runs: [
      { label: 'Adam ε = 0.1', color: BLUE, optimizer: { name: 'adam', lr: 0.1 } },
      {
        label: 'Muon ε = 0.1, μ = 0.95 (no decay)',
        color: GREEN,
        optimizer: { name: 'muon', lr: 0.1, momentum: 0.95, weightDecay: 0 },
      },
    ],
  },
  watch: [
    'The green loss leaves the plateau as fast as Adam’s and keeps falling after the others level off.',
    'Muon’s update ratio stays high: its step size does not shrink with the gradient.',
    'In the arena, Muon’s steps all have the same length and end circling the minimum.',
  ],
  views: ['loss', 'updateRatio', 'arena'],
  epochs: 20,
  question: { kind: 'first-below', params: { loss: 0.4, epochs: 20 } },
};
