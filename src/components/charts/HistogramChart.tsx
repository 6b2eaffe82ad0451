// Weight histograms over time, one small panel per layer (TensorBoard's "distributions" view):
// x is training time (one column per histogram the worker sent), y the weight value, and the
// shade of each cell how many weights fall in that bin. Weight decay shows as the band
// narrowing; L1 as mass piling up at zero.
import { useRef } from 'react';
import type { WeightHistograms } from '../../../workers/protocol';
import { useStore } from '../../state/store';
import { useRunBuffers } from '../../trainer/runBuffers';
import { fmt } from '../format';
import { ChartCard } from './ChartCard';
import { useCanvasLoop } from './canvas';
import { layerColor, rgb, token } from './colors';
import { layerNames } from './LayerCharts';

const GAP = 8;
const LABEL_H = 14;

let sheetCanvas: HTMLCanvasElement | null = null;
/** A reused off-screen canvas of at least w x h pixels (CPU-side: putImageData is a copy there, not an upload). */
function scratch(w: number, h: number): HTMLCanvasElement {
  sheetCanvas ??= document.createElement('canvas');
  if (sheetCanvas.width < w) sheetCanvas.width = w;
  if (sheetCanvas.height < h) sheetCanvas.height = h;
  return sheetCanvas;
}

function drawLayer(
  ctx: CanvasRenderingContext2D,
  list: WeightHistograms[],
  l: number,
  x0: number,
  w: number,
  h: number,
  name: string,
) {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const hs of list) {
    lo = Math.min(lo, hs.lo[l]);
    hi = Math.max(hi, hs.hi[l]);
  }
  if (!(hi > lo)) hi = lo + 1e-6;
  const top = LABEL_H;
  const H = h - top - 12;
  const [r, g, b] = rgb(layerColor(l));
  // One image column per histogram, one image row per CSS pixel of height, stretched to the panel
  // without smoothing (crisp cells, as rectangles would be): one drawImage instead of a fillRect
  // per bin and histogram (120 x 30 per layer).
  const rows = Math.max(1, Math.round(H));
  const cols = list.length;
  const img = new ImageData(cols, rows);
  const px = img.data;
  list.forEach((hs, t) => {
    const bins = hs.bins;
    let max = 0;
    for (let k = 0; k < bins; k++) max = Math.max(max, hs.counts[l * bins + k]);
    const binW = (hs.hi[l] - hs.lo[l]) / bins;
    for (let k = 0; k < bins; k++) {
      const c = hs.counts[l * bins + k];
      if (c === 0) continue;
      const a = hs.lo[l] + k * binW;
      const yTop = (1 - (a + binW - lo) / (hi - lo)) * rows;
      const yBot = (1 - (a - lo) / (hi - lo)) * rows;
      const alpha = Math.round(255 * Math.sqrt(c / max));
      const r0 = Math.max(0, Math.min(rows - 1, Math.floor(yTop)));
      const r1 = Math.max(r0 + 1, Math.min(rows, Math.round(yBot)));
      for (let y = r0; y < r1; y++) {
        const o = (y * cols + t) * 4;
        if (px[o + 3] >= alpha) continue; // a shared edge row keeps the stronger bin
        px[o] = r;
        px[o + 1] = g;
        px[o + 2] = b;
        px[o + 3] = alpha;
      }
    }
  });
  const sheet = scratch(cols, rows);
  sheet.getContext('2d', { willReadFrequently: true })!.putImageData(img, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(sheet, 0, 0, cols, rows, x0, top, w, H);
  ctx.restore();
  ctx.fillStyle = token('--muted');
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(name, x0, 0);
  ctx.textBaseline = 'bottom';
  ctx.fillText(`${fmt(lo, 2)} … ${fmt(hi, 2)}`, x0, h);
  // Zero line: where L1 pushes weights.
  if (lo < 0 && hi > 0) {
    const y0 = top + (1 - (0 - lo) / (hi - lo)) * H;
    ctx.strokeStyle = token('--axis');
    ctx.setLineDash([2, 2]);
    ctx.beginPath();
    ctx.moveTo(x0, y0 + 0.5);
    ctx.lineTo(x0 + w, y0 + 0.5);
    ctx.stroke();
    ctx.setLineDash([]);
  }
}

export function HistogramChart() {
  const ref = useRef<HTMLCanvasElement>(null);
  const L = useStore((s) => s.setup?.layers.length ?? 0);
  const buffers = useRunBuffers();
  useCanvasLoop(
    ref,
    () => buffers?.visuals.version,
    (ctx, w, h) => {
      const list = buffers?.visuals.histograms[0] ?? [];
      if (list.length === 0) {
        ctx.fillStyle = token('--faint');
        ctx.font = '12px system-ui';
        ctx.textAlign = 'center';
        ctx.fillText('Weight histograms appear while training', w / 2, h / 2);
        return;
      }
      const layers = list[0].lo.length;
      const names = layerNames(layers);
      const pw = (w - GAP * (layers - 1)) / layers;
      for (let l = 0; l < layers; l++) drawLayer(ctx, list, l, l * (pw + GAP), pw, h, names[l]);
    },
    [L],
  );
  return (
    <ChartCard
      title="Weight histograms over time"
      help="Distribution of each layer's weights (x: training time, y: weight value, shade: how many weights)."
      testId="histogram-chart"
    >
      <canvas
        ref={ref}
        className="plot"
        style={{ height: 120 }}
        role="img"
        aria-label="Weight histograms per layer over time"
      />
    </ChartCard>
  );
}
