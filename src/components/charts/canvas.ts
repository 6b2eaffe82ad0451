// Canvas plumbing: crisp drawing at any devicePixelRatio, and ONE frame scheduler for every
// canvas of the page (leva's Monitor pattern: React never re-renders per sample).
//
// The scheduler (issue 14, "the page never blocks"): a single requestAnimationFrame loop walks
// the registered canvases; a canvas is drawn only when its data version, its size (from a
// ResizeObserver, so no layout is forced) or its React deps changed. Drawing stops for the frame
// once FRAME_BUDGET_MS are spent or CANVASES_PER_FRAME drawn (at least one canvas is always drawn), and the next frame starts
// with the canvases left over (round robin): a page with many charts spreads them over frames
// instead of drawing them all in one long task. Charts scrolled out of view are drawn at most
// every OFFSCREEN_MS (they stay current for exports and tests, at a fraction of the cost).
import { type RefObject, useEffect, useRef } from 'react';
import { useStore } from '../../state/store';

/** Size the backing store to the CSS box times DPR; returns a context in CSS pixels. */
export function prepare(
  canvas: HTMLCanvasElement,
  size?: { w: number; h: number },
): { ctx: CanvasRenderingContext2D; w: number; h: number } {
  const dpr = window.devicePixelRatio || 1;
  const w = size?.w ?? canvas.clientWidth;
  const h = size?.h ?? canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

/** Main-thread time per frame the charts' drawing calls may take together, ms (the rest of the 16 ms frame is the page's). */
export const FRAME_BUDGET_MS = 8;
/**
 * Canvases drawn per frame at most. The drawing calls only record; the pixels are rasterized when
 * the frame commits (measured in a Chromium trace: 1-5 ms per chart there, not counted by the time
 * budget), so the count is capped too. At 60 frames a second that is still 120 redraws a second,
 * as many as five charts following 20 metrics updates a second ask for (under load, fewer frames:
 * each chart then follows at a lower rate, in turn).
 */
export const CANVASES_PER_FRAME = 2;
/** A chart outside the viewport is redrawn at most this often, ms. */
const OFFSCREEN_MS = 1000;

interface Job {
  canvas: HTMLCanvasElement;
  /** Drawn for this data version (a Symbol before the first draw, after a deps change). */
  drawn: unknown;
  version: () => unknown;
  draw: (ctx: CanvasRenderingContext2D, w: number, h: number) => void;
  /** CSS size from the ResizeObserver (-1: not measured yet). */
  w: number;
  h: number;
  /** Drawn at the current size (false: new, or resized since). */
  sized: boolean;
  visible: boolean;
  lastDraw: number;
}

const jobs: Job[] = [];
const byCanvas = new Map<Element, Job>();
/** Last CSS size seen per canvas: a job re-registered (new deps) draws at once, without waiting for the observer. */
const sizes = new WeakMap<Element, { w: number; h: number }>();
/** Index of the job the next frame starts with (round robin). */
let next = 0;
let frame = 0;
let resize: ResizeObserver | null = null;
let inView: IntersectionObserver | null = null;

function observers(): void {
  if (!resize && typeof ResizeObserver !== 'undefined')
    resize = new ResizeObserver((entries) => {
      for (const e of entries) {
        const box = e.contentBoxSize?.[0];
        const w = box ? box.inlineSize : e.contentRect.width;
        const h = box ? box.blockSize : e.contentRect.height;
        sizes.set(e.target, { w, h });
        const j = byCanvas.get(e.target);
        if (j && (w !== j.w || h !== j.h)) {
          j.w = w;
          j.h = h;
          j.sized = false;
        }
      }
    });
  if (!inView && typeof IntersectionObserver !== 'undefined')
    inView = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          const j = byCanvas.get(e.target);
          if (j) j.visible = e.isIntersecting;
        }
      },
      { rootMargin: '200px' },
    );
}

function due(j: Job, now: number): boolean {
  if (j.w <= 0 || j.h <= 0) return false; // not laid out (hidden)
  if (j.sized && j.drawn === j.version()) return false;
  return j.visible || !j.sized || now - j.lastDraw >= OFFSCREEN_MS;
}

function tick(): void {
  frame = requestAnimationFrame(tick);
  const n = jobs.length;
  if (n === 0) return;
  const t0 = performance.now();
  let drew = 0;
  for (let k = 0; k < n; k++) {
    const i = (next + k) % n;
    const j = jobs[i];
    if (!due(j, t0)) continue;
    if (drew > 0 && (drew >= CANVASES_PER_FRAME || performance.now() - t0 > FRAME_BUDGET_MS)) {
      next = i; // the rest go first next frame
      return;
    }
    paint(j);
    drew++;
  }
  next = 0;
}

function paint(j: Job): void {
  j.drawn = j.version();
  j.sized = true;
  j.lastDraw = performance.now();
  const { ctx, w, h } = prepare(j.canvas, { w: j.w, h: j.h });
  j.draw(ctx, w, h);
}

function register(j: Job): () => void {
  observers();
  jobs.push(j);
  byCanvas.set(j.canvas, j);
  const known = sizes.get(j.canvas);
  if (known) {
    j.w = known.w;
    j.h = known.h;
  }
  if (resize) resize.observe(j.canvas);
  else {
    j.w = j.canvas.clientWidth;
    j.h = j.canvas.clientHeight;
  }
  if (inView) inView.observe(j.canvas);
  if (frame === 0) frame = requestAnimationFrame(tick);
  return () => {
    const i = jobs.indexOf(j);
    if (i >= 0) {
      jobs.splice(i, 1);
      if (next > i) next--;
    }
    byCanvas.delete(j.canvas);
    resize?.unobserve(j.canvas);
    inView?.unobserve(j.canvas);
    if (jobs.length === 0 && frame !== 0) {
      cancelAnimationFrame(frame);
      frame = 0;
    }
  };
}

/**
 * Redraw `canvas` with `draw` whenever `version()` returns something new (checked every frame by
 * the page's one scheduler), the canvas is resized, or the theme/deps change. `draw` reads the
 * latest data itself.
 */
export function useCanvasLoop(
  ref: RefObject<HTMLCanvasElement | null>,
  version: () => unknown,
  draw: (ctx: CanvasRenderingContext2D, w: number, h: number) => void,
  deps: unknown[],
): void {
  const theme = useStore((s) => s.ui.theme);
  const drawRef = useRef(draw);
  drawRef.current = draw;
  const versionRef = useRef(version);
  versionRef.current = version;
  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's redraw triggers
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    return register({
      canvas,
      drawn: Symbol('never'),
      version: () => versionRef.current(),
      draw: (ctx, w, h) => drawRef.current(ctx, w, h),
      w: -1,
      h: -1,
      sized: false,
      visible: true,
      lastDraw: 0,
    });
  }, [ref, theme, ...deps]);
}

/** Set a readout's text only when it differs: a text change costs a layout of the page. */
export function setText(el: HTMLElement | null, text: string): void {
  if (el && el.textContent !== text) el.textContent = text;
}
