// One chart of a compare race: every run's curve in its slot colour, over the same x axis
// (steps or epochs, the playground's choice), with a legend whose entries hide and show runs
// and a hover readout of each visible run's value. Drawn on canvas from the metric ring buffers
// with the playground's plot helpers; React re-renders only when the legend changes.
// The runs are the compare set's (store, useRunBuffers) unless a RacersContext names others: a
// lesson demo draws its presets with these same charts (src/components/lessons/LessonDemo.tsx).
import { createContext, type ReactNode, useContext, useMemo, useRef } from 'react';
import { type Band, bandOf, runOf } from '../../compare/bands';
import { slotLabels } from '../../compare/compareSet';
import { toggleRun, useCompare } from '../../state/compareSlice';
import { useStore } from '../../state/store';
import type { MetricsBuffer, RunHistory } from '../../trainer/metricsBuffer';
import { useRunBuffers } from '../../trainer/runBuffers';
import { useHover } from '../charts/ChartCard';
import { useCanvasLoop } from '../charts/canvas';
import { token } from '../charts/colors';
import { drawAxes, drawBand, drawEmpty, drawLine, drawReadout, extent, makePlot, nearest } from '../charts/plot';
import { fmt } from '../format';
import { CardExport } from '../presenter/CardExport';

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

/** Runs drawn instead of the compare set's: their labels and colours, legend state, their metrics and x axis. */
export interface Racers {
  labels: readonly string[];
  colors: readonly string[];
  hidden: readonly boolean[];
  toggle(i: number): void;
  metrics: MetricsBuffer;
  xAxis: 'steps' | 'epochs';
}

export const RacersContext = createContext<Racers | null>(null);

/** The runs to draw: the context's, else the compare set's (one seed each unless a seed band). */
function useRacers() {
  const own = useContext(RacersContext);
  const slots = useCompare((s) => s.compare.slots);
  const hidden = useCompare((s) => s.hidden);
  const seeds = useCompare((s) => s.compare.seeds);
  const xAxis = useStore((s) => s.ui.xAxis);
  const buffers = useRunBuffers();
  const labels = useMemo(() => slotLabels(slots), [slots]);
  const colors = useMemo(() => slots.map((s) => s.color), [slots]);
  if (own) return { ...own, seeds: 1 };
  return {
    labels,
    colors,
    hidden,
    toggle: toggleRun,
    metrics: buffers?.metrics ?? null,
    xAxis,
    seeds,
  };
}

/** x of the step columns and of the epoch columns for the chosen axis. */
export function runXs(h: RunHistory, axis: 'steps' | 'epochs') {
  return axis === 'steps'
    ? { step: h.step('step'), epoch: h.epoch('step') }
    : { step: h.step('epoch'), epoch: h.epoch('epoch') };
}

