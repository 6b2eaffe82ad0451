// Labelled controls generated from the field table (src/config/fields.ts): each shows its label,
// its current value and, on hover or keyboard focus, the field's one-line explanation. Linear or
// log sliders for numbers, selects for enums, checkboxes for booleans.
import { useId } from 'react';
import { fieldAt, type NumberField } from '../../config/fields';
import { setField } from '../../state/actions';
import { useStore } from '../../state/store';
import { fmt } from '../format';
import { sliderScale } from './sliderScale';

/** Reads a leaf of the config by dotted path (atomic selector: re-renders only when it changes). */
export function useField<T>(path: string): T {
  return useStore((s) => path.split('.').reduce((o: unknown, p) => (o as Record<string, unknown>)[p], s.config) as T);
}

export function Help({ id, text }: { id: string; text: string }) {
  return (
    <span className="help" id={id} role="tooltip">
      {text}
    </span>
  );
}

interface NumberProps {
  path: string;
  /** Overrides the table's label (e.g. inside a layer row). */
  label?: string;
  step?: number;
  format?: (v: number) => string;
  onChange?: (v: number) => void;
  value?: number;
}

/** A slider for a numeric field (log scale when the field says so). */
export function NumberSlider({ path, label, step, format = fmt, onChange, value }: NumberProps) {
  const f = fieldAt(path) as NumberField;
  const stored = useField<number>(path);
  const v = value ?? stored;
  const id = useId();
  const sc = sliderScale(f, step);
  const change = onChange ?? ((x: number) => setField(path, x));
  return (
    <div className="control">
      <div className="control-row">
        <label htmlFor={id}>{label ?? f.label}</label>
        <span className="value">{format(v)}</span>
      </div>
      <input
        id={id}
        type="range"
        min={sc.min}
        max={sc.max}
        step={sc.step}
        value={sc.toPos(v)}
        aria-valuetext={format(v)}
        aria-describedby={`${id}-help`}
        data-field={path}
        onChange={(e) => {
          const x = sc.toValue(Number(e.target.value));
          change(f.integer ? Math.round(x) : x);
        }}
      />
      <Help id={`${id}-help`} text={f.help} />
    </div>
  );
}

/** A number box for integers where a slider is clumsy (seed, steps). */
export function NumberInput({ path, label }: { path: string; label?: string }) {
  const f = fieldAt(path) as NumberField;
  const v = useField<number>(path);
  const id = useId();
  return (
    <div className="control">
      <label htmlFor={id}>{label ?? f.label}</label>
      <input
        id={id}
        type="number"
        min={f.min}
        max={f.max}
        step={f.integer ? 1 : 'any'}
        value={v}
        aria-describedby={`${id}-help`}
        data-field={path}
        onChange={(e) => {
          const x = Number(e.target.value);
          if (
            e.target.value !== '' &&
            Number.isFinite(x) &&
            x >= f.min &&
            x <= f.max &&
            (!f.integer || Number.isInteger(x))
          )
            setField(path, x);
        }}
      />
      <Help id={`${id}-help`} text={f.help} />
    </div>
  );
}

/** A select for an enum field; `names` gives display names for the values. */
export function Select({ path, label, names }: { path: string; label?: string; names?: Record<string, string> }) {
  const f = fieldAt(path);
  const v = useField<string>(path);
  const id = useId();
  if (f.kind !== 'enum') throw new Error(`${path} is not an enum field`);
  return (
    <div className="control">
      <label htmlFor={id}>{label ?? f.label}</label>
      <select
        id={id}
        value={v}
        aria-describedby={`${id}-help`}
        data-field={path}
        onChange={(e) => setField(path, e.target.value)}
      >
        {f.values.map((x) => (
          <option key={x} value={x}>
            {names?.[x] ?? x}
          </option>
        ))}
      </select>
      <Help id={`${id}-help`} text={f.help} />
    </div>
  );
}

/** A checkbox for a boolean field. */
export function Toggle({ path, label }: { path: string; label?: string }) {
  const f = fieldAt(path);
  const v = useField<boolean>(path);
  const id = useId();
  return (
    <div className="control control-inline">
      <label htmlFor={id}>{label ?? f.label}</label>
      <input
        id={id}
        type="checkbox"
        checked={v}
        aria-describedby={`${id}-help`}
        data-field={path}
        onChange={(e) => setField(path, e.target.checked)}
      />
      <Help id={`${id}-help`} text={f.help} />
    </div>
  );
}

/** A collapsible sidebar section. */
export function Section(props: { title: string; summary?: string; open?: boolean; children: React.ReactNode }) {
  return (
    <details className="section" open={props.open}>
      <summary>
        {props.title}
        {props.summary && <span className="summary-value">{props.summary}</span>}
      </summary>
      <div className="section-body">{props.children}</div>
    </details>
  );
}
