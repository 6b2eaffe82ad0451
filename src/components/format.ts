// Number formatting shared by controls and charts: short, exact enough to read, never "0.30000000000000004".

/** 3 significant digits, exponent form for very small or large magnitudes (1e-8, 2.5e+4). */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '–' : v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) {
    const [m, e] = v.toExponential(digits - 1).split('e');
    return `${String(Number(m))}e${Number(e)}`;
  }
  return String(Number(v.toPrecision(digits)));
}

/** Fixed decimals for percentages: 0.934 -> "93.4%". */
export const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');

/** Two significant digits: what a log slider snaps to, so values stay readable in links. */
export function snap2(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  return Number(v.toPrecision(2));
}
