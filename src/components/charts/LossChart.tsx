// Loss over training: the minibatch loss (raw, faint, and TensorBoard-smoothed), the clean
// per-epoch training and validation losses, the best-validation marker when early stopping is
// on, and annealing events. Under it, the learning rate on the same x axis. Drawn on canvas
// from the ring buffers whenever their version changes.
import { useRef } from 'react';
import { useStore } from '../../state/store';
import type { RunHistory } from '../../trainer/metricsBuffer';
import { useRunBuffers } from '../../trainer/runBuffers';
import { fmt } from '../format';
import { ChartCard, useHover } from './ChartCard';
import { ChartTools } from './ChartTools';
import { useCanvasLoop } from './canvas';
import { token } from './colors';
import { drawAxes, drawDots, drawEmpty, drawLine, drawReadout, extent, makePlot, nearest, type Plot } from './plot';
import { annealingEvents, debiasedEma } from './smoothing';

/** x values of the step and epoch series for the chosen axis. */
function xs(h: RunHistory, axis: 'steps' | 'epochs') {
  return axis === 'steps'
    ? { step: h.step('step'), epoch: h.epoch('step') }
    : { step: h.step('epoch'), epoch: h.epoch('epoch') };
}

function xDomain(h: RunHistory, axis: 'steps' | 'epochs'): [number, number] {
  const x = xs(h, axis);
  const last = Math.max(x.step[x.step.length - 1] ?? 0, x.epoch[x.epoch.length - 1] ?? 0);
  return [0, Math.max(last, 1)];
}

function drawEvents(ctx: CanvasRenderingContext2D, p: Plot, h: RunHistory, axis: 'steps' | 'epochs') {
  const x = xs(h, axis).step;
  ctx.save();
  ctx.strokeStyle = token('--warn');
  ctx.setLineDash([2, 3]);
  for (const i of annealingEvents(h.step('lr'))) {
    const X = Math.round(p.x(x[i])) + 0.5;
    ctx.beginPath();
    ctx.moveTo(X, p.box.t);
    ctx.lineTo(X, p.box.b);
    ctx.stroke();
  }
  ctx.restore();
}

