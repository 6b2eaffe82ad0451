// A slider over a fixed list of choices (batch sizes, speeds): even spacing for uneven values.
import { useId } from 'react';
import { Help } from './Fields';

interface Props<T> {
  label: string;
  help: string;
  choices: readonly T[];
  value: T;
  format: (v: T) => string;
  onChange: (v: T) => void;
  field?: string;
}

export function ChoiceSlider<T>({ label, help, choices, value, format, onChange, field }: Props<T>) {
  const id = useId();
  let i = choices.indexOf(value);
  if (i < 0) {
    // A value from a link that is not on the list: show the nearest choice position.
    const n = typeof value === 'number' ? value : 0;
    i = choices.findIndex((c) => typeof c === 'number' && c >= n);
    if (i < 0) i = choices.length - 1;
  }
  return (
    <div className="control">
      <div className="control-row">
        <label htmlFor={id}>{label}</label>
        <span className="value">{format(value)}</span>
      </div>
      <input
        id={id}
        type="range"
        min={0}
        max={choices.length - 1}
        step={1}
        value={i}
        aria-valuetext={format(value)}
        aria-describedby={`${id}-help`}
        data-field={field}
        onChange={(e) => onChange(choices[Number(e.target.value)])}
      />
      <Help id={`${id}-help`} text={help} />
    </div>
  );
}
