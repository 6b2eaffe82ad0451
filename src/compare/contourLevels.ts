// Contour thresholds and colours for surfaces whose values span decades (Rosenbrock goes from 0
// to thousands over its usual window; a loss surface from 0.05 to 5). Levels are spaced
// logarithmically above the surface's minimum, so the valley floor gets as many lines as the
// walls: level_k = min + range * (delta)^(1 - k/(n-1)), with delta the finest level as a
// fraction of the range.

/** Min and max over the finite entries (NaN, NaN when none). */
export function finiteRange(values: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [Number.NaN, Number.NaN];
}

/** n thresholds, log-spaced above lo, the finest at lo + delta*(hi - lo), the coarsest at hi. */
export function logLevels(lo: number, hi: number, n: number, delta = 1e-3): number[] {
  if (!(hi > lo) || n < 1) return [];
  const range = hi - lo;
  if (n === 1) return [lo + range / 2];
  return Array.from({ length: n }, (_, k) => lo + range * delta ** (1 - k / (n - 1)));
}

/** Position of v in [0, 1] on the same log scale (0 at lo + delta*range or below, 1 at hi). */
export function logPosition(v: number, lo: number, hi: number, delta = 1e-3): number {
  if (!(hi > lo) || !Number.isFinite(v)) return 1;
  const x = (v - lo) / (hi - lo);
  if (x <= delta) return 0;
  if (x >= 1) return 1;
  return 1 - Math.log(x) / Math.log(delta);
}

/** Copy with non-finite entries replaced by `fill` (d3-contour needs every cell to be a number). */
export function finiteOrFill(values: ArrayLike<number>, fill: number): Float64Array {
  return Float64Array.from(values, (v) => (Number.isFinite(v) ? v : fill));
}
