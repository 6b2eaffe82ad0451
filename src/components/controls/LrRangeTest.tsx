// The learning-rate range test (src/engine/lrRange.ts, run in the worker through the bridge): a
// button, the smoothed loss against lr on a log axis (raw minibatch losses as dots), the suggested
// lr marked with the rule that chose it, and "use this lr". The run itself is never touched: the
// worker tests a copy of its whole state.
import { useState } from 'react';
import { fieldAt } from '../../config/fields';
import type { RangeTestResult } from '../../engine/lrRange';
import { setField } from '../../state/actions';
import { useRunBuffers } from '../../trainer/runBuffers';

const W = 260;
const H = 130;
const PAD = { l: 34, r: 8, t: 8, b: 22 };

const RULE_TEXT = {
  steepest:
    'steepest descent of the smoothed loss against log lr (torch-lr-finder’s rule, first 10 and last 5 points skipped)',
  'min/10': 'lr of the lowest smoothed loss, divided by 10 (fastai’s lr_min)',
} as const;

export function fmtLr(lr: number): string {
  return lr.toPrecision(2);
}

/** The curve as an SVG: x = log10 lr, y = loss (clipped at 4x the first smoothed value so the blow-up stays in view). */
function Curve({ r }: { r: RangeTestResult }) {
  const x0 = Math.log10(r.lrs[0]);
  const x1 = Math.log10(r.lrs[r.lrs.length - 1]);
  const yMax = Math.max(...r.smoothed.map((v) => Math.min(v, 4 * r.smoothed[0])));
  const yMin = Math.min(...r.smoothed);
  const sx = (lr: number) => PAD.l + ((Math.log10(lr) - x0) / (x1 - x0 || 1)) * (W - PAD.l - PAD.r);
  const sy = (v: number) => PAD.t + (1 - (Math.min(v, yMax) - yMin) / (yMax - yMin || 1)) * (H - PAD.t - PAD.b);
  const path = r.lrs.map((lr, i) => `${i === 0 ? 'M' : 'L'}${sx(lr).toFixed(1)},${sy(r.smoothed[i]).toFixed(1)}`);
  const decades: number[] = [];
  for (let d = Math.ceil(x0); d <= Math.floor(x1); d++) decades.push(d);
  const mark = (s: RangeTestResult['steepest'], cls: string) =>
    s && (
      <line className={cls} x1={sx(s.lr)} x2={sx(s.lr)} y1={PAD.t} y2={H - PAD.b} data-lr={s.lr} data-rule={s.rule} />
    );
  return (
    <svg
      className="lr-range-plot"
      width={W}
      height={H}
      role="img"
      aria-label={`Range test: smoothed loss against learning rate, ${r.lrs.length} steps`}
      data-lrs={JSON.stringify(r.lrs)}
      data-losses={JSON.stringify(r.losses)}
    >
      {decades.map((d) => (
        <g key={d}>
          <line className="grid" x1={sx(10 ** d)} x2={sx(10 ** d)} y1={PAD.t} y2={H - PAD.b} />
          <text x={sx(10 ** d)} y={H - 6} textAnchor="middle">
            1e{d}
          </text>
        </g>
      ))}
      <text x={2} y={PAD.t + 8}>
        {yMax.toPrecision(2)}
      </text>
      <text x={2} y={H - PAD.b}>
        {yMin.toPrecision(2)}
      </text>
      {r.lrs.map((lr, i) => (
        <circle key={lr} className="raw" cx={sx(lr)} cy={sy(r.losses[i])} r={1} />
      ))}
      <path className="smoothed" d={path.join('')} />
      {mark(r.minOver10, 'mark-min10')}
      {mark(r.steepest, 'mark-steepest')}
    </svg>
  );
}

export function LrRangeTest() {
  const bridge = useRunBuffers();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RangeTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    if (!bridge) return setError('The trainer is not ready yet.');
    setBusy(true);
    setError(null);
    try {
      const r = await bridge.lrRangeTest(0);
      if (r === null) setError('No run to test yet: build the network first.');
      else if (!r.ok) setError(r.message);
      else setResult(r.value);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const use = (lr: number) => {
    const f = fieldAt('optimizer.lr');
    const v = f.kind === 'number' ? Math.min(f.max, Math.max(f.min, lr)) : lr;
    setField('optimizer.lr', Number(v.toPrecision(2)));
  };
  const s = result?.steepest;
  const stopText = {
    done: 'ran every step',
    diverged: 'stopped: the smoothed loss passed 4x its best',
    nonfinite: 'stopped: the loss blew up',
  };
  return (
    <div className="lr-range" data-testid="lr-range">
      <button type="button" className="btn" onClick={run} disabled={busy}>
        {busy ? 'Testing learning rates…' : 'LR range test'}
      </button>
      <p className="help">
        From a copy of the current weights and optimizer state: one step each at learning rates growing exponentially
        from 1e-4 to 10 (300 steps), loss smoothed s = 0.05·L + 0.95·s_prev. Training is not touched.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && result.lrs.length > 0 && (
        <>
          <Curve r={result} />
          <p className="help" data-testid="lr-range-caption">
            {result.lrs.length} steps, {stopText[result.stop]}.{' '}
            {s ? (
              <>
                Suggested lr <strong data-testid="lr-suggested">{fmtLr(s.lr)}</strong>: {RULE_TEXT[s.rule]}.
              </>
            ) : (
              'Too few points for a suggestion.'
            )}{' '}
            {result.minOver10 && (
              <>
                Dashed: {fmtLr(result.minOver10.lr)}, {RULE_TEXT['min/10']}.
              </>
            )}
          </p>
          {s && (
            <button type="button" className="btn" onClick={() => use(s.lr)}>
              Use this lr ({fmtLr(s.lr)})
            </button>
          )}
        </>
      )}
    </div>
  );
}
