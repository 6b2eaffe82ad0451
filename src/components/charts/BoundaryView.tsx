// The decision boundary of a 2D set: the model's class probabilities over a grid (from the
// worker) as a heatmap whose hue is the probability-weighted class colour and whose strength is
// the confidence, the 0.5 contour of each class as a line (d3-contour), and the data on top:
// training points filled, validation points as rings. Regression shows the prediction surface.
import { contours } from 'd3';
import { useRef } from 'react';
import type { BoundaryGrid, DatasetInfo } from '../../../workers/protocol';
import { useStore } from '../../state/store';
import { useRunBuffers } from '../../trainer/runBuffers';
import { ChartCard, type LegendItem } from './ChartCard';
import { useCanvasLoop } from './canvas';
import { classColor, rgb, token, valueColor } from './colors';
import { traceContour } from './contourPath';

/** Range of the regression targets, for a symmetric colour scale around its middle. */
function targetRange(d: DatasetInfo): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of d.yTrain) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return hi > lo ? [lo, hi] : [lo - 1, lo + 1];
}

export function heatmap(g: BoundaryGrid, d: DatasetInfo, bg: [number, number, number]): HTMLCanvasElement {
  const { res, channels: C, values } = g;
  const img = new ImageData(res, res);
  const cols = Array.from({ length: Math.max(C, 1) }, (_, c) => rgb(classColor(c, C)));
  const [tlo, thi] = d.kind === 'regression' ? targetRange(d) : [0, 1];
  for (let j = 0; j < res; j++)
    for (let i = 0; i < res; i++) {
      const k = j * res + i;
      let r: number;
      let gg: number;
      let b: number;
      let a: number;
      if (d.kind === 'regression') {
        [r, gg, b] = rgb(valueColor(((values[k * C] - tlo) / (thi - tlo)) * 2 - 1));
        a = 0.6;
      } else {
        r = 0;
        gg = 0;
        b = 0;
        let pmax = 0;
        for (let c = 0; c < C; c++) {
          const p = values[k * C + c];
          r += p * cols[c][0];
          gg += p * cols[c][1];
          b += p * cols[c][2];
          pmax = Math.max(pmax, p);
        }
        const conf = C > 1 ? Math.max(0, (pmax - 1 / C) / (1 - 1 / C)) : 1;
        a = 0.08 + 0.52 * conf;
      }
      const o = ((res - 1 - j) * res + i) * 4; // row 0 of the grid is yMin: the bottom of the image
      img.data[o] = bg[0] + (r - bg[0]) * a;
      img.data[o + 1] = bg[1] + (gg - bg[1]) * a;
      img.data[o + 2] = bg[2] + (b - bg[2]) * a;
      img.data[o + 3] = 255;
    }
  sheet ??= document.createElement('canvas');
  if (sheet.width !== res || sheet.height !== res) {
    sheet.width = res;
    sheet.height = res;
  }
  // A small CPU-side canvas: putImageData is a copy there (on a GPU canvas, an upload and a sync).
  sheet.getContext('2d', { willReadFrequently: true })!.putImageData(img, 0, 0);
  return sheet;
}
/** The heatmap's canvas, reused: drawImage copies it at once, so the next grid may overwrite it. */
let sheet: HTMLCanvasElement | null = null;

