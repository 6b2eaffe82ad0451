// A small SVG line chart for the lesson demos: several series, optional log y axis, a shaded
// band (the 1e-3 update-ratio band), markers (best epochs). React renders the SVG and d3 only
// does the math (scales, line paths, ticks), so the chart exports as real vector SVG with all
// styling inline.
import * as d3 from 'd3';

export interface Series {
  label: string;
  color: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Drawn thin and translucent (e.g. training loss behind validation loss). */
  faint?: boolean;
  dashed?: boolean;
}

export interface Marker {
  x: number;
  y: number;
  color: string;
  label: string;
}

export interface LineChartProps {
  series: Series[];
  xLabel: string;
  yLabel: string;
  log?: boolean;
  band?: [number, number];
  markers?: Marker[];
  width?: number;
  height?: number;
  /** Vertical lines (phase changes), with a short label. */
  events?: { x: number; label: string }[];
}

const M = { l: 56, r: 12, t: 10, b: 36 };

export function LineChart(p: LineChartProps) {
  const W = p.width ?? 520;
  const H = p.height ?? 260;
  const pts = p.series.flatMap((s) =>
    Array.from({ length: Math.min(s.x.length, s.y.length) }, (_, i) => [s.x[i], s.y[i]] as const),
  );
  const ok = pts.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!p.log || y > 0));
  const xMax = d3.max(ok, (d) => d[0]) ?? 1;
  let [yMin, yMax] = d3.extent(ok, (d) => d[1]) as [number | undefined, number | undefined];
  if (yMin === undefined || yMax === undefined) [yMin, yMax] = p.log ? [1e-4, 1] : [0, 1];
  if (p.band) [yMin, yMax] = [Math.min(yMin, p.band[0]), Math.max(yMax, p.band[1])];
  if (!p.log) yMin = Math.min(0, yMin);
  if (yMax <= yMin) yMax = yMin + (p.log ? yMin * 10 : 1);
  const x = d3.scaleLinear([0, Math.max(xMax, 1e-9)], [M.l, W - M.r]);
  const y = (p.log ? d3.scaleLog([yMin, yMax], [H - M.b, M.t]) : d3.scaleLinear([yMin, yMax], [H - M.b, M.t])).nice();
  const line = (s: Series) => {
    const g = d3
      .line<number>()
      .defined((i) => Number.isFinite(s.y[i]) && (!p.log || s.y[i] > 0))
      .x((i) => x(s.x[i]))
      .y((i) => y(Math.min(s.y[i], y.domain()[1])));
    return g(Array.from({ length: Math.min(s.x.length, s.y.length) }, (_, i) => i)) ?? '';
  };
  const fmtY = p.log ? d3.format('.0e') : d3.format('.3~g');
  const yTicks = p.log ? y.ticks(5).filter((t) => Math.log10(t) % 1 === 0) : y.ticks(5);
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="lesson-chart"
      role="img"
      aria-label={`${p.yLabel} against ${p.xLabel}`}
      fontFamily="system-ui, sans-serif"
      fontSize="12"
    >
      {p.band && (
        <rect
          x={M.l}
          width={W - M.l - M.r}
          y={y(p.band[1])}
          height={Math.max(0, y(p.band[0]) - y(p.band[1]))}
          fill="#2ca02c"
          fillOpacity="0.12"
        />
      )}
      <g stroke="#9aa3ad" strokeWidth="1">
        <line x1={M.l} x2={W - M.r} y1={H - M.b} y2={H - M.b} />
        <line x1={M.l} x2={M.l} y1={M.t} y2={H - M.b} />
      </g>
      <g fill="#5b6570" className="ticks">
        {x.ticks(6).map((t) => (
          <text key={`x${t}`} x={x(t)} y={H - M.b + 16} textAnchor="middle">
            {d3.format('~g')(t)}
          </text>
        ))}
        {yTicks.map((t) => (
          <text key={`y${t}`} x={M.l - 6} y={y(t) + 4} textAnchor="end">
            {fmtY(t)}
          </text>
        ))}
        <text x={(M.l + W - M.r) / 2} y={H - 4} textAnchor="middle">
          {p.xLabel}
        </text>
        <text transform={`translate(12 ${(M.t + H - M.b) / 2}) rotate(-90)`} textAnchor="middle">
          {p.yLabel}
        </text>
      </g>
      {p.events?.map((e) => (
        <g key={`e${e.x}`} stroke="#c77c02" strokeDasharray="3 3">
          <line x1={x(e.x)} x2={x(e.x)} y1={M.t} y2={H - M.b} />
          <text x={x(e.x) + 4} y={M.t + 12} fill="#c77c02" stroke="none">
            {e.label}
          </text>
        </g>
      ))}
      {p.series.map((s) => (
        <path
          key={s.label}
          d={line(s)}
          fill="none"
          stroke={s.color}
          strokeWidth={s.faint ? 1 : 2}
          strokeOpacity={s.faint ? 0.45 : 1}
          strokeDasharray={s.dashed ? '6 4' : undefined}
          className={s.faint ? 'series faint' : 'series'}
          data-label={s.label}
        />
      ))}
      {p.markers?.map((m) => (
        <circle key={m.label} cx={x(m.x)} cy={y(m.y)} r="5" fill="#fff" stroke={m.color} strokeWidth="2.5">
          <title>{m.label}</title>
        </circle>
      ))}
    </svg>
  );
}
