// Optimizer section: the registered optimizers as radio buttons (each with its one-line help),
// the learning rate on a log slider, the chosen optimizer's own hyperparameters, and its update
// rule with its convention beside them. All of it read from the optimizer registry.
import { fieldAt } from '../../config/fields';
import { hyperDef } from '../../engine/optimizers/hypers';
import { OPTIMIZERS, optimizerSpec } from '../../engine/optimizers/registry';
import type { HyperKey } from '../../engine/types';
import { setField } from '../../state/actions';
import { useStore } from '../../state/store';
import { lazyNamed, OnDemand } from '../Lazy';
import { Help, NumberSlider, Section } from './Fields';
import { UpdateRule } from './formulas';

// The range test's chart and rule load when the optimizer section first shows (first screen budget).
const LrRangeTest = lazyNamed(() => import('./LrRangeTest'), 'LrRangeTest');

export function OptimizerPanel() {
  const name = useStore((s) => s.config.optimizer.name);
  const f = fieldAt('optimizer.name');
  return (
    <Section title="Optimizer" summary={optimizerSpec(name).label} open>
      <fieldset className="control opt-set" aria-describedby="opt-help">
        <legend className="label">Optimizer</legend>
        <div className="opt-grid">
          {OPTIMIZERS.map((o) => (
            <label key={o.name} className="opt-choice" data-optimizer={o.name} title={o.help}>
              <input
                type="radio"
                name="optimizer"
                value={o.name}
                checked={o.name === name}
                onChange={() => setField('optimizer.name', o.name)}
              />
              {o.label}
            </label>
          ))}
        </div>
        <Help id="opt-help" text={`${f.help} ${optimizerSpec(name).label}: ${optimizerSpec(name).help}`} />
      </fieldset>
      <UpdateRule name={name} />
      <NumberSlider path="optimizer.lr" />
      {optimizerSpec(name).hypers.map((k: HyperKey) => (
        <NumberSlider key={k} path={`optimizer.${k}`} step={hyperDef(k).step} />
      ))}
      <OnDemand what="the learning-rate range test">
        <LrRangeTest />
      </OnDemand>
    </Section>
  );
}
