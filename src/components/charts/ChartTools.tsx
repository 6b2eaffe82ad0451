// The loss chart's view options: x axis in steps or epochs, log scale, smoothing weight.
import { setLogScale, setSmoothing, setXAxis } from '../../state/actions';
import { useStore } from '../../state/store';

export function ChartTools() {
  const { xAxis, logScale, smoothing } = useStore((s) => s.ui);
  return (
    <>
      <fieldset className="segmented">
        <legend className="visually-hidden">x axis</legend>
        {(['steps', 'epochs'] as const).map((a) => (
          <button key={a} type="button" aria-pressed={xAxis === a} onClick={() => setXAxis(a)}>
            {a}
          </button>
        ))}
      </fieldset>
      <label className="tool-check" title="Logarithmic loss axis: shows progress late in training">
        <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} /> log
      </label>
      <label className="tool-smooth" title="TensorBoard-style smoothing (debiased moving average); 0 = raw">
        smooth
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={smoothing}
          aria-valuetext={smoothing.toFixed(2)}
          onChange={(e) => setSmoothing(Number(e.target.value))}
        />
        <span className="num">{smoothing.toFixed(2)}</span>
      </label>
    </>
  );
}
