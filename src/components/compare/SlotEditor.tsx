// The list of racing optimizer settings, shared by the arena and the compare mode: one row per
// slot with its colour (a button that shows/hides it, the legend toggle), its optimizer, a log
// slider for its learning rate and boxes for the hyperparameters that optimizer uses.
import { useId, useState } from 'react';
import { type CompareSlot, MAX_SLOTS, MIN_SLOTS, relevantHypers, slotLabels } from '../../compare/compareSet';
import { fieldAt, type NumberField } from '../../config/fields';
import { OPTIMIZER_LABELS } from '../../config/labels';
import { checkField } from '../../config/schema';
import { optimizerDefaults, switchOptimizer } from '../../engine/optimizers/registry';
import { OPTIMIZER_NAMES, type OptimizerConfig, type OptimizerName } from '../../engine/types';
import { sliderScale } from '../controls/sliderScale';
import { fmt } from '../format';

export interface SlotEditorProps {
  slots: CompareSlot[];
  onChange: (i: number, optimizer: OptimizerConfig) => void;
  onRemove: (i: number) => void;
  onAdd: (optimizer: OptimizerConfig) => void;
  /** Learning rate to use when a slot switches to (or is added as) optimizer `name`. */
  lrFor: (name: OptimizerName) => number;
  hidden?: boolean[];
  onToggle?: (i: number) => void;
  selected?: number;
  onSelect?: (i: number) => void;
  /** Extra controls per row (e.g. "promote to the normal view"). */
  rowActions?: (i: number) => React.ReactNode;
}

/** A number box that commits only valid values and marks invalid text (the field's own limits). */
function HyperBox({ k, value, onCommit }: { k: keyof OptimizerConfig; value: number; onCommit: (v: number) => void }) {
  const f = fieldAt(`optimizer.${k}`) as NumberField;
  const [text, setText] = useState<string | null>(null);
  const problem = text === null ? null : checkField(f, text.trim() === '' ? Number.NaN : Number(text));
  const id = useId();
  return (
    <label className="hyper" htmlFor={id} title={f.help}>
      <span>{f.label.replace(/ \(.*\)/, '')}</span>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        value={text ?? String(value)}
        aria-invalid={problem !== null}
        title={problem ? `${f.label}: ${problem}` : f.help}
        data-hyper={k}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && checkField(f, v) === null) onCommit(v);
        }}
        onBlur={() => setText(null)}
      />
    </label>
  );
}

function LrSlider({ value, onCommit, label }: { value: number; onCommit: (v: number) => void; label: string }) {
  const f = fieldAt('optimizer.lr') as NumberField;
  const sc = sliderScale(f);
  return (
    <div className="slot-lr">
      <input
        type="range"
        min={sc.min}
        max={sc.max}
        step={sc.step}
        value={sc.toPos(value)}
        aria-label={`Learning rate of ${label}`}
        aria-valuetext={fmt(value)}
        data-hyper="lr"
        onChange={(e) => onCommit(sc.toValue(Number(e.target.value)))}
      />
      <span className="value">lr {fmt(value)}</span>
    </div>
  );
}

export function SlotEditor(props: SlotEditorProps) {
  const { slots, onChange, onRemove, onAdd, lrFor, hidden, onToggle, selected, onSelect } = props;
  const labels = slotLabels(slots);
  const [addName, setAddName] = useState<OptimizerName>('adam');
  const set = (i: number, patch: Partial<OptimizerConfig>) => onChange(i, { ...slots[i].optimizer, ...patch });
  return (
    <div className="slot-editor">
      <ol className="slot-list">
        {slots.map((s, i) => {
          const o = s.optimizer;
          const off = hidden?.[i] ?? false;
          return (
            <li
              key={s.color}
              className={`slot${selected === i ? ' selected' : ''}${off ? ' off' : ''}`}
              style={{ borderLeftColor: s.color }}
              data-slot={i}
            >
              <div className="slot-head">
                <button
                  type="button"
                  className="slot-swatch"
                  style={{ background: off ? 'transparent' : s.color, borderColor: s.color }}
                  aria-pressed={!off}
                  aria-label={`${off ? 'Show' : 'Hide'} ${labels[i]}`}
                  title={`${off ? 'Show' : 'Hide'} ${labels[i]}`}
                  onClick={() => onToggle?.(i)}
                  disabled={!onToggle}
                />
                {onSelect ? (
                  <button
                    type="button"
                    className="slot-name"
                    aria-pressed={selected === i}
                    title="Show this racer's update terms"
                    onClick={() => onSelect(i)}
                  >
                    {labels[i]}
                  </button>
                ) : (
                  <span className="slot-name">{labels[i]}</span>
                )}
                <select
                  aria-label={`Optimizer of ${labels[i]}`}
                  value={o.name}
                  onChange={(e) => {
                    const name = e.target.value as OptimizerName;
                    onChange(i, { ...switchOptimizer(slots[i].optimizer, name), lr: lrFor(name) });
                  }}
                >
                  {OPTIMIZER_NAMES.map((n) => (
                    <option key={n} value={n}>
                      {OPTIMIZER_LABELS[n]}
                    </option>
                  ))}
                </select>
                {props.rowActions?.(i)}
                <button
                  type="button"
                  className="slot-remove"
                  aria-label={`Remove ${labels[i]}`}
                  title={`Remove ${labels[i]}`}
                  disabled={slots.length <= MIN_SLOTS}
                  onClick={() => onRemove(i)}
                >
                  ×
                </button>
              </div>
              <LrSlider value={o.lr} label={labels[i]} onCommit={(lr) => set(i, { lr })} />
              <div className="slot-hypers">
                {relevantHypers(o.name)
                  .filter((k) => k !== 'lr')
                  .map((k) => (
                    <HyperBox key={k} k={k} value={o[k] as number} onCommit={(v) => set(i, { [k]: v })} />
                  ))}
              </div>
            </li>
          );
        })}
      </ol>
      <div className="slot-add">
        <select
          aria-label="Optimizer to add"
          value={addName}
          onChange={(e) => setAddName(e.target.value as OptimizerName)}
        >
          {OPTIMIZER_NAMES.map((n) => (
            <option key={n} value={n}>
              {OPTIMIZER_LABELS[n]}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={slots.length >= MAX_SLOTS}
          onClick={() => onAdd({ ...optimizerDefaults(addName), name: addName, lr: lrFor(addName) })}
        >
          + Add racer
        </button>
        <span className="muted">
          {slots.length} of {MAX_SLOTS}
        </span>
      </div>
    </div>
  );
}
