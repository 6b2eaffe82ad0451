// The sweep drawn two ways, as SVG (React renders, d3 does the math: scales, ticks, line paths),
// with every style inline so the export is the picture on screen:
// - heatmap: one row per optimizer (and extra value), one column per lr; colour = the cell's
//   value on a log colour scale (viridis, low loss bright), diverged cells grey with a red cross,
//   cells without a value yet dashed; the best cell of each optimizer outlined; a colour legend.
// - lines: value against lr (both log), one line per optimizer (dashes per extra value), the
//   diverged lrs as crosses in a strip above the plot, each optimizer's best as a ring.
// Hover gives the cell's values (onHover), click opens its run in the playground (onOpen).
import * as d3 from 'd3';
import type { Ref } from 'react';
import type { RunStatusInfo } from '../../../workers/protocol';
import { SLOT_COLORS } from '../../compare/colors';
import type { CellResult, SweepCell, SweepConfig } from '../../compare/sweep';
import { bestCells, sweepLines } from '../../compare/sweepResults';
import { hyperDef } from '../../engine/optimizers/hypers';
import { OPTIMIZER_LABELS } from '../../engine/optimizers/registry';

export interface SweepChartProps {
  sweep: SweepConfig;
  cells: readonly SweepCell[];
  results: readonly CellResult[];
  status: readonly (RunStatusInfo | undefined)[];
  /** Under the title: the data, network and batch size the cells share. */
  subtitle: string;
  dark: boolean;
  svgRef: Ref<SVGSVGElement>;
  onHover: (i: number | null, x: number, y: number) => void;
  onOpen: (i: number) => void;
}

const FONT = 'system-ui, -apple-system, Segoe UI, sans-serif';
const W = 640;
const DASHES = ['', '7 4', '2 3', '10 3 2 3', '4 4', '1 5'];

export interface Palette {
  text: string;
  muted: string;
  grid: string;
  bg: string;
  diverged: string;
  cross: string;
  pending: string;
}

export const palette = (dark: boolean): Palette =>
  dark
    ? {
        text: '#e4e8ef',
        muted: '#a1a9b8',
        grid: '#2a303c',
        bg: '#171b23',
        diverged: '#3b414d',
        cross: '#ff6b76',
        pending: '#5f6879',
      }
    : {
        text: '#1d2330',
        muted: '#5d6677',
        grid: '#e3e6eb',
        bg: '#ffffff',
        diverged: '#d5d8de',
        cross: '#c62f3b',
        pending: '#9aa2b1',
      };

/** "0.001", "0.0316", "3.16e-5": lrs as they are in the grid (3 significant digits). */
export const lrText = (x: number): string => (x >= 1e-4 && x < 1e4 ? String(x) : d3.format('.3~e')(x));
export const valueText = (v: number): string => (Number.isFinite(v) ? d3.format('.3~g')(v) : '–');

/** "SGD", "Momentum μ=0.5": a row's (a line's) name. */
export function rowLabel(optimizer: SweepCell['optimizer'], extra: number | null, s: SweepConfig): string {
  const name = OPTIMIZER_LABELS[optimizer];
  return extra === null || !s.extra ? name : `${name} ${hyperDef(s.extra.key).symbol}=${extra}`;
}

/** The colour scale of the values: log when all are positive; low (good) = bright. */
export function valueScale(values: readonly number[]): { color: (v: number) => string; domain: [number, number] } {
  const ok = values.filter((v) => Number.isFinite(v));
  let [lo, hi] = ok.length > 0 ? (d3.extent(ok) as [number, number]) : [0.1, 1];
  const log = lo > 0;
  if (hi <= lo) [lo, hi] = log ? [lo / 1.5, hi * 1.5] : [lo - 1, hi + 1];
  const t = log ? d3.scaleLog().domain([lo, hi]).range([0, 1]) : d3.scaleLinear().domain([lo, hi]).range([0, 1]);
  return { color: (v) => d3.interpolateViridis(1 - Math.min(1, Math.max(0, t(v)))), domain: [lo, hi] };
}

