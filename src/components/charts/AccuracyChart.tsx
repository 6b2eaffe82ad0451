// Accuracy (classification): minibatch accuracy smoothed and faint, and the clean per-epoch
// training and validation accuracy. Regression has no accuracy; the card says so.
import { useRef } from 'react';
import { useStore } from '../../state/store';
import { useRunBuffers } from '../../trainer/runBuffers';
import { pct } from '../format';
import { ChartCard, useHover } from './ChartCard';
import { setText, useCanvasLoop } from './canvas';
import { token } from './colors';
import { drawAxes, drawDots, drawEmpty, drawLine, drawReadout, makePlot, nearest } from './plot';
import { debiasedEma } from './smoothing';

export function AccuracyChart() {
  const ref = useRef<HTMLCanvasElement>(null);
  const out = useRef<HTMLElement>(null);
  const hover = useHover(ref);
  const { xAxis, smoothing } = useStore((s) => s.ui);
  const regression = useStore((s) => s.setup?.dataset.kind === 'regression');

  const buffers = useRunBuffers();
  useCanvasLoop(
    ref,
    () => `${buffers?.metrics.version}|${hover.current.v}`,
    (ctx, w, h) => {
      const hist = buffers?.metrics.runs[0];
      if (!hist || hist.steps.size === 0) {
        drawEmpty(ctx, w, h, regression ? 'Regression: see the loss' : 'No accuracy yet');
        return;
      }
      const sx = xAxis === 'steps' ? hist.step('step') : hist.step('epoch');
      const ex = xAxis === 'steps' ? hist.epoch('step') : hist.epoch('epoch');
      const last = Math.max(sx[sx.length - 1] ?? 1, ex[ex.length - 1] ?? 1);
      const p = makePlot(w, h, [0, last], [0, 1], false);
      drawAxes(ctx, p, 5, 4);
      const train = token('--train');
      const val = token('--val');
      const batch = debiasedEma(hist.step('batchAcc'), smoothing);
      drawLine(ctx, p, sx, batch, { color: train, width: 1, alpha: 0.35 });
      const trainE = hist.epoch('trainAcc');
      const valE = hist.epoch('valAcc');
      drawLine(ctx, p, ex, trainE, { color: train, width: 1.6, dash: [4, 3] });
      drawLine(ctx, p, ex, valE, { color: val, width: 2 });
      drawDots(ctx, p, ex, valE, val);
      setText(out.current, pct(valE[valE.length - 1] ?? Number.NaN));
      const hx = hover.current.x;
      if (hx !== null && ex.length > 0 && hx >= p.box.l) {
        const j = nearest(ex, p.x.invert(hx));
        drawReadout(ctx, p, p.x(ex[j]), [
          [train, `train ${pct(trainE[j])}`],
          [val, `validation ${pct(valE[j])}`],
        ]);
      }
    },
    [xAxis, smoothing, regression],
  );

  return (
    <ChartCard
      title="Accuracy"
      help="Fraction classified correctly: per minibatch (faint), and on the whole training and validation sets after each epoch."
      legend={[
        { label: 'batch', color: token('--train'), faint: true },
        { label: 'train', color: token('--train'), dash: true },
        { label: 'val', color: token('--val') },
      ]}
      tools={
        <span className="readout">
          val{' '}
          <strong ref={out} className="live" data-testid="acc-value">
            –
          </strong>
        </span>
      }
    >
      <canvas ref={ref} className="plot" style={{ height: 150 }} role="img" aria-label="Accuracy over training" />
    </ChartCard>
  );
}
