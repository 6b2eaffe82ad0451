// Canvas line plots with d3 scales: axes and grid from scale ticks, series that break at
// non-finite values (and at non-positive ones on a log axis), dots, bands and a hover readout.
import { type ScaleContinuousNumeric, scaleLinear, scaleLog } from 'd3';
import { fmt } from '../format';
import { token } from './colors';

export interface Box {
  l: number;
  t: number;
  r: number;
  b: number;
}
export interface Plot {
  x: ScaleContinuousNumeric<number, number>;
  y: ScaleContinuousNumeric<number, number>;
  box: Box;
  log: boolean;
}

export const MARGIN: Box = { l: 44, t: 8, r: 10, b: 20 };

/** 2 in presenter mode (class on <html>, components/presenter): thicker lines, larger axis text. */
export const presenterScale = (): number =>
  typeof document !== 'undefined' && document.documentElement.classList.contains('presenter') ? 2 : 1;

/** Finite (and, for log axes, positive) extent over several arrays; null when there is nothing. */
export function extent(arrays: ArrayLike<number>[], log: boolean): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const a of arrays)
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!Number.isFinite(v) || (log && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  return lo <= hi ? [lo, hi] : null;
}

export function makePlot(
  w: number,
  h: number,
  xDomain: [number, number],
  yDomain: [number, number],
  log: boolean,
  margin: Box = MARGIN,
): Plot {
  const box = { l: margin.l, t: margin.t, r: w - margin.r, b: h - margin.b };
  const x = scaleLinear(xDomain[0] === xDomain[1] ? [xDomain[0], xDomain[0] + 1] : xDomain, [box.l, box.r]);
  let y: ScaleContinuousNumeric<number, number>;
  if (log) {
    const [a, b] = yDomain;
    y = scaleLog([a, b === a ? a * 10 : b], [box.b, box.t]).nice();
  } else {
    const [a, b] = yDomain;
    y = scaleLinear(a === b ? [a - 1, b + 1] : [a, b], [box.b, box.t]).nice();
  }
  return { x, y, box, log };
}

