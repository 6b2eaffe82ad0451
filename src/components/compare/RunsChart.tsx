// One chart of a compare race: every run's curve in its slot colour, over the same x axis
// (steps or epochs, the playground's choice), with a legend whose entries hide and show runs
// and a hover readout of each visible run's value. Drawn on canvas from the metric ring buffers
// with the playground's plot helpers; React re-renders only when the legend changes.
import { type ReactNode, useRef } from 'react';
import { slotLabels } from '../../compare/compareSet';
import { toggleRun, useCompare } from '../../state/compareSlice';
import { useStore } from '../../state/store';
import type { RunHistory } from '../../trainer/metricsBuffer';
import { useRunBuffers } from '../../trainer/runBuffers';
import { useHover } from '../charts/ChartCard';
import { useCanvasLoop } from '../charts/canvas';
import { token } from '../charts/colors';
import { drawAxes, drawEmpty, drawLine, drawReadout, extent, makePlot, nearest } from '../charts/plot';
import { fmt } from '../format';

/** One curve of one run: x and y columns and how to draw it. */
export interface RunLine {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  dash?: number[];
  width?: number;
  alpha?: number;
  /** Used by the hover readout (the first line with `readout` set is read). */
  readout?: string;
}

export interface RunsChartProps {
  title: string;
  help: string;
  testId: string;
  /** The curves of run r, given its history, the x axis and the smoothing weight (module-level, so stable). */
  lines: (h: RunHistory, axis: 'steps' | 'epochs', smoothing: number) => RunLine[];
  log?: boolean;
  /** Fixed y domain (accuracy: [0, 1]); else the extent of the visible curves. */
  yDomain?: [number, number];
  /** Shaded horizontal band (the update ratio's healthy 1e-3 decade). */
  band?: [number, number];
  /** Key of the line styles under the legend, e.g. "solid: train · dashed: validation". */
  styleKey?: ReactNode;
  height?: number;
}

/** x of the step columns and of the epoch columns for the chosen axis. */
export function runXs(h: RunHistory, axis: 'steps' | 'epochs') {
  return axis === 'steps'
    ? { step: h.step('step'), epoch: h.epoch('step') }
    : { step: h.step('epoch'), epoch: h.epoch('epoch') };
}

export function RunLegend() {
  const slots = useCompare((s) => s.compare.slots);
  const hidden = useCompare((s) => s.hidden);
  const labels = slotLabels(slots);
  return (
    <ul className="legend run-legend">
      {slots.map((s, i) => (
        <li key={s.color}>
          <button
            type="button"
            aria-pressed={!hidden[i]}
            onClick={() => toggleRun(i)}
            title={`${hidden[i] ? 'Show' : 'Hide'} ${labels[i]}`}
            data-run={i}
          >
            <span className="swatch" style={{ borderColor: s.color, opacity: hidden[i] ? 0.3 : 1 }} />
            {labels[i]}
          </button>
        </li>
      ))}
    </ul>
  );
}

export function RunsChart({
  title,
  help,
  testId,
  lines,
  log = false,
  yDomain,
  band,
  styleKey,
  height = 200,
}: RunsChartProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const hover = useHover(ref);
  const xAxis = useStore((s) => s.ui.xAxis);
  const smoothing = useStore((s) => s.ui.smoothing);
  const slots = useCompare((s) => s.compare.slots);
  const hidden = useCompare((s) => s.hidden);
  const buffers = useRunBuffers();
  useCanvasLoop(
    ref,
    () => `${buffers?.metrics.version}|${hover.current.v}`,
    (ctx, w, h) => {
      const runs = buffers?.metrics.runs ?? [];
      const drawn: { r: number; lines: RunLine[] }[] = [];
      runs.forEach((hist, r) => {
        if (!hist || hidden[r] || !slots[r] || hist.steps.size === 0) return;
        drawn.push({ r, lines: lines(hist, xAxis, smoothing) });
      });
      if (drawn.length === 0) {
        drawEmpty(ctx, w, h, 'Press play to start the race');
        canvasState(ref.current, 0);
        return;
      }
      const all = drawn.flatMap((d) => d.lines);
      const xd = extent(
        all.map((l) => l.xs),
        false,
      ) ?? [0, 1];
      const yd = yDomain ??
        extent(
          all.map((l) => l.ys),
          log,
        ) ?? [0, 1];
      const p = makePlot(w, h, [0, Math.max(1, xd[1])], log || yDomain ? yd : [Math.min(0, yd[0]), yd[1]], log);
      drawAxes(ctx, p);
      if (band) {
        ctx.fillStyle = token('--band');
        const y0 = p.y(band[1]);
        ctx.fillRect(p.box.l, y0, p.box.r - p.box.l, p.y(band[0]) - y0);
      }
      for (const d of drawn)
        for (const l of d.lines)
          drawLine(ctx, p, l.xs, l.ys, {
            color: slots[d.r].color,
            width: l.width ?? 1.8,
            dash: l.dash,
            alpha: l.alpha,
          });
      canvasState(ref.current, drawn.length);
      const hx = hover.current.x;
      if (hx !== null && hx >= p.box.l && hx <= p.box.r) {
        const x = p.x.invert(hx);
        const labels = slotLabels(slots);
        const rows: [string, string][] = [];
        for (const d of drawn) {
          const l = d.lines.find((q) => q.readout) ?? d.lines[0];
          const i = nearest(l.xs, x);
          if (i >= 0) rows.push([slots[d.r].color, `${labels[d.r]}: ${fmt(l.ys[i], 4)}`]);
        }
        drawReadout(ctx, p, hx, rows);
      }
    },
    [xAxis, smoothing, slots, hidden, log, yDomain, band, lines],
  );
  return (
    <section className="card" data-testid={testId} aria-label={title}>
      <header className="card-head">
        <h2 title={help}>{title}</h2>
        {styleKey && <span className="card-tools">{styleKey}</span>}
      </header>
      <RunLegend />
      <canvas ref={ref} className="plot" style={{ height }} role="img" aria-label={`${title} of every optimizer`} />
    </section>
  );
}

/** How many runs the canvas shows, for tests and assistive tech (the canvas itself is opaque). */
function canvasState(c: HTMLCanvasElement | null, runs: number) {
  if (c && c.dataset.runs !== String(runs)) c.dataset.runs = String(runs);
}
