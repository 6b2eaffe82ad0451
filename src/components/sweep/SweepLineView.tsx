// The sweep as the classic line view (SVG, styles inline so the export is the picture on screen):
// value against lr (both log), one line per optimizer (dashes per extra value), the diverged lrs as
// crosses in a strip above the plot, each optimizer's best as a ring. Shared parts: SweepChart.tsx.
import * as d3 from 'd3';
import { SLOT_COLORS } from '../../compare/colors';
import type { SweepConfig } from '../../compare/sweep';
import { bestCells, sweepLines } from '../../compare/sweepResults';
import { DASHES, FONT, lrText, palette, rowLabel, type SweepChartProps, W } from './SweepChart';

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