/** Relative luminance (WCAG) of a CSS colour. */
function luminance(c: string): number {
  const { r, g, b } = d3.rgb(c);
  const lin = (v: number) => {
    const x = v / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
/** Near-black (#10131a, luminance 0.0065) or white, whichever contrasts more with the fill (WCAG ratio). */
const inkOn = (fill: string) =>
  (luminance(fill) + 0.05) / 0.0565 > 1.05 / (luminance(fill) + 0.05) ? '#10131a' : '#ffffff';

function stateText(r: RunStatusInfo | undefined): string {
  return r?.state ?? '';
}

export function SweepHeatmap(p: SweepChartProps) {
  const { sweep: s, cells, results } = p;
  const pal = palette(p.dark);
  const lines = sweepLines(cells, results);
  const best = new Set(bestCells(cells, results).values());
  const n = s.lrCount;
  // Room for the longest row name (about 6.3 px a character at 12 px).
  const left = Math.min(
    230,
    Math.max(90, 14 + 6.3 * Math.max(...lines.map((l) => rowLabel(l.optimizer, l.extra, s).length))),
  );
  const right = 10;
  const top = 48;
  const rowH = lines.length <= 4 ? 40 : lines.length <= 8 ? 32 : 24;
  const cellW = (W - left - right) / n;
  const rotate = cellW < 46;
  const axisH = rotate ? 58 : 34;
  const plotH = lines.length * rowH;
  const legendY = top + plotH + axisH + 14;
  const H = legendY + 58;
  const { color, domain } = valueScale(results.map((r) => r.value));
  const legendW = 250;
  const legendScale = (domain[0] > 0 ? d3.scaleLog() : d3.scaleLinear()).domain(domain).range([0, legendW]);
  // Log ticks crowd at each decade's top: keep those at least 30 px from the last one kept.
  const legendTicks: number[] = [];
  for (const t of legendScale.ticks(6).filter((v) => v >= domain[0] && v <= domain[1]))
    if (legendTicks.length === 0 || legendScale(t) - legendScale(legendTicks[legendTicks.length - 1]) >= 30)
      legendTicks.push(t);
  // cell index by (row, column): rows follow sweepLines' order, which is the cells' order.
  let k = 0;
  const grid = lines.map((l) => l.lrs.map(() => k++));
  const metricWord = s.metric === 'final' ? 'Final' : 'Best';
  return (
    // biome-ignore lint/a11y/useSemanticElements: an <svg> holding the cells (buttons); role img would hide them from assistive tech
    <svg
      ref={p.svgRef}
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      role="group"
      aria-label={`${metricWord} validation loss of ${cells.length} runs`}
      data-testid="sweep-heatmap"
      style={{ display: 'block', fontFamily: FONT }}
      onMouseLeave={() => p.onHover(null, 0, 0)}
    >
      <defs>
        <linearGradient id="sweep-legend" x1="0" x2="1" y1="0" y2="0">
          {d3.range(0, 1.0001, 0.1).map((t) => (
            <stop
              key={t}
              offset={t}
              stopColor={color(
                domain[0] > 0 ? domain[0] * (domain[1] / domain[0]) ** t : domain[0] + t * (domain[1] - domain[0]),
              )}
            />
          ))}
        </linearGradient>
      </defs>
      <text x={0} y={18} fontSize={15} fontWeight={600} fill={pal.text} fontFamily={FONT}>
        {metricWord} validation loss after {s.epochs} epoch{s.epochs === 1 ? '' : 's'}
      </text>
      <text x={0} y={36} fontSize={11.5} fill={pal.muted} fontFamily={FONT}>
        {p.subtitle}
      </text>
      {lines.map((l, r) => (
        <text
          key={`${l.optimizer}|${l.extra}`}
          x={left - 8}
          y={top + r * rowH + rowH / 2 + 4}
          textAnchor="end"
          fontSize={12}
          fill={pal.text}
          fontFamily={FONT}
        >
          {rowLabel(l.optimizer, l.extra, s)}
        </text>
      ))}
      {lines[0]?.lrs.map((lr, c) => {
        const x = left + c * cellW + cellW / 2;
        const y = top + plotH + 14;
        return (
          <text
            key={lr}
            x={x}
            y={y}
            fontSize={10.5}
            fill={pal.muted}
            fontFamily={FONT}
            textAnchor={rotate ? 'end' : 'middle'}
            transform={rotate ? `rotate(-40 ${x} ${y - 4})` : undefined}
          >
            {lrText(lr)}
          </text>
        );
      })}
      <text
        x={left + (W - left - right) / 2}
        y={top + plotH + axisH}
        textAnchor="middle"
        fontSize={12}
        fill={pal.text}
        fontFamily={FONT}
      >
        learning rate (log-spaced)
      </text>
      {grid.map((row, r) =>
        row.map((i, c) => {
          const res = results[i];
          const x = left + c * cellW;
          const y = top + r * rowH;
          const has = Number.isFinite(res?.value);
          const fill = res?.diverged ? pal.diverged : has ? color(res.value) : 'none';
          const isBest = best.has(i);
          const label = `${rowLabel(cells[i].optimizer, cells[i].extra, s)}, lr ${lrText(cells[i].lr)}: ${
            res?.diverged ? 'diverged' : has ? valueText(res.value) : 'no value yet'
          }${isBest ? ' (best of this optimizer)' : ''}`;
          return (
            // biome-ignore lint/a11y/useSemanticElements: an SVG cell cannot be a <button>; it acts as one (Enter opens it)
            <g
              key={i}
              role="button"
              tabIndex={0}
              aria-label={label}
              data-testid="sweep-cell"
              data-i={i}
              data-optimizer={cells[i].optimizer}
              data-lr={cells[i].lr}
              data-extra={cells[i].extra ?? ''}
              data-value={has ? res.value : ''}
              data-diverged={res?.diverged ? '1' : '0'}
              data-best={isBest ? '1' : '0'}
              data-fill={fill}
              data-state={stateText(p.status[i])}
              style={{ cursor: 'pointer' }}
              onMouseMove={(e) => p.onHover(i, e.clientX, e.clientY)}
              onFocus={(e) => {
                const b = e.currentTarget.getBoundingClientRect();
                p.onHover(i, b.right, b.bottom);
              }}
              onBlur={() => p.onHover(null, 0, 0)}
              onClick={() => p.onOpen(i)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  p.onOpen(i);
                }
              }}
            >
              <rect
                x={x + 1}
                y={y + 1}
                width={cellW - 2}
                height={rowH - 2}
                rx={2}
                fill={fill}
                stroke={has || res?.diverged ? 'none' : pal.pending}
                strokeDasharray={has || res?.diverged ? undefined : '3 3'}
              />
              {res?.diverged && (
                <path
                  d={`M${x + cellW / 2 - 5},${y + rowH / 2 - 5}l10,10M${x + cellW / 2 + 5},${y + rowH / 2 - 5}l-10,10`}
                  stroke={pal.cross}
                  strokeWidth={2}
                  strokeLinecap="round"
                />
              )}
              {has && cellW >= 34 && (
                <text
                  x={x + cellW / 2}
                  y={y + rowH / 2 + 3.5}
                  textAnchor="middle"
                  fontSize={cellW >= 48 ? 10.5 : 9}
                  fill={inkOn(fill)}
                  fontFamily={FONT}
                  pointerEvents="none"
                >
                  {valueText(res.value)}
                </text>
              )}
            </g>
          );
        }),
      )}
      {/* The best cell of each optimizer: a dark outline inside a white one, visible on any colour. */}
      {grid.flatMap((row, r) =>
        row
          .map((i, c) => [i, c] as const)
          .filter(([i]) => best.has(i))
          .map(([i, c]) => (
            <g key={`best${i}`} data-testid="sweep-best" data-i={i} pointerEvents="none">
              <rect
                x={left + c * cellW + 1}
                y={top + r * rowH + 1}
                width={cellW - 2}
                height={rowH - 2}
                rx={2}
                fill="none"
                stroke="#ffffff"
                strokeWidth={5}
              />
              <rect
                x={left + c * cellW + 1}
                y={top + r * rowH + 1}
                width={cellW - 2}
                height={rowH - 2}
                rx={2}
                fill="none"
                stroke="#10131a"
                strokeWidth={2.2}
              />
            </g>
          )),
      )}
      <g transform={`translate(${left},${legendY})`} data-testid="sweep-legend">
        <rect width={legendW} height={12} fill="url(#sweep-legend)" />
        {legendTicks.map((t) => (
          <g key={t} transform={`translate(${legendScale(t)},0)`}>
            <line y1={12} y2={16} stroke={pal.muted} />
            <text y={28} textAnchor="middle" fontSize={10.5} fill={pal.muted} fontFamily={FONT}>
              {valueText(t)}
            </text>
          </g>
        ))}
        <text y={44} fontSize={11} fill={pal.text} fontFamily={FONT}>
          validation loss ({valueText(domain[0])} to {valueText(domain[1])}
          {domain[0] > 0 ? ', log scale' : ''}; low is bright)
        </text>
        <g transform={`translate(${legendW + 20},0)`}>
          <rect width={16} height={12} fill={pal.diverged} />
          <path d="M3,1l10,10M13,1l-10,10" stroke={pal.cross} strokeWidth={2} />
          <text x={22} y={10} fontSize={11} fill={pal.text} fontFamily={FONT}>
            diverged
          </text>
          <rect y={20} width={16} height={12} fill="none" stroke="#10131a" strokeWidth={2.2} />
          <text x={22} y={30} fontSize={11} fill={pal.text} fontFamily={FONT}>
            best of its optimizer
          </text>
          <rect x={130} width={16} height={12} fill="none" stroke={pal.pending} strokeDasharray="3 3" />
          <text x={152} y={10} fontSize={11} fill={pal.text} fontFamily={FONT}>
            no value yet
          </text>
        </g>
      </g>
    </svg>
  );
}

