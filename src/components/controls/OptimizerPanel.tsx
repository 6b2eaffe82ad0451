// Optimizer section: the seven optimizers as radio buttons, the learning rate on a log slider,
// the chosen optimizer's own hyperparameters, and its update rule beside them.
import { fieldAt } from '../../config/fields';
import { OPTIMIZER_LABELS } from '../../config/labels';
import { OPTIMIZER_NAMES } from '../../engine/types';
import { setField } from '../../state/actions';
import { useStore } from '../../state/store';
import { Help, NumberSlider, Section } from './Fields';
import { OPTIMIZER_FIELDS, UpdateRule } from './formulas';

const STEPS: Record<string, number> = {
  'optimizer.momentum': 0.01,
  'optimizer.beta1': 0.01,
  'optimizer.beta2': 0.0001,
  'optimizer.rho': 0.01,
};

export function OptimizerPanel() {
  const name = useStore((s) => s.config.optimizer.name);
  const f = fieldAt('optimizer.name');
  return (
    <Section title="Optimizer" summary={OPTIMIZER_LABELS[name]} open>
      <fieldset className="control opt-set" aria-describedby="opt-help">
        <legend className="label">Optimizer</legend>
        <div className="opt-grid">
          {OPTIMIZER_NAMES.map((n) => (
            <label key={n} className="opt-choice" data-optimizer={n}>
              <input
                type="radio"
                name="optimizer"
                value={n}
                checked={n === name}
                onChange={() => setField('optimizer.name', n)}
              />
              {OPTIMIZER_LABELS[n]}
            </label>
          ))}
        </div>
        <Help id="opt-help" text={f.help} />
      </fieldset>
      <UpdateRule name={name} />
      <NumberSlider path="optimizer.lr" />
      {OPTIMIZER_FIELDS[name].map((p) => (
        <NumberSlider key={p} path={p} step={STEPS[p]} />
      ))}
    </Section>
  );
}
