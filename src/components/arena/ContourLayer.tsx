// Filled contour bands of a scalar field sampled on a grid (d3-contour), as SVG paths: used for
// the arenas' test functions and for the loss surface under weight-space trajectories. React
// renders the SVG; d3 only computes the polygons (the "D3 in React" split).
//
// values[j*nx + i] is the sample at column i (left to right), row j (BOTTOM to top), the layout
// of surface.ts; the layer maps grid space [0, nx] x [0, ny] onto [0, width] x [height, 0].
import { contours, path as d3path, interpolateYlGnBu } from 'd3';
import { useId, useMemo } from 'react';
import { finiteOrFill, finiteRange, logLevels, logPosition } from '../../compare/contourLevels';
import { traceContour } from '../charts/contourPath';

export interface ContourProps {
  values: ArrayLike<number>;
  nx: number;
  ny: number;
  width: number;
  height: number;
  /** Contour thresholds, ascending. */
  levels: number[];
  /** The levels are log-spaced (colour by log position too). */
  log: boolean;
  /** Fill of the band above threshold k, given its position in [0, 1] (default: a light yellow-green-blue ramp). */
  fill?: (position: number) => string;
}

export const defaultFill = (p: number): string => interpolateYlGnBu(0.04 + 0.6 * p);

/** Levels for a field: log-spaced above the minimum when it spans decades, else evenly spaced. */
export function fieldLevels(values: ArrayLike<number>, n: number, log: boolean): number[] {
  const [lo, hi] = finiteRange(values);
  if (!(hi > lo)) return [];
  if (log) return logLevels(lo, hi, n);
  return Array.from({ length: n }, (_, k) => lo + ((k + 0.5) * (hi - lo)) / n);
}

/**
 * The grid with a one-cell border copying its edge values. d3-contour closes every polygon at
 * the grid's edge by cutting the corners diagonally (it treats outside values as -Infinity); with
 * the border, those cuts fall outside the plot, which the layer clips away.
 */
function padded(values: ArrayLike<number>, nx: number, ny: number, fill: number): number[] {
  const grid = finiteOrFill(values, fill);
  const out = new Array<number>((nx + 2) * (ny + 2));
  for (let j = 0; j < ny + 2; j++)
    for (let i = 0; i < nx + 2; i++) {
      const si = Math.min(nx - 1, Math.max(0, i - 1));
      const sj = Math.min(ny - 1, Math.max(0, j - 1));
      out[j * (nx + 2) + i] = grid[sj * nx + si];
    }
  return out;
}

export function ContourLayer({ values, nx, ny, width, height, levels, log, fill = defaultFill }: ContourProps) {
  // An id that is safe inside url(#…) whatever characters React's ids use.
  const clip = `contour-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const bands = useMemo(() => {
    if (levels.length === 0) return [];
    const [lo, hi] = finiteRange(values);
    const sx = width / nx;
    const sy = height / ny;
    // Padded grid space [0, nx + 2] maps to [-sx, width + sx]: the border lies outside the plot.
    const toPixels = (x: number, y: number): [number, number] => [(x - 1) * sx, height - (y - 1) * sy];
    const pathOf = (p: (typeof polys)[number]) => {
      const d = d3path();
      traceContour(d, p, toPixels);
      return d.toString();
    };
    const polys = contours()
      .size([nx + 2, ny + 2])
      .thresholds(levels)(padded(values, nx, ny, hi));
    return polys.map((p, k) => ({
      d: pathOf(p),
      level: p.value,
      color: fill(log ? logPosition(p.value, lo, hi) : levels.length > 1 ? k / (levels.length - 1) : 0),
    }));
  }, [values, nx, ny, width, height, levels, log, fill]);
  return (
    <g className="contours" data-levels={bands.length}>
      <clipPath id={clip}>
        <rect width={width} height={height} />
      </clipPath>
      <g clipPath={`url(#${clip})`}>
        <rect width={width} height={height} fill={fill(0)} />
        {bands.map((b) => (
          <path key={b.level} d={b.d} fill={b.color} stroke="rgba(20, 30, 50, 0.22)" strokeWidth={0.6} />
        ))}
      </g>
    </g>
  );
}