export function SweepLineView(p: SweepChartProps) {
  const { sweep: s, cells, results } = p;
  const pal = palette(p.dark);
  const lines = sweepLines(cells, results);
  const best = new Set(bestCells(cells, results).values());
  const m = { l: 62, r: 14, t: 48, b: 44 };
  const strip = 22; // the "diverged" strip above the plot
  const legendRows = Math.ceil(lines.length / 4);
  const H = 380 + legendRows * 18;
  const plotBottom = H - m.b - legendRows * 18 - 8;
  const x = d3
    .scaleLog()
    .domain([s.lrMin, s.lrMax])
    .range([m.l + 8, W - m.r - 8]);
  const ok = results.map((r) => r.value).filter((v) => Number.isFinite(v) && v > 0);
  const [lo, hi] = ok.length > 0 ? (d3.extent(ok) as [number, number]) : [0.1, 1];
  const y = d3
    .scaleLog()
    .domain(hi > lo ? [lo / 1.15, hi * 1.15] : [lo / 2, hi * 2])
    .range([plotBottom, m.t + strip + 6]);
  const optIndex = (o: string) => s.optimizers.indexOf(o as SweepConfig['optimizers'][number]);
  const extraIndex = (e: number | null) => (e === null || !s.extra ? 0 : s.extra.values.indexOf(e));
  const yTicks = y.ticks(6);
  const yShown = yTicks.length > 8 ? y.ticks(3) : yTicks;
  const fmtY = y.tickFormat(6, '.2~g');
  let k = 0;
  const index = lines.map((l) => l.lrs.map(() => k++));
  const metricWord = s.metric === 'final' ? 'Final' : 'Best';
  const hoverAt = (i: number) => (e: { clientX: number; clientY: number }) => p.onHover(i, e.clientX, e.clientY);
  return (
    <svg
      ref={p.svgRef}
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      role="img"
      aria-label={`${metricWord} validation loss against learning rate, one line per optimizer`}
      data-testid="sweep-lines"
      style={{ display: 'block', fontFamily: FONT }}
      onMouseLeave={() => p.onHover(null, 0, 0)}
    >
      <text x={0} y={18} fontSize={15} fontWeight={600} fill={pal.text} fontFamily={FONT}>
        {metricWord} validation loss after {s.epochs} epoch{s.epochs === 1 ? '' : 's'} vs learning rate
      </text>
      <text x={0} y={36} fontSize={11.5} fill={pal.muted} fontFamily={FONT}>
        {p.subtitle}
      </text>
      <rect x={m.l} y={m.t} width={W - m.l - m.r} height={strip} fill={pal.grid} opacity={0.6} />
      <text x={m.l - 6} y={m.t + strip / 2 + 4} textAnchor="end" fontSize={10.5} fill={pal.muted} fontFamily={FONT}>
        diverged
      </text>
      {yShown.map((t) => (
        <g key={`y${t}`}>
          <line x1={m.l} x2={W - m.r} y1={y(t)} y2={y(t)} stroke={pal.grid} />
          <text x={m.l - 6} y={y(t) + 3.5} textAnchor="end" fontSize={10.5} fill={pal.muted} fontFamily={FONT}>
            {fmtY(t)}
          </text>
        </g>
      ))}
      {lines[0]?.lrs.map((lr) => (
        <g key={`x${lr}`}>
          <line x1={x(lr)} x2={x(lr)} y1={m.t + strip} y2={plotBottom} stroke={pal.grid} />
          <text x={x(lr)} y={plotBottom + 16} textAnchor="middle" fontSize={10} fill={pal.muted} fontFamily={FONT}>
            {lrText(lr)}
          </text>
        </g>
      ))}
      <line x1={m.l} x2={W - m.r} y1={plotBottom} y2={plotBottom} stroke={pal.muted} />
      <line x1={m.l} x2={m.l} y1={m.t} y2={plotBottom} stroke={pal.muted} />
      <text
        x={(m.l + W - m.r) / 2}
        y={plotBottom + 34}
        textAnchor="middle"
        fontSize={12}
        fill={pal.text}
        fontFamily={FONT}
      >
        learning rate (log scale)
      </text>
      <text
        transform={`translate(14,${(m.t + strip + plotBottom) / 2}) rotate(-90)`}
        textAnchor="middle"
        fontSize={12}
        fill={pal.text}
        fontFamily={FONT}
      >
        validation loss (log scale)
      </text>
      {lines.map((l, li) => {
        const colour = SLOT_COLORS[optIndex(l.optimizer) % SLOT_COLORS.length];
        const dash = DASHES[extraIndex(l.extra) % DASHES.length];
        const path = d3
          .line<number>()
          .defined((i) => Number.isFinite(l.values[i]) && l.values[i] > 0)
          .x((i) => x(l.lrs[i]))
          .y((i) => y(l.values[i]))(l.lrs.map((_, i) => i));
        return (
          <g key={`${l.optimizer}|${l.extra}`} data-testid="sweep-line" data-optimizer={l.optimizer}>
            <path d={path ?? ''} fill="none" stroke={colour} strokeWidth={2.2} strokeDasharray={dash || undefined} />
            {l.lrs.map((lr, j) => {
              const i = index[li][j];
              const r = results[i];
              if (r?.diverged) {
                // Each line's crosses at its own height in the strip, so crosses at one lr do not hide each other.
                const cx = x(lr);
                const cy = m.t + strip / 2 + (li - (lines.length - 1) / 2) * Math.min(6, 16 / lines.length);
                return (
                  // biome-ignore lint/a11y/noStaticElementInteractions: hover shows the tooltip; the heatmap's cells are the keyboard path
                  <g key={lr} onMouseMove={hoverAt(i)} onClick={() => p.onOpen(i)} style={{ cursor: 'pointer' }}>
                    <path d={`M${cx - 4},${cy - 4}l8,8M${cx + 4},${cy - 4}l-8,8`} stroke={colour} strokeWidth={2} />
                    <circle cx={cx} cy={cy} r={8} fill="transparent" />
                  </g>
                );
              }
              if (!Number.isFinite(r?.value) || r.value <= 0) return null;
              return (
                // biome-ignore lint/a11y/noStaticElementInteractions: hover shows the tooltip; the heatmap's cells are the keyboard path
                <g key={lr} onMouseMove={hoverAt(i)} onClick={() => p.onOpen(i)} style={{ cursor: 'pointer' }}>
                  <circle
                    cx={x(lr)}
                    cy={y(r.value)}
                    r={best.has(i) ? 6 : 2.8}
                    fill={best.has(i) ? 'none' : colour}
                    stroke={colour}
                    strokeWidth={best.has(i) ? 2.4 : 0}
                    data-best={best.has(i) ? '1' : undefined}
                  />
                  <circle cx={x(lr)} cy={y(r.value)} r={8} fill="transparent" />
                </g>
              );
            })}
          </g>
        );
      })}
      <g transform={`translate(${m.l},${H - legendRows * 18 - 4})`}>
        {lines.map((l, li) => {
          const colour = SLOT_COLORS[optIndex(l.optimizer) % SLOT_COLORS.length];
          const dash = DASHES[extraIndex(l.extra) % DASHES.length];
          const col = li % 4;
          const row = Math.floor(li / 4);
          return (
            <g key={`${l.optimizer}|${l.extra}`} transform={`translate(${col * 140},${row * 18})`}>
              <line
                x1={0}
                x2={22}
                y1={-4}
                y2={-4}
                stroke={colour}
                strokeWidth={2.2}
                strokeDasharray={dash || undefined}
              />
              <text x={28} y={0} fontSize={11} fill={pal.text} fontFamily={FONT}>
                {rowLabel(l.optimizer, l.extra, s)}
              </text>
            </g>
          );
        })}
      </g>
      <text x={W - m.r} y={H - 4} textAnchor="end" fontSize={10.5} fill={pal.muted} fontFamily={FONT}>
        ring: each optimizer's best lr
      </text>
    </svg>
  );
}