/** The p = 0.5 line of each class (for two classes, one line: the decision boundary). */
export function drawContours(ctx: CanvasRenderingContext2D, g: BoundaryGrid, w: number, h: number) {
  const { res, channels: C, values } = g;
  const sx = w / res;
  const sy = h / res;
  const toPixels = (x: number, y: number): [number, number] => [x * sx, h - y * sy];
  ctx.strokeStyle = token('--text');
  ctx.globalAlpha = 0.55;
  ctx.lineWidth = 1.2;
  const gen = contours().size([res, res]).thresholds([0.5]);
  for (let c = C === 2 ? 1 : 0; c < C; c++) {
    const field = new Float64Array(res * res);
    for (let k = 0; k < res * res; k++) field[k] = values[k * C + c];
    for (const poly of gen(Array.from(field))) {
      ctx.beginPath();
      traceContour(ctx, poly, toPixels);
      ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;
}

export function drawPoints(
  ctx: CanvasRenderingContext2D,
  d: DatasetInfo,
  x: Float32Array,
  y: Int32Array | Float32Array,
  n: number,
  w: number,
  h: number,
  val: boolean,
) {
  const [x0, x1, y0, y1] = d.bounds!;
  const [tlo, thi] = d.kind === 'regression' ? targetRange(d) : [0, 1];
  const edge = token('--panel');
  for (let i = 0; i < n; i++) {
    const px = ((x[2 * i] - x0) / (x1 - x0)) * w;
    const py = h - ((x[2 * i + 1] - y0) / (y1 - y0)) * h;
    const col =
      d.kind === 'regression' ? valueColor(((y[i] - tlo) / (thi - tlo)) * 2 - 1) : classColor(y[i], d.classes);
    ctx.beginPath();
    ctx.arc(px, py, val ? 3.4 : 3, 0, 2 * Math.PI);
    if (val) {
      ctx.fillStyle = edge;
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = col;
      ctx.stroke();
    } else {
      ctx.fillStyle = col;
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = edge;
      ctx.stroke();
    }
  }
}

/** The playground's boundary picture: the grid's heatmap, its 0.5 contours, the training (and validation) points. */
export function drawBoundary(
  ctx: CanvasRenderingContext2D,
  d: DatasetInfo,
  g: BoundaryGrid | null | undefined,
  w: number,
  h: number,
  withVal = true,
) {
  if (g && g.res > 0) {
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(heatmap(g, d, rgb(token('--panel'))), 0, 0, w, h);
    if (d.kind === 'classification') drawContours(ctx, g, w, h);
  }
  ctx.drawImage(pointsLayer(d, w, h, withVal), 0, 0, w, h);
}

/** Points layers drawn so far, per dataset, by size, theme and whether validation points are on. */
const layers = new WeakMap<DatasetInfo, Map<string, HTMLCanvasElement>>();

/**
 * The data points as a transparent layer (hundreds of arcs), drawn once per dataset, size and
 * theme and then composited: the boundary is redrawn several times a second, the points never move.
 */
function pointsLayer(d: DatasetInfo, w: number, h: number, withVal: boolean): HTMLCanvasElement {
  const dpr = window.devicePixelRatio || 1;
  const key = `${w}x${h}@${dpr}|${withVal}|${token('--panel')}`;
  let byKey = layers.get(d);
  if (!byKey) layers.set(d, (byKey = new Map()));
  let c = byKey.get(key);
  if (!c) {
    if (byKey.size >= 4) byKey.clear(); // old sizes and themes
    c = document.createElement('canvas');
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    const lc = c.getContext('2d')!;
    lc.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawPoints(lc, d, d.xTrain, d.yTrain, d.nTrain, w, h, false);
    if (withVal) drawPoints(lc, d, d.xVal, d.yVal, d.nVal, w, h, true);
    byKey.set(key, c);
  }
  return c;
}

export function BoundaryView() {
  const ref = useRef<HTMLCanvasElement>(null);
  const setup = useStore((s) => s.setup);
  const d = setup?.dataset;
  const buffers = useRunBuffers();
  useCanvasLoop(
    ref,
    () => buffers?.visuals.version,
    (ctx, w, h) => {
      if (d?.bounds) drawBoundary(ctx, d, buffers?.visuals.boundaries[0], w, h);
    },
    [d],
  );
  const legend: LegendItem[] =
    d?.kind === 'classification'
      ? Array.from({ length: d.classes }, (_, c) => ({ label: `class ${c}`, color: classColor(c, d.classes) }))
      : [];
  return (
    <ChartCard
      title={d?.kind === 'regression' ? 'Prediction surface' : 'Decision boundary'}
      help="What the network predicts everywhere in the input plane. Filled dots: training data; rings: validation data."
      legend={legend}
      testId="boundary"
      tools={
        <span className="point-key">
          <span className="dot-filled" /> train <span className="dot-ring" /> validation
        </span>
      }
    >
      <canvas
        ref={ref}
        className="boundary"
        data-testid="boundary-canvas"
        role="img"
        aria-label="Decision boundary with training and validation points"
      />
    </ChartCard>
  );
}