export function RunLegend() {
  const { labels, colors, hidden, toggle } = useRacers();
  return (
    <ul className="legend run-legend">
      {colors.map((color, i) => (
        <li key={color}>
          <button
            type="button"
            aria-pressed={!hidden[i]}
            onClick={() => toggle(i)}
            title={`${hidden[i] ? 'Show' : 'Hide'} ${labels[i]}`}
            data-run={i}
          >
            <span className="swatch" style={{ borderColor: color, opacity: hidden[i] ? 0.3 : 1 }} />
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
  const smoothing = useStore((s) => s.ui.smoothing);
  const { labels, colors, hidden, metrics, xAxis, seeds } = useRacers();
  useCanvasLoop(
    ref,
    () => `${metrics?.version}|${hover.current.v}`,
    (ctx, w, h) => {
      const runs = metrics?.runs ?? [];
      const drawn = racerCurves(runs, colors.length, seeds, hidden, (hist) => lines(hist, xAxis, smoothing), log);
      if (drawn.length === 0) {
        drawEmpty(ctx, w, h, 'Press play to start the race');
        canvasState(ref.current, 0, 0, 0);
        return;
      }
      const all = drawn.flatMap((d) => [
        ...d.lines,
        ...(d.band
          ? [
              { xs: d.band.xs, ys: d.band.lo },
              { xs: d.band.xs, ys: d.band.hi },
            ]
          : []),
      ]);
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
      const hx = hover.current.x;
      const hovering = hx !== null && hx >= p.box.l && hx <= p.box.r;
      let bands = 0;
      let members = 0;
      for (const d of drawn) {
        const color = colors[d.r];
        if (d.band && drawBand(ctx, p, d.band.xs, d.band.lo, d.band.hi, color) > 0) bands++;
        // On hover, the band's members: each seed's own curve, thin.
        if (hovering)
          for (const m of d.members) {
            drawLine(ctx, p, m.xs, m.ys, { color, width: 0.8, alpha: 0.55 });
            members++;
          }
        for (const l of d.lines)
          drawLine(ctx, p, l.xs, l.ys, { color, width: l.width ?? 1.8, dash: l.dash, alpha: l.alpha });
      }
      canvasState(ref.current, drawn.length, bands, members);
      if (hovering) {
        const x = p.x.invert(hx);
        const rows: [string, string][] = [];
        for (const d of drawn) {
          const l = d.lines.find((q) => q.readout) ?? d.lines[0];
          const i = nearest(l.xs, x);
          if (i < 0) continue;
          const range = d.band ? ` (${fmt(d.band.lo[i], 3)}–${fmt(d.band.hi[i], 3)}, ${d.band.n[i]} runs)` : '';
          rows.push([colors[d.r], `${labels[d.r]}: ${fmt(l.ys[i], 4)}${range}`]);
        }
        drawReadout(ctx, p, hx, rows);
      }
    },
    [xAxis, smoothing, labels, colors, seeds, hidden, metrics, log, yDomain, band, lines],
  );
  return (
    <section className="card" data-testid={testId} aria-label={title}>
      <header className="card-head">
        <h2 title={help}>{title}</h2>
        <span className="card-tools">
          {styleKey}
          <CardExport />
        </span>
      </header>
      <RunLegend />
      <canvas ref={ref} className="plot" style={{ height }} role="img" aria-label={`${title} of every optimizer`} />
    </section>
  );
}

/** How many racers, seed bands and (on hover) seed curves the canvas shows, for tests and assistive tech (the canvas itself is opaque). */
function canvasState(c: HTMLCanvasElement | null, runs: number, bands: number, members: number) {
  if (!c) return;
  const set = (k: string, v: number) => {
    if (c.dataset[k] !== String(v)) c.dataset[k] = String(v);
  };
  set('runs', runs);
  set('bands', bands);
  set('members', members);
}

/** One racer's curves: its lines (each the mean over seeds), the band of its readout line, its seeds' own. */
interface RacerCurves {
  r: number;
  lines: RunLine[];
  band: (Band & { xs: ArrayLike<number> }) | null;
  members: RunLine[];
}

/**
 * Each visible racer's curves from the runs of its seeds (bands.ts runOf). With one seed, the
 * run's lines; with several, each line becomes the seeds' mean (geometric on a log axis) over the
 * longest member's x, and the readout line gets the min-max band.
 */
function racerCurves(
  runs: readonly (RunHistory | null | undefined)[],
  S: number,
  seeds: number,
  hidden: readonly boolean[],
  linesOf: (h: RunHistory) => RunLine[],
  log: boolean,
): RacerCurves[] {
  const out: RacerCurves[] = [];
  for (let i = 0; i < S; i++) {
    if (hidden[i]) continue;
    const members: RunLine[][] = [];
    for (let k = 0; k < seeds; k++) {
      const hist = runs[runOf(i, k, S)];
      if (hist && hist.steps.size > 0) members.push(linesOf(hist));
    }
    if (members.length === 0) continue;
    if (seeds === 1) {
      out.push({ r: i, lines: members[0], band: null, members: [] });
      continue;
    }
    const main = Math.max(
      0,
      members[0].findIndex((l) => l.readout),
    );
    let band: RacerCurves['band'] = null;
    const lines = members[0].map((first, j) => {
      const xs = members.reduce((a, m) => (m[j].xs.length > a.length ? m[j].xs : a), first.xs);
      const b = bandOf(
        members.map((m) => m[j].ys),
        log,
      );
      if (j === main) band = { ...b, xs };
      return { ...first, xs, ys: b.mean };
    });
    out.push({ r: i, lines, band, members: members.map((m) => m[main]) });
  }
  return out;
}
