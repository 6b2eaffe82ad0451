// The network builder: one row per hidden layer (width, activation, dropout, batch norm), add and
// remove buttons, and the network-wide settings (initialization, loss, dropout kind, BN details).
import { useId } from 'react';
import { LAYER_FIELDS, MAX_HIDDEN_LAYERS, type NumberField } from '../../config/fields';
import { ACTIVATION_NAMES, type LayerConfig } from '../../engine/types';
import { addLayer, removeLayer, setLayer } from '../../state/actions';
import { useStore } from '../../state/store';
import { Help, NumberSlider, Section, Select } from './Fields';

const ACT_NAMES: Record<string, string> = {
  relu: 'ReLU',
  leakyRelu: 'Leaky ReLU',
  elu: 'ELU',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  linear: 'linear',
};
const field = (p: string) => LAYER_FIELDS.find((f) => f.path === p)!;
/** Width choices: powers of two and a few in between, up to the 512 limit. */
const WIDTHS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];

function LayerRow({ i, layer }: { i: number; layer: LayerConfig }) {
  const id = useId();
  const drop = field('dropout') as NumberField;
  const widthIndex = WIDTHS.findIndex((w) => w >= layer.units);
  return (
    <fieldset className="layer-row" data-layer={i}>
      <legend>
        Layer {i + 1}
        <span className="layer-units num">{layer.units} units</span>
      </legend>
      <button
        type="button"
        className="btn small remove"
        aria-label={`Remove layer ${i + 1}`}
        title={`Remove layer ${i + 1}`}
        onClick={() => removeLayer(i)}
      >
        Remove
      </button>

      <div className="control">
        <label htmlFor={`${id}-u`} className="visually-hidden">
          Units of layer {i + 1}
        </label>
        <input
          id={`${id}-u`}
          type="range"
          min={0}
          max={WIDTHS.length - 1}
          value={widthIndex < 0 ? WIDTHS.length - 1 : widthIndex}
          aria-valuetext={`${layer.units} units`}
          aria-describedby={`${id}-uh`}
          data-field={`model.hidden[${i}].units`}
          onChange={(e) => setLayer(i, { units: WIDTHS[Number(e.target.value)] })}
        />
        <Help id={`${id}-uh`} text={field('units').help} />
      </div>
      <div className="layer-grid">
        <div className="control">
          <label htmlFor={`${id}-a`} className="visually-hidden">
            Activation of layer {i + 1}
          </label>
          <select
            id={`${id}-a`}
            value={layer.activation}
            aria-describedby={`${id}-ah`}
            data-field={`model.hidden[${i}].activation`}
            onChange={(e) => setLayer(i, { activation: e.target.value as LayerConfig['activation'] })}
          >
            {ACTIVATION_NAMES.map((a) => (
              <option key={a} value={a}>
                {ACT_NAMES[a]}
              </option>
            ))}
          </select>
          <Help id={`${id}-ah`} text={field('activation').help} />
        </div>
        <div className="control layer-drop">
          <label htmlFor={`${id}-d`} className="layer-mini">
            drop <span className="num">{Math.round(layer.dropout * 100)}%</span>
          </label>
          <input
            id={`${id}-d`}
            type="range"
            min={drop.min}
            max={drop.max}
            step={0.05}
            value={layer.dropout}
            aria-describedby={`${id}-dh`}
            data-field={`model.hidden[${i}].dropout`}
            onChange={(e) => setLayer(i, { dropout: Number(e.target.value) })}
          />
          <Help id={`${id}-dh`} text={drop.help} />
        </div>
        <div className="control control-inline">
          <label htmlFor={`${id}-b`} className="layer-mini">
            BN
          </label>
          <input
            id={`${id}-b`}
            type="checkbox"
            checked={layer.batchNorm}
            aria-label={`Batch norm on layer ${i + 1}`}
            aria-describedby={`${id}-bh`}
            data-field={`model.hidden[${i}].batchNorm`}
            onChange={(e) => setLayer(i, { batchNorm: e.target.checked })}
          />
          <Help id={`${id}-bh`} text={field('batchNorm').help} />
        </div>
      </div>
    </fieldset>
  );
}

export function NetworkBuilder() {
  const hidden = useStore((s) => s.config.model.hidden);
  const summary = hidden.length === 0 ? 'linear' : hidden.map((l) => l.units).join('·');
  return (
    <Section title="Network" summary={summary} open>
      <div className="layers-head">
        <span>
          {hidden.length} hidden layer{hidden.length === 1 ? '' : 's'}
        </span>
        <button
          type="button"
          className="btn small"
          onClick={() => addLayer()}
          disabled={hidden.length >= MAX_HIDDEN_LAYERS}
          title="Add a hidden layer (a copy of the last one)"
        >
          + Add layer
        </button>
      </div>
      {hidden.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: layers are positional; index is their identity
        <LayerRow key={i} i={i} layer={l} />
      ))}
      <div className="control-grid">
        <Select path="model.init" names={{ xavier: 'Xavier', he: 'He' }} />
        <Select path="model.loss" names={{ softmaxCE: 'Cross-entropy', mse: 'MSE' }} />
      </div>
      <NumberSlider path="model.initScale" step={0.05} />
      <Select path="model.dropoutKind" names={{ bernoulli: 'Bernoulli (drop)', gaussian: 'Gaussian' }} />
      {hidden.some((l) => l.batchNorm) && <NumberSlider path="model.bnMomentum" step={0.01} />}
    </Section>
  );
}