export function LossChart() {
  const ref = useRef<HTMLCanvasElement>(null);
  const lrRef = useRef<HTMLCanvasElement>(null);
  const lossOut = useRef<HTMLElement>(null);
  const valOut = useRef<HTMLElement>(null);
  const lrOut = useRef<HTMLElement>(null);
  const hover = useHover(ref);
  const ui = useStore((s) => s.ui);
  const earlyStop = useStore((s) => s.config.earlyStop.enabled);
  const smoothBuf = useRef(new Float64Array(0));
  const buffers = useRunBuffers();
  const history = (): RunHistory | null => buffers?.metrics.runs[0] ?? null;
  const metricsVersion = () => buffers?.metrics.version ?? -1;

  useCanvasLoop(
    ref,
    () => `${metricsVersion()}|${hover.current.v}`,
    (ctx, w, h) => {
      const hist = history();
      const n = hist?.steps.size ?? 0;
      if (!hist || n === 0) {
        drawEmpty(ctx, w, h, 'Press play to train: the loss appears here');
        if (lossOut.current) lossOut.current.textContent = '–';
        if (valOut.current) valOut.current.textContent = '–';
        return;
      }
      const x = xs(hist, ui.xAxis);
      const raw = hist.step('loss');
      if (smoothBuf.current.length < n) smoothBuf.current = new Float64Array(hist.steps.capacity);
      const smooth = debiasedEma(raw, ui.smoothing, smoothBuf.current);
      const trainE = hist.epoch('trainLoss');
      const valE = hist.epoch('valLoss');
      const yd = extent([raw, trainE, valE], ui.logScale) ?? [0, 1];
      const p = makePlot(w, h, xDomain(hist, ui.xAxis), ui.logScale ? yd : [0, yd[1]], ui.logScale);
      drawAxes(ctx, p);
      drawEvents(ctx, p, hist, ui.xAxis);
      const train = token('--train');
      const val = token('--val');
      if (ui.smoothing > 0) drawLine(ctx, p, x.step, raw, { color: train, width: 1, alpha: 0.25 });
      drawLine(ctx, p, x.step, smooth, { color: train, width: 2 });
      drawLine(ctx, p, x.epoch, trainE, { color: train, width: 1.2, dash: [4, 3] });
      drawLine(ctx, p, x.epoch, valE, { color: val, width: 2 });
      drawDots(ctx, p, x.epoch, valE, val);
      if (earlyStop) drawBest(ctx, p, hist, x.epoch);
      const lastLoss = smooth[n - 1];
      if (lossOut.current) lossOut.current.textContent = fmt(lastLoss, 4);
      if (valOut.current) valOut.current.textContent = fmt(valE[valE.length - 1] ?? Number.NaN, 4);
      const hx = hover.current.x;
      if (hx !== null && hx >= p.box.l && hx <= p.box.r) {
        const i = nearest(x.step, p.x.invert(hx));
        const j = nearest(x.epoch, p.x.invert(hx));
        const lines: [string, string][] = [
          [
            train,
            `${ui.xAxis === 'steps' ? 'step' : 'epoch'} ${fmt(x.step[i], 4)}: loss ${fmt(smooth[i], 4)} (raw ${fmt(raw[i], 4)})`,
          ],
        ];
        if (j >= 0)
          lines.push([val, `epoch ${hist.epoch('epoch')[j]}: val ${fmt(valE[j], 4)}, train ${fmt(trainE[j], 4)}`]);
        drawReadout(ctx, p, p.x(x.step[i]), lines);
      }
    },
    [ui.xAxis, ui.logScale, ui.smoothing, earlyStop],
  );

  useCanvasLoop(
    lrRef,
    () => `${metricsVersion()}`,
    (ctx, w, h) => {
      const hist = history();
      if (!hist || hist.steps.size === 0) return;
      const x = xs(hist, ui.xAxis);
      const lr = hist.step('lr');
      const yd = extent([lr], false) ?? [0, 1];
      const p = makePlot(w, h, xDomain(hist, ui.xAxis), [0, yd[1]], false, { l: 44, t: 4, r: 10, b: 16 });
      drawAxes(ctx, p, 6, 2);
      drawEvents(ctx, p, hist, ui.xAxis);
      drawLine(ctx, p, x.step, lr, { color: token('--accent'), width: 1.5 });
      if (lrOut.current) lrOut.current.textContent = fmt(lr[lr.length - 1], 3);
    },
    [ui.xAxis],
  );

  return (
    <ChartCard
      title="Loss"
      testId="loss-chart"
      help="Training loss per minibatch (smoothed, raw curve faint), and the loss on the whole training and validation sets after each epoch."
      legend={[
        { label: 'train (batch)', color: token('--train') },
        { label: 'train (epoch)', color: token('--train'), dash: true },
        { label: 'validation', color: token('--val') },
      ]}
      tools={
        <span className="readout">
          loss{' '}
          <strong ref={lossOut} data-testid="loss-value">
            –
          </strong>{' '}
          · val <strong ref={valOut}>–</strong>
        </span>
      }
      subTools={<ChartTools />}
    >
      <canvas ref={ref} className="plot" style={{ height: 190 }} aria-label="Loss over training" role="img" />
      <div className="lr-strip">
        <span className="readout">
          learning rate{' '}
          <strong ref={lrOut} data-testid="lr-value">
            –
          </strong>
        </span>
        <canvas
          ref={lrRef}
          className="plot"
          style={{ height: 64 }}
          aria-label="Learning rate over training"
          role="img"
        />
      </div>
    </ChartCard>
  );
}

/** Ring and label at the best validation epoch (the one early stopping restores). */
function drawBest(ctx: CanvasRenderingContext2D, p: Plot, h: RunHistory, ex: ArrayLike<number>) {
  const best = h.epochs.last(h.epochs.indexOf('bestEpoch'));
  if (!(best > 0)) return;
  const epochs = h.epoch('epoch');
  const i = nearest(epochs, best);
  const v = h.epoch('valLoss')[i];
  if (i < 0 || !Number.isFinite(v)) return;
  const X = p.x(ex[i]);
  const Y = p.y(v);
  ctx.save();
  ctx.strokeStyle = token('--good');
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(X, Y, 6, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.fillStyle = token('--good');
  ctx.font = '600 10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(`best (epoch ${best})`, X, Y - 12);
  ctx.restore();
}
