// For each diagnostic (diagnostics.ts) a small config that triggers it and one that does not,
// after DEMO_STEPS steps: the tests check both, and the lessons/diagnostics panel link to them as
// playground links. Each is a patch on the default config (defaults.ts).
import { defaultConfig } from './defaults';
import type { DiagnosticKind } from './diagnostics';
import type { LayerConfig, TrainConfig } from './types';

export const DEMO_STEPS = 300;

const layers = (n: number, units: number, activation: LayerConfig['activation']): LayerConfig[] =>
  Array.from({ length: n }, () => ({ units, activation, dropout: 0, batchNorm: false }));

function cfg(patch: (c: TrainConfig) => void): TrainConfig {
  const c = defaultConfig();
  patch(c);
  return c;
}

export interface DiagnosticDemo {
  kind: DiagnosticKind;
  /** What the triggering config does, in words. */
  what: string;
  triggers: TrainConfig;
  healthy: TrainConfig;
}

export function diagnosticDemos(): DiagnosticDemo[] {
  const healthyRelu = cfg((c) => {
    c.model.hidden = layers(2, 8, 'relu');
    c.model.init = 'he';
  });
  return [
    {
      kind: 'dead',
      what: 'ReLU net with a learning rate of 3: a few huge steps push most units below zero for good',
      triggers: cfg((c) => {
        c.model.hidden = layers(2, 8, 'relu');
        c.optimizer.lr = 3;
      }),
      healthy: healthyRelu,
    },
    {
      kind: 'saturated',
      what: 'tanh net initialised 10x too large: most pre-activations land in the flat tails',
      triggers: cfg((c) => {
        c.model.initScale = 10;
      }),
      healthy: defaultConfig(),
    },
    {
      kind: 'vanishing',
      what: 'eight sigmoid layers: each multiplies the backward signal by at most 1/4',
      triggers: cfg((c) => {
        c.model.hidden = layers(8, 8, 'sigmoid');
      }),
      healthy: healthyRelu,
    },
    {
      kind: 'exploding',
      what: 'six ReLU layers initialised 4x too large: the backward signal grows layer by layer',
      triggers: cfg((c) => {
        c.model.hidden = layers(6, 16, 'relu');
        c.model.init = 'he';
        c.model.initScale = 4;
        c.optimizer.lr = 1e-6;
      }),
      healthy: healthyRelu,
    },
    {
      kind: 'ratio-low',
      what: 'a learning rate of 1e-5',
      triggers: cfg((c) => {
        c.optimizer.lr = 1e-5;
      }),
      healthy: defaultConfig(),
    },
    {
      kind: 'ratio-high',
      what: 'Adam with a learning rate of 0.5',
      triggers: cfg((c) => {
        c.optimizer = { ...c.optimizer, name: 'adam', lr: 0.5 };
      }),
      healthy: cfg((c) => {
        c.optimizer = { ...c.optimizer, name: 'adam', lr: 0.003 };
      }),
    },
  ];
}
