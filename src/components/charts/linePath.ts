// An SVG polyline `d` for points (xs[i], ys[i]): the string d3-shape's line() with its defaults
// writes (curveLinear, every point defined, coordinates rounded to 3 decimals as d3-path's
// Path(3) does: Math.round(v * 1000) / 1000), so the first screen (the schedule preview) need not
// load d3-shape and d3-path (~5 kB gzipped); the lessons and the sweep view still use d3's.
//
// "M x0,y0 L x1,y1 L ..." without spaces; null for no points, as line() returns.

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** The path through the points, in order; xs and ys have the same length n (n = 0: null). */
export function linePath(xs: ArrayLike<number>, ys: ArrayLike<number>): string | null {
  const n = xs.length;
  if (n === 0) return null;
  let d = `M${round3(+xs[0])},${round3(+ys[0])}`;
  for (let i = 1; i < n; i++) d += `L${round3(+xs[i])},${round3(+ys[i])}`;
  return d;
}
