// The sweep as a heatmap (SVG, styles inline so the export is the picture on screen): one row per
// optimizer (and extra value), one column per lr; colour = the cell's value on a log colour scale
// (viridis, low loss bright), diverged cells grey with a red cross, cells without a value yet
// dashed; the best cell of each optimizer outlined; a colour legend. Shared parts: SweepChart.tsx.
import * as d3 from 'd3';
import { bestCells, sweepLines } from '../../compare/sweepResults';
import {
  FONT,
  inkOn,
  lrText,
  palette,
  rowLabel,
  type SweepChartProps,
  stateText,
  valueScale,
  valueText,
  W,
} from './SweepChart';

/** The best cell's outline: [stroke, width], a dark line drawn over a wider white one, visible on any colour. */
const BEST_OUTLINE: [string, number][] = [
  ['#ffffff', 5],
  ['#10131a', 2.2],
];

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
              {BEST_OUTLINE.map(([stroke, strokeWidth]) => (
                <rect
                  key={stroke}
                  x={left + c * cellW + 1}
                  y={top + r * rowH + 1}
                  width={cellW - 2}
                  height={rowH - 2}
                  rx={2}
                  fill="none"
                  stroke={stroke}
                  strokeWidth={strokeWidth}
                />
              ))}
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
