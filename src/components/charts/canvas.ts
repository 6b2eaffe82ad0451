// Canvas plumbing: crisp drawing at any devicePixelRatio, and a hook that redraws a canvas on
// requestAnimationFrame only when its data version, its size or the theme changed (leva's
// Monitor pattern: React never re-renders per sample).
import { type RefObject, useEffect, useRef } from 'react';
import { useStore } from '../../state/store';

/** Size the backing store to the CSS box times DPR; returns a context in CSS pixels. */
export function prepare(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

/**
 * Redraw `canvas` with `draw` whenever `version()` returns something new (checked every frame),
 * the canvas is resized, or the theme/deps change. `draw` reads the latest data itself.
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
    let last: unknown = Symbol('never');
    let lastW = -1;
    let lastH = -1;
    let frame = 0;
    const tick = () => {
      frame = requestAnimationFrame(tick);
      const v = versionRef.current();
      if (v === last && canvas.clientWidth === lastW && canvas.clientHeight === lastH) return;
      last = v;
      lastW = canvas.clientWidth;
      lastH = canvas.clientHeight;
      if (lastW === 0 || lastH === 0) return;
      const { ctx, w, h } = prepare(canvas);
      drawRef.current(ctx, w, h);
    };
    tick();
    return () => cancelAnimationFrame(frame);
  }, [ref, theme, ...deps]);
}
