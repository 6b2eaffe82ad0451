// The arena itself: contours of the test function, every racer's path up to the playback step,
// the start point (click or touch anywhere to move it and restart the race; a finger or the mouse
// can also drag it, the race restarting as it goes), the known minima, and the
// selected racer's update drawn as one arrow per term of its rule.
import { scaleLinear } from 'd3';
import { type PointerEvent, useMemo } from 'react';
import type { ArenaPath } from '../../engine/arena';
import type { TestFunction } from '../../engine/data/testFunctions';
import { setStart, useArena } from './arenaStore';
import { ContourLayer, fieldLevels } from './ContourLayer';
import { UpdateArrows } from './UpdateArrows';
import { shownIndex } from './useArenaPaths';

const SIZE = 520;
const M = { l: 34, b: 22, t: 6, r: 6 };
const RES = 160;
/** Pixel coordinates are clamped here: a diverging racer still draws a line off the edge, not NaN. */
const FAR = 1e5;

export function ArenaPlot({ fn, paths }: { fn: TestFunction; paths: ArenaPath[] }) {
  const slots = useArena((s) => s.slots);
  const hidden = useArena((s) => s.hidden);
  const selected = useArena((s) => s.selected);
  const t = useArena((s) => s.t);
  const start = useArena((s) => s.start);
  const { xMin, xMax, yMin, yMax } = fn.bounds;
  const W = SIZE - M.l - M.r;
  const H = SIZE - M.t - M.b;
  const sx = useMemo(() => scaleLinear([xMin, xMax], [0, W]), [xMin, xMax, W]);
  const sy = useMemo(() => scaleLinear([yMin, yMax], [H, 0]), [yMin, yMax, H]);

  // f on cell centres, row 0 at yMin (ContourLayer's layout).
  const grid = useMemo(() => {
    const v = new Float64Array(RES * RES);
    for (let j = 0; j < RES; j++)
      for (let i = 0; i < RES; i++)
        v[j * RES + i] = fn.f(xMin + ((i + 0.5) * (xMax - xMin)) / RES, yMin + ((j + 0.5) * (yMax - yMin)) / RES);
    return v;
  }, [fn, xMin, xMax, yMin, yMax]);
  const levels = useMemo(() => fieldLevels(grid, fn.logContours ? 26 : 20, fn.logContours), [grid, fn.logContours]);

  const px = (x: number) => Math.max(-FAR, Math.min(FAR, sx(x)));
  const py = (y: number) => Math.max(-FAR, Math.min(FAR, sy(y)));

  const startAt = (e: PointerEvent<SVGRectElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = sx.invert(((e.clientX - r.left) / r.width) * W);
    const y = sy.invert(((e.clientY - r.top) / r.height) * H);
    setStart([Number(x.toPrecision(4)), Number(y.toPrecision(4))]);
  };
  const onDown = (e: PointerEvent<SVGRectElement>) => {
    e.currentTarget.setPointerCapture?.(e.pointerId); // a drag keeps moving the start point
    startAt(e);
  };
  const onMove = (e: PointerEvent<SVGRectElement>) => {
    if (e.currentTarget.hasPointerCapture?.(e.pointerId)) startAt(e);
  };

  const sel = paths[selected];
  const selIdx = sel ? shownIndex(sel, t) : 0;
  return (
    <svg
      className="arena-plot"
      viewBox={`0 0 ${SIZE} ${SIZE}`}
      role="img"
      aria-label={`Contours of ${fn.label} with the optimizers' paths; click to set the start point`}
      data-testid="arena-plot"
      data-start={start.join(',')}
    >
      <defs>
        <clipPath id="arena-clip">
          <rect width={W} height={H} />
        </clipPath>
      </defs>
      <g transform={`translate(${M.l},${M.t})`}>
        <g clipPath="url(#arena-clip)">
          <ContourLayer values={grid} nx={RES} ny={RES} width={W} height={H} levels={levels} log={fn.logContours} />
          {fn.minima.map((m) => (
            <path
              key={`${m.x},${m.y}`}
              d={`M${sx(m.x) - 5},${sy(m.y) - 5}l10,10m0,-10l-10,10`}
              stroke="#222"
              strokeWidth={1.5}
              className="arena-minimum"
            />
          ))}
          {paths.map((p, k) => {
            if (hidden[k] || !slots[k]) return null;
            const n = shownIndex(p, t);
            let d = `M${px(p.x[0]).toFixed(1)},${py(p.y[0]).toFixed(1)}`;
            for (let i = 1; i <= n; i++) d += `L${px(p.x[i]).toFixed(1)},${py(p.y[i]).toFixed(1)}`;
            return (
              <g key={slots[k].color + String(k)} data-racer={k}>
                <path
                  d={d}
                  fill="none"
                  stroke={slots[k].color}
                  strokeWidth={k === selected ? 2.6 : 1.8}
                  strokeLinejoin="round"
                  data-testid="arena-path"
                  data-points={n + 1}
                />
                <circle cx={px(p.x[n])} cy={py(p.y[n])} r={4.5} fill={slots[k].color} stroke="#fff" strokeWidth={1.2} />
              </g>
            );
          })}
          <circle cx={sx(start[0])} cy={sy(start[1])} r={6} fill="none" stroke="#111" strokeWidth={1.5} />
          {sel && !hidden[selected] && selIdx < sel.terms.length && (
            <UpdateArrows
              terms={sel.terms[selIdx]}
              at={[px(sel.x[selIdx]), py(sel.y[selIdx])]}
              scale={[W / (xMax - xMin), H / (yMax - yMin)]}
            />
          )}
          <rect
            width={W}
            height={H}
            fill="transparent"
            className="arena-hit"
            onPointerDown={onDown}
            onPointerMove={onMove}
            data-testid="arena-hit"
          />
        </g>
        <rect width={W} height={H} fill="none" stroke="var(--border)" />
        {sx.ticks(6).map((v) => (
          <text key={`x${v}`} x={sx(v)} y={H + 15} textAnchor="middle" className="arena-tick">
            {v}
          </text>
        ))}
        {sy.ticks(6).map((v) => (
          <text key={`y${v}`} x={-5} y={sy(v) + 3} textAnchor="end" className="arena-tick">
            {v}
          </text>
        ))}
      </g>
    </svg>
  );
}
