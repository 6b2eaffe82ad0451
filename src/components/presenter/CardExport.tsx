// PNG / SVG / fullscreen buttons for the playground's canvas chart cards (ChartCard). The PNG is
// the card's canvases composited with its title; the SVG carries the title as text and each
// canvas as an embedded image (the live charts are drawn on canvas, not as vector paths).
// The image code (export/chartImage.ts) loads on the first click: every card has these buttons,
// few are pressed (the first screen's JavaScript budget).
import { createContext, useContext, useRef } from 'react';
import { downloadBlob, downloadText, slug } from '../../export/download';
import { toggleFullscreen } from './fullscreen';

type ChartImage = typeof import('../../export/chartImage');
const loadChartImage = (): Promise<ChartImage> => import('../../export/chartImage');

const css = (name: string, fallback: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/** A prefix for the downloaded files' names (a lesson demo's charts: `softmax-loss.svg`). */
export const CardExportPrefix = createContext('');

export function CardExport() {
  const ref = useRef<HTMLSpanElement>(null);
  const prefix = useContext(CardExportPrefix);
  const card = () => ref.current?.closest<HTMLElement>('.card') ?? null;
  const make = (img: ChartImage) => {
    const c = card();
    if (!c) return null;
    const out = img.compositeCard(c, css('--bg', '#ffffff'), css('--text', '#111111'));
    const title = slug(c.querySelector('h2')?.textContent ?? 'chart');
    return { ...out, name: prefix ? `${slug(prefix)}-${title}` : title };
  };
  return (
    <span className="card-export" ref={ref}>
      <button
        type="button"
        className="btn small"
        title="Download this chart as PNG"
        onClick={async () => {
          const img = await loadChartImage();
          const m = make(img);
          if (m) downloadBlob(await img.canvasBlob(m.canvas), `${m.name}.png`);
        }}
      >
        PNG
      </button>
      <button
        type="button"
        className="btn small"
        title="Download this chart as SVG (the plot embedded as an image)"
        onClick={async () => {
          const m = make(await loadChartImage());
          if (m) downloadText(m.svg, `${m.name}.svg`, 'image/svg+xml');
        }}
      >
        SVG
      </button>
      <button
        type="button"
        className="btn small"
        title="This chart alone, full screen (Esc leaves)"
        aria-label="Full screen"
        onClick={() => toggleFullscreen(card())}
      >
        Full
      </button>
    </span>
  );
}
