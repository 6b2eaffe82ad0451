// Each optimizer's update rule as its spec typesets it (TeX lines in src/engine/optimizers/*.ts,
// KaTeX), with the convention it follows (eps outside the root, AdamW's decay order, the
// lecture's momentum form) right under it, so the screen says what the step function does.
// g = ∂E/∂w is the gradient of the minibatch loss; δ is the small stability constant ε of the
// adaptive methods (renamed to avoid clashing with ε, the learning rate).
import { optimizerSpec } from '../../engine/optimizers/registry';
import type { OptimizerName } from '../../engine/types';
import { Tex } from '../lessons/Tex';

export function UpdateRule({ name }: { name: OptimizerName }) {
  const spec = optimizerSpec(name);
  return (
    <figure className="formula" aria-label={`${spec.label} update rule`}>
      {spec.rule.map((line) => (
        <Tex key={line} tex={line} block={false} />
      ))}
      <div className="formula-legend">
        <i>g</i> = ∂<i>E</i>/∂<i>w</i>, <i>ε</i> = learning rate
        {spec.hypers.includes('eps') ? (
          <>
            , <i>δ</i> = ε (stability)
          </>
        ) : null}
      </div>
      <div className="formula-legend formula-convention">{spec.convention}</div>
    </figure>
  );
}
