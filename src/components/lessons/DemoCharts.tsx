// The lesson demo's pictures that have no counterpart among the playground's charts, all SVG with
// inline styling (so they export as vector SVG): each preset's final weight histogram, the spread of
// each hidden layer's activations per preset, and the optimizer arena (computed here, with the
// engine, from the lesson's arena: it trains no network).
import * as d3 from 'd3';
import { runArena } from '../../engine/arena';
import { makeTestFunction } from '../../engine/data/testFunctions';
import { DEFAULT_CONFIG } from '../../engine/defaults';
import type { OptimizerConfig } from '../../engine/types';
import type { LessonArena } from '../../lessons/types';
import type { WeightStats } from '../../trainer/lessonClient';

/** A preset as these charts name it. */
export interface Named {
  id: string;
  label: string;
  color: string;
}

export interface ArenaPicture {
  fn: string;
  /** f on a res x res grid over [xMin, xMax] x [yMin, yMax], row 0 at yMax. */
  grid: { res: number; xMin: number; xMax: number; yMin: number; yMax: number; f: Float64Array };
  paths: { label: string; color: string; x: Float64Array; y: Float64Array }[];
}

/** The arena of a lesson: its optimizer paths and f on a grid around them. */
export function arenaPicture(a: LessonArena, res = 60): ArenaPicture {
  const fn = makeTestFunction(a.fn, a.params);
  const paths = a.runs.map((r) => {
    const p = runArena(fn, { ...DEFAULT_CONFIG.optimizer, ...r.optimizer } as OptimizerConfig, a.start, a.steps);
    return { label: r.label, color: r.color, x: p.x, y: p.y };
  });
  const span = Math.max(Math.abs(a.start[0]), Math.abs(a.start[1])) * 1.25;
  const [xMin, xMax, yMin, yMax] = [-span, span, -span, span];
  const f = new Float64Array(res * res);
  for (let r = 0; r < res; r++)
    for (let c = 0; c < res; c++)
      f[r * res + c] = fn.f(xMin + ((c + 0.5) / res) * (xMax - xMin), yMax - ((r + 0.5) / res) * (yMax - yMin));
  return { fn: fn.label, grid: { res, xMin, xMax, yMin, yMax, f }, paths };
}

export function WeightsChart({
  s,
  w,
  width = 240,
  height = 160,
}: {
  s: Named;
  w: WeightStats | null;
  width?: number;
  height?: number;
}) {
  if (!w) return <p className="muted">when the run has ended…</p>;
  const top = 30;
  const y = d3.scaleSqrt([0, d3.max(w.bins) ?? 1], [height - 18, top]);
  const bw = width / w.bins.length;
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className="lesson-hist"
      role="img"
      aria-label={`weight histogram: ${s.label}`}
      fontFamily="system-ui, sans-serif"
      fontSize="11"
    >
      {w.bins
        .map((n, i) => ({ id: `b${i}`, n, i }))
        .map(({ id, n, i }) => (
          <rect key={id} x={i * bw + 0.5} width={bw - 1} y={y(n)} height={height - 18 - y(n)} fill={s.color} />
        ))}
      <text x="2" y="11" fill="#333">
        ‖w‖ = {w.l2.toFixed(2)}
      </text>
      <text x="2" y="25" fill="#333">
        w = 0: {w.exactZeros} of {w.count} · |w| &lt; 10⁻³: {w.nearZeros}
      </text>
      <text x="2" y={height - 4} fill="#5b6570">
        −{w.range}
      </text>
      <text x={width / 2} y={height - 4} fill="#5b6570" textAnchor="middle">
        0
      </text>
      <text x={width - 2} y={height - 4} fill="#5b6570" textAnchor="end">
        {w.range}
      </text>
    </svg>
  );
}

export function ActivationsChart({
  presets,
  width = 520,
  height = 200,
}: {
  /** Per preset: the standard deviation of each hidden layer's outputs (null before its run ended). */
  presets: (Named & { std: number[] | null })[];
  width?: number;
  height?: number;
}) {
  const withStats = presets.filter((p) => p.std);
  const L = Math.max(0, ...withStats.map((p) => p.std?.length ?? 0));
  if (L === 0) return <p className="muted">when the runs have ended…</p>;
  const M = { l: 44, b: 24, t: 8 };
  const yMax = Math.max(0.05, ...withStats.flatMap((p) => p.std ?? []));
  const y = d3.scaleLinear([0, yMax], [height - M.b, M.t]).nice();
  const group = (width - M.l) / L;
  const bar = (group - 8) / Math.max(1, withStats.length);
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className="lesson-acts"
      role="img"
      aria-label="standard deviation of each hidden layer's activations"
      fontFamily="system-ui, sans-serif"
      fontSize="11"
    >
      {y.ticks(4).map((t) => (
        <text key={t} x={M.l - 6} y={y(t) + 4} textAnchor="end" fill="#5b6570">
          {d3.format('.2~f')(t)}
        </text>
      ))}
      {Array.from({ length: L }, (_, l) => ({ id: `l${l}`, l })).map(({ id, l }) => (
        <g key={id}>
          {withStats.map((p, k) => {
            const v = p.std?.[l] ?? 0;
            return (
              <rect
                key={p.id}
                x={M.l + l * group + 4 + k * bar}
                width={bar - 2}
                y={y(v)}
                height={height - M.b - y(v)}
                fill={p.color}
              />
            );
          })}
          <text x={M.l + l * group + group / 2} y={height - 8} textAnchor="middle" fill="#5b6570">
            layer {l + 1}
          </text>
        </g>
      ))}
    </svg>
  );
}

export function ArenaChart({ a, size = 300 }: { a: ArenaPicture; size?: number }) {
  const g = a.grid;
  const cell = size / g.res;
  const logs = Array.from(g.f, (v) => Math.log10(Math.max(v, 1e-12)));
  const color = d3.scaleSequential(d3.interpolateBlues).domain([d3.max(logs) ?? 1, d3.min(logs) ?? 0]);
  const px = (v: number) => ((v - g.xMin) / (g.xMax - g.xMin)) * size;
  const py = (v: number) => ((g.yMax - v) / (g.yMax - g.yMin)) * size;
  return (
    <svg viewBox={`0 0 ${size} ${size}`} className="lesson-arena" role="img" aria-label={`optimizer paths on ${a.fn}`}>
      {logs
        .map((v, k) => ({ id: `a${k}`, v, k }))
        .map(({ id, v, k }) => (
          <rect
            key={id}
            x={(k % g.res) * cell}
            y={Math.floor(k / g.res) * cell}
            width={cell + 0.5}
            height={cell + 0.5}
            fill={color(v)}
          />
        ))}
      {a.paths.map((p) => (
        <polyline
          key={p.label}
          points={Array.from(p.x, (x, i) => `${px(x).toFixed(1)},${py(p.y[i]).toFixed(1)}`).join(' ')}
          fill="none"
          stroke={p.color}
          strokeWidth="2"
          className="series"
        />
      ))}
    </svg>
  );
}
