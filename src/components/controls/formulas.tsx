// Each optimizer's update rule as the lecture writes it, typeset with plain HTML (italic symbols,
// sub/superscripts), shown next to its controls. g = ∂E/∂w is the gradient of the minibatch loss;
// δ is the small stability constant ε of the adaptive methods (renamed to avoid clashing with ε,
// the learning rate).
import type { ReactNode } from 'react';
import { OPTIMIZER_LABELS } from '../../config/labels';
import type { OptimizerName } from '../../engine/types';

const V = ({ children }: { children: ReactNode }) => <i>{children}</i>;
const Hat = ({ children }: { children: ReactNode }) => (
  <span className="hat">
    <i>{children}</i>
  </span>
);

/** One line per assignment, in the order they are executed. */
export const UPDATE_RULES: Record<OptimizerName, ReactNode[]> = {
  sgd: [
    <>
      <V>w</V> ← <V>w</V> − <V>ε</V>·<V>g</V>
    </>,
  ],
  momentum: [
    <>
      <V>v</V> ← <V>μ</V>·<V>v</V> − <V>ε</V>·<V>g</V>
    </>,
    <>
      <V>w</V> ← <V>w</V> + <V>v</V>
    </>,
  ],
  nesterov: [
    <>
      <V>v</V>
      <sub>prev</sub> ← <V>v</V>; <V>v</V> ← <V>μ</V>·<V>v</V> − <V>ε</V>·<V>g</V>
    </>,
    <>
      <V>w</V> ← <V>w</V> − <V>μ</V>·<V>v</V>
      <sub>prev</sub> + (1+<V>μ</V>)·<V>v</V>
    </>,
  ],
  adagrad: [
    <>
      <V>c</V> ← <V>c</V> + <V>g</V>
      <sup>2</sup>
    </>,
    <>
      <V>w</V> ← <V>w</V> − <V>ε</V>·<V>g</V> / (√<V>c</V> + <V>δ</V>)
    </>,
  ],
  rmsprop: [
    <>
      <V>c</V> ← <V>ρ</V>·<V>c</V> + (1−<V>ρ</V>)·<V>g</V>
      <sup>2</sup>
    </>,
    <>
      <V>w</V> ← <V>w</V> − <V>ε</V>·<V>g</V> / (√<V>c</V> + <V>δ</V>)
    </>,
  ],
  adam: [
    <>
      <V>m</V> ← <V>β</V>
      <sub>1</sub>
      <V>m</V> + (1−<V>β</V>
      <sub>1</sub>)·<V>g</V>; <V>v</V> ← <V>β</V>
      <sub>2</sub>
      <V>v</V> + (1−<V>β</V>
      <sub>2</sub>)·<V>g</V>
      <sup>2</sup>
    </>,
    <>
      <Hat>m</Hat> = <V>m</V>/(1−<V>β</V>
      <sub>1</sub>
      <sup>
        <V>t</V>
      </sup>
      ); <Hat>v</Hat> = <V>v</V>/(1−<V>β</V>
      <sub>2</sub>
      <sup>
        <V>t</V>
      </sup>
      )
    </>,
    <>
      <V>w</V> ← <V>w</V> − <V>ε</V>·<Hat>m</Hat> / (√<Hat>v</Hat> + <V>δ</V>)
    </>,
  ],
  adamw: [
    <>Adam step on the loss gradient (no L2 in g), then</>,
    <>
      <V>w</V> ← <V>w</V> − <V>ε</V>·<V>λ</V>·<V>w</V>
    </>,
  ],
};

/** Which hyperparameter fields each optimizer uses. */
export const OPTIMIZER_FIELDS: Record<OptimizerName, string[]> = {
  sgd: [],
  momentum: ['optimizer.momentum'],
  nesterov: ['optimizer.momentum'],
  adagrad: ['optimizer.eps'],
  rmsprop: ['optimizer.rho', 'optimizer.eps'],
  adam: ['optimizer.beta1', 'optimizer.beta2', 'optimizer.eps'],
  adamw: ['optimizer.beta1', 'optimizer.beta2', 'optimizer.eps', 'optimizer.weightDecay'],
};

export function UpdateRule({ name }: { name: OptimizerName }) {
  return (
    <figure className="formula" aria-label={`${OPTIMIZER_LABELS[name]} update rule`}>
      {UPDATE_RULES[name].map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static lines
        <div key={i}>{line}</div>
      ))}
      <div className="formula-legend">
        <V>g</V> = ∂<V>E</V>/∂<V>w</V>, <V>ε</V> = learning rate
        {name === 'adagrad' || name === 'rmsprop' || name.startsWith('adam') ? (
          <>
            , <V>δ</V> = ε (stability)
          </>
        ) : null}
      </div>
    </figure>
  );
}