/** Grid lines, tick labels and an optional x label. */
export function drawAxes(ctx: CanvasRenderingContext2D, p: Plot, xTicks = 6, yTicks = 4, xFormat = fmt): void {
  const grid = token('--grid');
  const text = token('--muted');
  ctx.font = `${10 + 4 * (presenterScale() - 1)}px system-ui, sans-serif`;
  ctx.lineWidth = 1;
  ctx.strokeStyle = grid;
  ctx.fillStyle = text;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const yt = p.log ? logTicks(p.y) : p.y.ticks(yTicks);
  for (const t of yt) {
    const yy = Math.round(p.y(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(p.box.l, yy);
    ctx.lineTo(p.box.r, yy);
    ctx.stroke();
    ctx.fillText(p.log ? t.toExponential(0).replace('+', '') : fmt(t, 2), p.box.l - 4, yy);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  // As many x ticks as fit: a narrow chart (compare mode's pair) must not run its labels together.
  const room = p.box.r - p.box.l;
  let xt = p.x.ticks(xTicks);
  for (let n = xTicks - 1; n >= 2; n--) {
    const widest = Math.max(...xt.map((t) => ctx.measureText(xFormat(t)).width));
    if (xt.length * (widest + 14) <= room) break;
    xt = p.x.ticks(n);
  }
  for (const t of xt) {
    const xx = Math.round(p.x(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(xx, p.box.t);
    ctx.lineTo(xx, p.box.b);
    ctx.stroke();
    ctx.fillText(xFormat(t), xx, p.box.b + 4);
  }
  ctx.strokeStyle = token('--axis');
  ctx.beginPath();
  ctx.moveTo(p.box.l, p.box.b + 0.5);
  ctx.lineTo(p.box.r, p.box.b + 0.5);
  ctx.stroke();
}

/** Powers of ten inside a log scale's domain (at most ~6 of them). */
function logTicks(y: ScaleContinuousNumeric<number, number>): number[] {
  const [a, b] = y.domain();
  const lo = Math.floor(Math.log10(Math.min(a, b)));
  const hi = Math.ceil(Math.log10(Math.max(a, b)));
  const every = Math.max(1, Math.ceil((hi - lo) / 6));
  const out: number[] = [];
  for (let e = lo; e <= hi; e += every) {
    const v = 10 ** e;
    if (v >= Math.min(a, b) && v <= Math.max(a, b)) out.push(v);
  }
  return out;
}

export interface LineStyle {
  color: string;
  width?: number;
  alpha?: number;
  dash?: number[];
}

/** The scale as v -> a * v + b (of log10 v on a log axis): d3's own map, without a call per point. */
function affine(s: ScaleContinuousNumeric<number, number>, log: boolean): [number, number] {
  const [d0, d1] = s.domain().map((v) => (log ? Math.log10(v) : v));
  const [r0, r1] = s.range();
  const a = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return [a, r0 - a * d0];
}

/**
 * A polyline through (xs[i], ys[i]) (xs ascending), broken where a value cannot be drawn, at a
 * cost that does not grow with the number of points: the points are decimated per device-pixel
 * column and every column still covers the pixels the full polyline covers there, so a spike or
 * a divergence stays visible.
 *   - a thin (<= 1 px: Skia's fast hairline) or translucent line: M4, the column's first,
 *     lowest, highest and last point in their order (the same pixels as the full polyline);
 *   - a thick opaque line: a spine through each column's last point, plus, where the column's
 *     values spread over more than a pixel, a filled bar from its lowest to its highest value
 *     (as wide as the line). Stroking thousands of tiny zigzags with round joins is what made a
 *     chart cost 20-30 ms of rasterization (Chromium trace: SkCanvas::drawPath at commit); the
 *     bars are rectangles, the spine has one point per column.
 * A dashed line (few points: epochs) is drawn point by point, so its dash pattern is unchanged.
 */
export function drawLine(
  ctx: CanvasRenderingContext2D,
  p: Plot,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  s: LineStyle,
): void {
  const width = (s.width ?? 1.5) * presenterScale();
  const alpha = s.alpha ?? 1;
  const dpr = globalThis.devicePixelRatio || 1;
  const dashed = s.dash !== undefined && s.dash.length > 0;
  ctx.save();
  ctx.beginPath();
  ctx.rect(p.box.l, p.box.t - 2, p.box.r - p.box.l, p.box.b - p.box.t + 4);
  ctx.clip();
  ctx.strokeStyle = s.color;
  ctx.fillStyle = s.color;
  ctx.globalAlpha = alpha;
  ctx.lineWidth = width;
  ctx.lineJoin = 'round';
  ctx.setLineDash(s.dash ?? []);
  const mode: TraceMode = dashed ? 'all' : width * dpr <= 1 || alpha < 1 ? 'm4' : 'spine';
  const bars = mode === 'spine' ? new Path2D() : null;
  ctx.beginPath();
  tracePath(
    ctx,
    p,
    xs,
    ys,
    mode,
    dpr,
    bars ? (x, y0, y1) => bars.rect(x - width / 2, y0 - width / 2, width, y1 - y0 + width) : undefined,
  );
  ctx.stroke();
  if (bars) ctx.fill(bars);
  ctx.restore();
}

/** How tracePath decimates: every point, M4 per column, or a spine of one point per column with bars. */
export type TraceMode = 'all' | 'm4' | 'spine';

/**
 * The polyline's path (see drawLine) into `sink`; columns are 1/perPx CSS pixels wide. In 'spine'
 * mode `bar(x, yTop, yBottom)` receives each column whose values spread over more than one pixel.
 */
export function tracePath(
  sink: { moveTo(x: number, y: number): void; lineTo(x: number, y: number): void },
  p: Plot,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  mode: TraceMode,
  perPx = 1,
  bar?: (x: number, yTop: number, yBottom: number) => void,
): void {
  const [ax, bx] = affine(p.x, false);
  const [ay, by] = affine(p.y, p.log);
  const log = p.log;
  const n = Math.min(xs.length, ys.length);
  let pen = false;
  const put = (X: number, Y: number) => {
    if (pen) sink.lineTo(X, Y);
    else sink.moveTo(X, Y);
    pen = true;
  };
  // The open column: its first and last point, and those of smallest and largest pixel y.
  let col = Number.NaN;
  let count = 0;
  let fx = 0;
  let fy = 0;
  let lx = 0;
  let ly = 0;
  let loX = 0;
  let loY = 0;
  let loI = 0;
  let hiX = 0;
  let hiY = 0;
  let hiI = 0;
  const flush = () => {
    if (count === 0) return;
    if (mode === 'spine') {
      put(lx, ly);
      if (bar && hiY - loY > 1) bar((col + 0.5) / perPx, loY, hiY);
      count = 0;
      return;
    }
    put(fx, fy);
    const inner = (k: number) => k > 0 && k < count - 1;
    if (loI < hiI) {
      if (inner(loI)) put(loX, loY);
      if (inner(hiI)) put(hiX, hiY);
    } else {
      if (inner(hiI)) put(hiX, hiY);
      if (inner(loI)) put(loX, loY);
    }
    if (count > 1) put(lx, ly);
    count = 0;
  };
  for (let i = 0; i < n; i++) {
    const v = ys[i];
    if (!Number.isFinite(v) || (log && v <= 0)) {
      flush();
      pen = false;
      continue;
    }
    const X = ax * xs[i] + bx;
    const Y = ay * (log ? Math.log10(v) : v) + by;
    if (mode === 'all') {
      put(X, Y);
      continue;
    }
    const c = Math.floor(X * perPx);
    if (c !== col || count === 0) {
      flush();
      col = c;
      fx = lx = loX = hiX = X;
      fy = ly = loY = hiY = Y;
      loI = hiI = 0;
      count = 1;
      continue;
    }
    lx = X;
    ly = Y;
    if (Y < loY) {
      loX = X;
      loY = Y;
      loI = count;
    }
    if (Y > hiY) {
      hiX = X;
      hiY = Y;
      hiI = count;
    }
    count++;
  }
  flush();
}

/**
 * A filled band between lo[i] and hi[i] (a seed band's min and max), in pieces broken where a
 * value cannot be drawn. Returns the number of points drawn (0: nothing to fill).
 */
export function drawBand(
  ctx: CanvasRenderingContext2D,
  p: Plot,
  xs: ArrayLike<number>,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  color: string,
  alpha = 0.2,
): number {
  const ok = (i: number) => Number.isFinite(lo[i]) && Number.isFinite(hi[i]) && (!p.log || lo[i] > 0);
  ctx.save();
  ctx.beginPath();
  ctx.rect(p.box.l, p.box.t, p.box.r - p.box.l, p.box.b - p.box.t);
  ctx.clip();
  ctx.fillStyle = color;
  ctx.globalAlpha = alpha;
  const n = Math.min(xs.length, lo.length, hi.length);
  let drawn = 0;
  for (let i = 0; i < n; ) {
    if (!ok(i)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < n && ok(j + 1)) j++;
    ctx.beginPath();
    for (let k = i; k <= j; k++) ctx.lineTo(p.x(xs[k]), p.y(hi[k]));
    for (let k = j; k >= i; k--) ctx.lineTo(p.x(xs[k]), p.y(lo[k]));
    ctx.closePath();
    ctx.fill();
    drawn += j - i + 1;
    i = j + 1;
  }
  ctx.restore();
  return drawn;
}

export function drawDots(
  ctx: CanvasRenderingContext2D,
  p: Plot,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  color: string,
  r = 2.2,
): void {
  ctx.fillStyle = color;
  const n = Math.min(xs.length, ys.length);
  // Many epochs: dots would merge into a thick line; only draw them while they are distinguishable.
  if (n > (p.box.r - p.box.l) / 6) return;
  for (let i = 0; i < n; i++) {
    const v = ys[i];
    if (!Number.isFinite(v) || (p.log && v <= 0)) continue;
    ctx.beginPath();
    ctx.arc(p.x(xs[i]), p.y(v), r, 0, 2 * Math.PI);
    ctx.fill();
  }
}

/** Index of the point whose x is nearest to `x` (xs ascending), -1 if empty. */
export function nearest(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  if (hi < 0) return -1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid;
    else hi = mid;
  }
  return Math.abs(xs[lo] - x) <= Math.abs(xs[hi] - x) ? lo : hi;
}

/** A vertical hover line and a small box of text lines near it. */
export function drawReadout(ctx: CanvasRenderingContext2D, p: Plot, px: number, lines: [string, string][]): void {
  ctx.save();
  ctx.strokeStyle = token('--axis');
  ctx.setLineDash([3, 3]);
  ctx.beginPath();
  ctx.moveTo(px + 0.5, p.box.t);
  ctx.lineTo(px + 0.5, p.box.b);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.font = '11px system-ui, sans-serif';
  const wBox = Math.max(...lines.map(([, t]) => ctx.measureText(t).width)) + 22;
  const hBox = lines.length * 15 + 8;
  const bx = px + 10 + wBox > p.box.r ? px - 10 - wBox : px + 10;
  ctx.fillStyle = token('--panel');
  ctx.strokeStyle = token('--border');
  ctx.globalAlpha = 0.95;
  ctx.fillRect(bx, p.box.t + 4, wBox, hBox);
  ctx.globalAlpha = 1;
  ctx.strokeRect(bx + 0.5, p.box.t + 4.5, wBox, hBox);
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  lines.forEach(([color, t], i) => {
    const yy = p.box.t + 12 + i * 15;
    ctx.fillStyle = color;
    ctx.fillRect(bx + 6, yy - 3, 8, 6);
    ctx.fillStyle = token('--text');
    ctx.fillText(t, bx + 18, yy);
  });
  ctx.restore();
}

/** "No data yet" in the middle of an empty chart. */
export function drawEmpty(ctx: CanvasRenderingContext2D, w: number, h: number, text: string): void {
  ctx.fillStyle = token('--faint');
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, w / 2, h / 2);
}
