// A titled frame around one or more SVG charts with the export buttons every chart has (SVG and
// PNG of exactly what is on screen) and a fullscreen button for the projector.
import { type ReactNode, useRef } from 'react';
import { svgElementToPng, svgText } from '../../export/chartImage';
import { downloadBlob, downloadText, slug } from '../../export/download';
import { toggleFullscreen } from '../presenter/fullscreen';

export function ChartFrame(props: {
  title: string;
  /** Download file name without extension. */
  file: string;
  children: ReactNode;
  testId?: string;
  legend?: ReactNode;
}) {
  const ref = useRef<HTMLElement>(null);
  const svg = () => ref.current?.querySelector('svg') ?? null;
  const name = slug(props.file);
  return (
    <section className="lesson-frame card" ref={ref} data-testid={props.testId} aria-label={props.title}>
      <header className="card-head">
        <h3>{props.title}</h3>
        <div className="card-tools">
          <button
            type="button"
            className="btn small"
            title="Download this chart as SVG"
            onClick={() => {
              const s = svg();
              if (s) downloadText(svgText(s), `${name}.svg`, 'image/svg+xml');
            }}
          >
            SVG
          </button>
          <button
            type="button"
            className="btn small"
            title="Download this chart as PNG"
            onClick={async () => {
              const s = svg();
              if (s) downloadBlob(await svgElementToPng(s), `${name}.png`);
            }}
          >
            PNG
          </button>
          <button
            type="button"
            className="btn small"
            title="Show this chart alone, full screen (Esc to leave)"
            aria-label={`Full screen: ${props.title}`}
            onClick={() => toggleFullscreen(ref.current)}
          >
            Full
          </button>
        </div>
      </header>
      {props.legend}
      <div className="lesson-frame-body">{props.children}</div>
    </section>
  );
}
