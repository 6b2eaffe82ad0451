// Loss over training: the minibatch loss (raw, faint, and TensorBoard-smoothed), the clean
// per-epoch training and validation losses, the best-validation marker when early stopping is
// on, and annealing events. Under it, the learning rate on the same x axis. Drawn on canvas
// from the ring buffers whenever their version changes. Run history (issue 16 §5-6): a branch's
// smoothed loss from its branch step, kept runs overlaid (each toggled in the legend), and a mark
// at each mid-run change of the settings; the bar under the chart (loaded on demand) lists them.
import { useRef } from 'react';
import { type HistoryState, sliceAccess, useStore } from '../../state/store';
import type { RunHistory } from '../../trainer/metricsBuffer';
import { useRunBuffers } from '../../trainer/runBuffers';
import { fmt } from '../format';
import { lazyNamed, OnDemand } from '../Lazy';
import { ChartCard, type LegendItem, useHover } from './ChartCard';
import { ChartTools } from './ChartTools';
import { setText, useCanvasLoop } from './canvas';
import { token } from './colors';
import { drawAxes, drawDots, drawEmpty, drawLine, drawReadout, extent, makePlot, nearest, type Plot } from './plot';
import { annealingEvents, debiasedEma } from './smoothing';

/** x values of the step and epoch series for the chosen axis. */
function xs(h: RunHistory, axis: 'steps' | 'epochs') {
  return axis === 'steps'
    ? { step: h.step('step'), epoch: h.epoch('step') }
    : { step: h.step('epoch'), epoch: h.epoch('epoch') };
}

function xDomain(h: RunHistory, axis: 'steps' | 'epochs', more: number[] = []): [number, number] {
  const x = xs(h, axis);
  const last = Math.max(x.step[x.step.length - 1] ?? 0, x.epoch[x.epoch.length - 1] ?? 0, ...more);
  return [0, Math.max(last, 1)];
}

const RunHistoryBar = lazyNamed(() => import('../history/RunHistoryBar'), 'RunHistoryBar');
// Fetched once the page is up, before Play can be pressed: the bar shows when a run pauses, and
// nothing is requested while training (e2e/robust-security.spec.ts); still off the first screen.
if (typeof window !== 'undefined')
  setTimeout(() => {
    void import('../history/RunHistoryBar').catch(() => undefined);
    void import('../../config/changes').catch(() => undefined);
  }, 0);
const historySlice = sliceAccess('history');
/** The branch's curve (and its legend swatch). */
const BRANCH_COLOR = '#b5179e';

/** Curves drawn beside run 0: the branch (run 1) and the kept runs shown, each [x, smoothed loss]. */
function extraCurves(hs: HistoryState, branch: RunHistory | null, axis: 'steps' | 'epochs', smoothing: number) {
  const out: { x: Float64Array; y: Float64Array; color: string }[] = [];
  if (hs.branch && branch && branch.steps.size > 0) {
    const x = xs(branch, axis).step;
    out.push({ x, y: debiasedEma(branch.step('loss'), smoothing, new Float64Array(x.length)), color: BRANCH_COLOR });
  }
  for (const o of hs.overlays)
    if (o.shown && o.loss.length > 0)
      out.push({
        x: axis === 'steps' ? o.step : o.epoch,
        y: debiasedEma(o.loss, smoothing, new Float64Array(o.loss.length)),
        color: o.color,
      });
  return out;
}

