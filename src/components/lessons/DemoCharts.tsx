// The lesson demo's non-line charts, all SVG with inline styling (so they export as vector SVG):
// decision boundary with points (and noise ghosts), weight histograms, activation statistics,
// and the optimizer arena.
import * as d3 from 'd3';
import type { ArenaSnapshot, PresetSnapshot } from '../../../workers/lessons/protocol';

export const CLASS_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];

/** Deterministic ghost offsets (a fixed pattern, not training noise) to show where noisy copies land. */
const GHOSTS: [number, number][] = [
  [0.9, 0.3],
  [-0.5, 0.8],
  [-0.7, -0.6],
  [0.4, -1.1],
];

/** Points of a split with a stable id each (React keys), their class and row. */
const labelled = (y: Int32Array) => Array.from(y, (c, i) => ({ id: `p${i}`, c, i }));

export function BoundaryChart({ s, size = 240 }: { s: PresetSnapshot; size?: number }) {
  const b = s.boundary;
  if (!b) return <p className="muted">boundary appears after the first update…</p>;
  const cell = size / b.res;
  const px = (v: number) => ((v - b.xMin) / (b.xMax - b.xMin)) * size;
  const py = (v: number) => ((b.yMax - v) / (b.yMax - b.yMin)) * size;
  const pts = s.points;
  const ghosts = pts && pts.noise > 0;
  return (
    <svg
      viewBox={`0 0 ${size} ${size}`}
      className="lesson-boundary"
      role="img"
      aria-label={`decision boundary: ${s.label}`}
    >
      {Array.from(b.cls, (c, k) => ({ id: `c${k}`, c, k })).map(({ id, c, k }) => (
        <rect
          key={id}
          x={(k % b.res) * cell}
          y={Math.floor(k / b.res) * cell}
          width={cell + 0.5}
          height={cell + 0.5}
          fill={CLASS_COLORS[c % CLASS_COLORS.length]}
          fillOpacity={0.15 + 0.45 * Math.max(0, (b.conf[k] - 0.5) * 2)}
        />
      ))}
      {ghosts &&
        labelled(pts.yTrain).flatMap(({ id, c, i }) =>
          GHOSTS.map(([dx, dy]) => (
            <circle
              key={`${id}-${dx}`}
              cx={px(pts.xTrain[2 * i] + pts.noise * dx)}
              cy={py(pts.xTrain[2 * i + 1] + pts.noise * dy)}
              r="2"
              fill={CLASS_COLORS[c % CLASS_COLORS.length]}
              fillOpacity="0.3"
            />
          )),
        )}
      {pts &&
        labelled(pts.yTrain).map(({ id, c, i }) => (
          <circle
            key={`t${id}`}
            cx={px(pts.xTrain[2 * i])}
            cy={py(pts.xTrain[2 * i + 1])}
            r="3.2"
            fill={CLASS_COLORS[c % CLASS_COLORS.length]}
            stroke="#fff"
            strokeWidth="1"
          />
        ))}
      {pts &&
        labelled(pts.yVal).map(({ id, c, i }) => (
          <circle
            key={`v${id}`}
            cx={px(pts.xVal[2 * i])}
            cy={py(pts.xVal[2 * i + 1])}
            r="3"
            fill="#fff"
            stroke={CLASS_COLORS[c % CLASS_COLORS.length]}
            strokeWidth="1.6"
          />
        ))}
    </svg>
  );
}

export function WeightsChart({ s, width = 240, height = 160 }: { s: PresetSnapshot; width?: number; height?: number }) {
  const w = s.weights;
  if (!w) return <p className="muted">…</p>;
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
  presets: PresetSnapshot[];
  width?: number;
  height?: number;
}) {
  const withStats = presets.filter((p) => p.activations);
  const L = Math.max(0, ...withStats.map((p) => p.activations?.std.length ?? 0));
  if (L === 0) return <p className="muted">…</p>;
  const M = { l: 44, b: 24, t: 8 };
  const yMax = Math.max(0.05, ...withStats.flatMap((p) => p.activations?.std ?? []));
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
            const v = p.activations?.std[l] ?? 0;
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

export function ArenaChart({ a, size = 300 }: { a: ArenaSnapshot; size?: number }) {
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
