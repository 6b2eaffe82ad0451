// Regularization (penalties) and the training loop (batch size, speed, seed, clipping, epochs).

import { useId } from 'react';
import { fieldAt } from '../../config/fields';
import { newSeed, setField, setSpeed } from '../../state/actions';
import { useStore } from '../../state/store';
import { setBackendChoice } from '../../state/trainerSync';
import { ChoiceSlider } from './ChoiceSlider';
import { Help, NumberInput, NumberSlider, Section, Toggle } from './Fields';

const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] as const;
/** Steps per second; 'max' trains as fast as the backend goes. */
export const SPEEDS: readonly (number | 'max')[] = [1, 2, 5, 10, 30, 100, 300, 1000, 'max'];

export function RegularizationPanel() {
  const reg = useStore((s) => s.config.reg);
  const on = [reg.l2 > 0 && 'L2', reg.l1 > 0 && 'L1', reg.l1Act > 0 && 'L1 act.'].filter(Boolean).join(' + ');
  return (
    <Section title="Regularization" summary={on || 'off'}>
      <NumberSlider path="reg.l2" />
      <NumberSlider path="reg.l1" />
      <NumberSlider path="reg.l1Act" />
      <Toggle path="reg.decayBiases" />
    </Section>
  );
}

export function TrainingPanel() {
  const batch = useStore((s) => s.config.batchSize);
  const speed = useStore((s) => s.ui.speed);
  const b = fieldAt('batchSize');
  return (
    <Section title="Training" summary={`batch ${batch}`} open>
      <ChoiceSlider
        label={b.label}
        help={b.help}
        choices={BATCHES as readonly number[]}
        value={batch}
        format={String}
        field="batchSize"
        onChange={(v) => setField('batchSize', v)}
      />
      <ChoiceSlider
        label="Speed"
        help="Training steps per second (max = as fast as this machine goes)."
        choices={SPEEDS}
        value={speed}
        format={(v) => (v === 'max' ? 'max' : `${v} steps/s`)}
        onChange={setSpeed}
      />
      <div className="seed-row">
        <NumberInput path="seed" />
        <button type="button" className="btn" onClick={newSeed} title="Pick a new random seed: new data and weights">
          New seed
        </button>
      </div>
      <div className="control-grid">
        <NumberInput path="maxEpochs" />
        <NumberInput path="clipNorm" />
      </div>
      <BackendSelect />
    </Section>
  );
}

/** Auto (the faster of WebGPU and CPU for this network, measured), or force one. */
function BackendSelect() {
  const choice = useStore((s) => s.run.backendChoice);
  const why = useStore((s) => s.run.backendDetail);
  const id = useId();
  return (
    <div className="control">
      <label htmlFor={id}>Backend</label>
      <select
        id={id}
        value={choice}
        aria-describedby={`${id}-help`}
        onChange={(e) => setBackendChoice(e.target.value as 'auto' | 'cpu' | 'webgpu')}
      >
        <option value="auto">Auto (fastest here)</option>
        <option value="webgpu">WebGPU</option>
        <option value="cpu">CPU</option>
      </select>
      <Help
        id={`${id}-help`}
        text="Where training runs. Auto measures WebGPU and the CPU engine on this network and keeps the faster."
      />
      {why && (
        <p className="backend-why" data-testid="backend-why">
          {why}
        </p>
      )}
    </div>
  );
}