/** A dashed mark at each mid-run change reached so far, numbered as the bar under the chart lists them. */
function drawChanges(
  ctx: CanvasRenderingContext2D,
  p: Plot,
  h: RunHistory,
  hs: HistoryState,
  axis: 'steps' | 'epochs',
) {
  const steps = h.step('step');
  const x = xs(h, axis).step;
  ctx.save();
  ctx.strokeStyle = token('--accent');
  ctx.fillStyle = token('--accent');
  ctx.font = '600 10px system-ui, sans-serif';
  ctx.setLineDash([5, 3]);
  hs.changes.forEach((c, k) => {
    if (steps.length === 0 || c.step > steps[steps.length - 1] + 1) return;
    const X = Math.round(p.x(axis === 'steps' ? c.step : x[nearest(steps, c.step)])) + 0.5;
    ctx.beginPath();
    ctx.moveTo(X, p.box.t + 10);
    ctx.lineTo(X, p.box.b);
    ctx.stroke();
    ctx.fillText(`Δ${k + 1}`, X + 2, p.box.t + 9);
  });
  ctx.restore();
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
  const hs = useStore((s) => s.history);
  const stepped = useStore((s) => s.run.step > 0);
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
      if ((!hist || n === 0) && hs.overlays.some((o) => o.shown)) {
        // no live run yet: the kept runs overlaid are drawn alone
        const extra = extraCurves(hs, null, ui.xAxis, ui.smoothing);
        const yd = extent(
          extra.map((c) => c.y),
          ui.logScale,
        ) ?? [0, 1];
        const xd: [number, number] = [0, Math.max(1, ...extra.map((c) => c.x[c.x.length - 1] ?? 0))];
        const p = makePlot(w, h, xd, ui.logScale ? yd : [0, yd[1]], ui.logScale);
        drawAxes(ctx, p);
        for (const c of extra) drawLine(ctx, p, c.x, c.y, { color: c.color, width: 1.6 });
        return;
      }
      if (!hist || n === 0) {
        drawEmpty(ctx, w, h, 'Press play to train: the loss appears here');
        setText(lossOut.current, '–');
        setText(valOut.current, '–');
        return;
      }
      const x = xs(hist, ui.xAxis);
      const raw = hist.step('loss');
      if (smoothBuf.current.length < n) smoothBuf.current = new Float64Array(hist.steps.capacity);
      const smooth = debiasedEma(raw, ui.smoothing, smoothBuf.current);
      const trainE = hist.epoch('trainLoss');
      const valE = hist.epoch('valLoss');
      const extra = extraCurves(hs, buffers?.metrics.runs[1] ?? null, ui.xAxis, ui.smoothing);
      const yd = extent([raw, trainE, valE, ...extra.map((c) => c.y)], ui.logScale) ?? [0, 1];
      const xd = xDomain(
        hist,
        ui.xAxis,
        extra.map((c) => c.x[c.x.length - 1]),
      );
      const p = makePlot(w, h, xd, ui.logScale ? yd : [0, yd[1]], ui.logScale);
      drawAxes(ctx, p);
      drawEvents(ctx, p, hist, ui.xAxis);
      drawChanges(ctx, p, hist, hs, ui.xAxis);
      for (const c of extra) drawLine(ctx, p, c.x, c.y, { color: c.color, width: 1.6 });
      const train = token('--train');
      const val = token('--val');
      if (ui.smoothing > 0) drawLine(ctx, p, x.step, raw, { color: train, width: 1, alpha: 0.25 });
      drawLine(ctx, p, x.step, smooth, { color: train, width: 2 });
      drawLine(ctx, p, x.epoch, trainE, { color: train, width: 1.2, dash: [4, 3] });
      drawLine(ctx, p, x.epoch, valE, { color: val, width: 2 });
      drawDots(ctx, p, x.epoch, valE, val);
      if (earlyStop) drawBest(ctx, p, hist, x.epoch);
      const lastLoss = smooth[n - 1];
      setText(lossOut.current, fmt(lastLoss, 4));
      setText(valOut.current, fmt(valE[valE.length - 1] ?? Number.NaN, 4));
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
    [ui.xAxis, ui.logScale, ui.smoothing, earlyStop, hs],
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
      setText(lrOut.current, fmt(lr[lr.length - 1], 3));
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
        ...historyLegend(hs),
      ]}
      tools={
        <span className="readout">
          loss{' '}
          <strong ref={lossOut} className="live" data-testid="loss-value">
            –
          </strong>{' '}
          · val{' '}
          <strong ref={valOut} className="live">
            –
          </strong>
        </span>
      }
      subTools={<ChartTools />}
    >
      <canvas ref={ref} className="plot" style={{ height: 190 }} aria-label="Loss over training" role="img" />
      {(hs.changes.length > 0 || hs.branch || hs.overlays.length > 0 || stepped) && (
        <OnDemand what="the run history">
          <RunHistoryBar />
        </OnDemand>
      )}
      <div className="lr-strip">
        <span className="readout">
          learning rate{' '}
          <strong ref={lrOut} className="live" data-testid="lr-value">
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

/** Legend rows of the branch and the kept runs overlaid; an overlay's row toggles it. */
function historyLegend(hs: HistoryState): LegendItem[] {
  const items: LegendItem[] = [];
  if (hs.branch) items.push({ label: `branch @ step ${hs.branch.step}: ${hs.branch.text}`, color: BRANCH_COLOR });
  for (const o of hs.overlays)
    items.push({
      label: o.label,
      color: o.color,
      off: !o.shown,
      onToggle: () =>
        historySlice.set((h) => ({ overlays: h.overlays.map((x) => (x.id === o.id ? { ...x, shown: !x.shown } : x)) })),
    });
  return items;
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
