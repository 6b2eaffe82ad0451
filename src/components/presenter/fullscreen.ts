// Fullscreen for one chart on the projector (the `f` key, a chart card's Full button, a lesson
// frame's button). Where the Fullscreen API is refused, the element takes the window instead
// (.pseudo-fullscreen). Its own file: the first screen's keys and cards need it, not the exports.

/** Fullscreen for one element (a single chart on the projector); Esc leaves. */
export function toggleFullscreen(el: HTMLElement | null): void {
  if (!el) return;
  if (document.fullscreenElement) void document.exitFullscreen();
  else void el.requestFullscreen?.().catch(() => el.classList.toggle('pseudo-fullscreen'));
}
