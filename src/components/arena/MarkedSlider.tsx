// A range slider with labelled markers under its track (the quadratic's closed-form step sizes
// and momentum). Markers are positioned on the same scale as the slider's thumb.
import { useId } from 'react';

export interface Marker {
  value: number;
  label: string;
  color: string;
  /** Tooltip: the formula and what it means. */
  help: string;
}

interface Props {
  label: string;
  value: number;
  /** Value -> position in [0, 1] and back (linear or log). */
  toPos: (v: number) => number;
  toValue: (p: number) => number;
  format: (v: number) => string;
  markers: Marker[];
  onChange: (v: number) => void;
  testId?: string;
}

const STEPS = 1000;

export function MarkedSlider({ label, value, toPos, toValue, format, markers, onChange, testId }: Props) {
  const id = useId();
  return (
    <div className="control marked-slider" data-testid={testId}>
      <div className="control-row">
        <label htmlFor={id}>{label}</label>
        <span className="value">{format(value)}</span>
      </div>
      <input
        id={id}
        type="range"
        min={0}
        max={STEPS}
        step={1}
        value={Math.round(Math.max(0, Math.min(1, toPos(value))) * STEPS)}
        aria-valuetext={format(value)}
        onChange={(e) => onChange(toValue(Number(e.target.value) / STEPS))}
      />
      {markers.length > 0 && (
        <div className="marker-track" aria-hidden="true" style={{ height: 14 + 12 * markers.length }}>
          {markers.map((m, k) => {
            const p = toPos(m.value);
            if (!(p >= 0 && p <= 1)) return null;
            return (
              <span
                key={m.label}
                className="marker"
                // One row per marker: closed-form values often sit close together (2/λmax and GD*).
                style={{ left: `${p * 100}%`, top: k * 12, color: m.color }}
                title={`${m.label} = ${format(m.value)}: ${m.help}`}
              >
                ▲<span className="marker-label">{m.label}</span>
              </span>
            );
          })}
        </div>
      )}
    </div>
  );
}
