// Digits: a grid of validation images with the network's guess (green when right, red when
// wrong) and the confusion matrix over the whole validation split. Predictions are fetched from
// the worker about once a second while this view is shown.
import { useEffect, useRef, useState } from 'react';
import type { DatasetInfo } from '../../../workers/protocol';
import { useStore } from '../../state/store';
import { predictVal } from '../../state/trainerSync';
import { pct } from '../format';
import { ChartCard } from './ChartCard';
import { prepare } from './canvas';
import { token } from './colors';

const GRID = 24;

/** Argmax of each row of probs[n, C]. */
export function argmaxRows(probs: Float32Array, C: number): Int32Array {
  const n = probs.length / C;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (probs[i * C + c] > probs[i * C + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** counts[t * C + p]: validation samples of true class t predicted as p. */
export function confusion(truth: ArrayLike<number>, pred: Int32Array, C: number): Uint32Array {
  const m = new Uint32Array(C * C);
  for (let i = 0; i < pred.length; i++) m[truth[i] * C + pred[i]]++;
  return m;
}

/** The first GRID validation images side by side, grey on white (made once per dataset: they never change). */
const sheets = new WeakMap<DatasetInfo, HTMLCanvasElement>();
function digitSheet(d: DatasetInfo): HTMLCanvasElement {
  let sheet = sheets.get(d);
  if (sheet) return sheet;
  const { width: iw, height: ih } = d.image!;
  const n = Math.max(1, Math.min(GRID, d.nVal));
  const img = new ImageData(iw * n, ih);
  for (let k = 0; k < Math.min(GRID, d.nVal); k++)
    for (let r = 0; r < ih; r++)
      for (let c = 0; c < iw; c++) {
        const v = 255 - Math.round(255 * d.xVal[k * iw * ih + r * iw + c]);
        const o = 4 * (r * iw * n + k * iw + c);
        img.data[o] = v;
        img.data[o + 1] = v;
        img.data[o + 2] = v;
        img.data[o + 3] = 255;
      }
  sheet = document.createElement('canvas');
  sheet.width = iw * n;
  sheet.height = ih;
  sheet.getContext('2d')!.putImageData(img, 0, 0);
  sheets.set(d, sheet);
  return sheet;
}

function drawGrid(canvas: HTMLCanvasElement, d: DatasetInfo, pred: Int32Array | null) {
  const { ctx, w, h } = prepare(canvas);
  const { width: iw, height: ih } = d.image!;
  const per = 8;
  const cell = Math.min(w / per, h / 3 - 14);
  const sheet = digitSheet(d);
  const good = token('--good');
  const bad = token('--bad');
  for (let k = 0; k < Math.min(GRID, d.nVal); k++) {
    const x = (w - per * cell) / 2 + (k % per) * cell;
    const y = Math.floor(k / per) * (cell + 14);
    ctx.drawImage(sheet, k * iw, 0, iw, ih, x + 2, y + 2, cell - 4, cell - 4);
    if (pred) {
      const ok = pred[k] === d.yVal[k];
      ctx.fillStyle = ok ? good : bad;
      ctx.font = '600 11px system-ui';
      ctx.textAlign = 'center';
      ctx.fillText(ok ? String(pred[k]) : `${pred[k]} (${d.yVal[k]})`, x + cell / 2, y + cell + 8);
    }
  }
}

function drawConfusion(canvas: HTMLCanvasElement, m: Uint32Array | null, C: number) {
  const { ctx, w, h } = prepare(canvas);
  const pad = 16;
  const cell = Math.min((w - pad) / C, (h - pad - 14) / C);
  // Centre the matrix; axis captions below it.
  ctx.translate((w - pad - C * cell) / 2, 0);
  ctx.fillStyle = token('--faint');
  ctx.font = '10px system-ui';
  ctx.textAlign = 'center';
  ctx.fillText('rows: true digit · columns: guess', pad + (C * cell) / 2, pad + C * cell + 10);
  const text = token('--muted');
  ctx.font = '10px system-ui';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = text;
  for (let c = 0; c < C; c++) {
    ctx.fillText(String(c), pad + (c + 0.5) * cell, 7);
    ctx.fillText(String(c), 7, pad + (c + 0.5) * cell);
  }
  if (!m) return;
  for (let t = 0; t < C; t++) {
    let row = 0;
    for (let p = 0; p < C; p++) row += m[t * C + p];
    for (let p = 0; p < C; p++) {
      const f = row > 0 ? m[t * C + p] / row : 0;
      ctx.fillStyle = t === p ? `rgba(31,138,76,${0.1 + 0.9 * f})` : `rgba(198,47,59,${Math.min(1, 3 * f)})`;
      ctx.fillRect(pad + p * cell + 0.5, pad + t * cell + 0.5, cell - 1, cell - 1);
    }
  }
}

export function DigitsView() {
  const setup = useStore((s) => s.setup);
  const step = useStore((s) => s.run.step);
  const gridRef = useRef<HTMLCanvasElement>(null);
  const confRef = useRef<HTMLCanvasElement>(null);
  const [acc, setAcc] = useState<number | null>(null);
  const d = setup?.dataset;
  const lastFetch = useRef(0);
  /** Bumped by the trailing timer, so the last step before a pause is shown too. */
  const [trailing, setTrailing] = useState(0);

  // `step` drives the refresh (throttled to about once a second, with a trailing refresh).
  // biome-ignore lint/correctness/useExhaustiveDependencies: trailing is a trigger
  useEffect(() => {
    if (!d?.image || !gridRef.current || !confRef.current) return;
    const now = performance.now();
    const wait = 1000 - (now - lastFetch.current);
    if (wait > 0 && step > 0) {
      const id = setTimeout(() => setTrailing((t) => t + 1), wait);
      return () => clearTimeout(id);
    }
    lastFetch.current = now;
    let live = true;
    void predictVal().then((probs) => {
      if (!live || !gridRef.current || !confRef.current) return;
      const pred = probs ? argmaxRows(probs, d.classes) : null;
      drawGrid(gridRef.current, d, pred);
      const m = pred ? confusion(d.yVal, pred, d.classes) : null;
      drawConfusion(confRef.current, m, d.classes);
      if (pred) setAcc(pred.filter((p, i) => p === d.yVal[i]).length / pred.length);
    });
    return () => {
      live = false;
    };
  }, [d, step, trailing]);

  return (
    <ChartCard
      title="Digits: validation predictions"
      help="A sample of validation digits with the network's guess (red: wrong, true label in brackets), and the confusion matrix (rows: true digit, columns: guess)."
      testId="digits"
      tools={
        <span className="readout">
          validation accuracy <strong>{acc === null ? '–' : pct(acc)}</strong>
        </span>
      }
    >
      <canvas
        ref={gridRef}
        className="plot"
        style={{ height: 150 }}
        role="img"
        aria-label="Sample validation digits with predictions"
      />
      <canvas ref={confRef} className="plot" style={{ height: 200 }} role="img" aria-label="Confusion matrix" />
    </ChartCard>
  );
}
