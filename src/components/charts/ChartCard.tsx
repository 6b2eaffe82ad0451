// The frame every chart sits in: a title, an optional legend and toolbar, and a live readout.
// Also the hover tracker charts use for their readout (kept in a ref, never in React state).
import { type ReactNode, type RefObject, useEffect, useRef } from 'react';
import { CardExport } from '../presenter/CardExport';

export interface LegendItem {
  label: string;
  color: string;
  dash?: boolean;
  faint?: boolean;
  /** A row that shows or hides its curve (overlays): a toggle button, `off` = hidden. */
  onToggle?: () => void;
  off?: boolean;
}

export function ChartCard(props: {
  title: string;
  help: string;
  legend?: LegendItem[];
  tools?: ReactNode;
  /** View options shown at the right of the legend row (axis, scale, smoothing). */
  subTools?: ReactNode;
  children: ReactNode;
  testId?: string;
  className?: string;
}) {
  return (
    <section className={`card ${props.className ?? ''}`} data-testid={props.testId} aria-label={props.title}>
      <header className="card-head">
        <h2 title={props.help}>{props.title}</h2>
        <div className="card-tools">
          {props.tools}
          <CardExport />
        </div>
      </header>
      {((props.legend && props.legend.length > 0) || props.subTools) && (
        <div className="card-sub">
          <ul className="legend">
            {props.legend?.map((l) => {
              const swatch = (
                <span
                  className={`swatch${l.dash ? ' dash' : ''}`}
                  style={{ borderColor: l.color, opacity: l.faint || l.off ? 0.45 : 1 }}
                />
              );
              return (
                <li key={l.label}>
                  {l.onToggle ? (
                    <button
                      type="button"
                      className={`legend-toggle${l.off ? ' off' : ''}`}
                      aria-pressed={!l.off}
                      title={l.off ? 'Show this curve' : 'Hide this curve'}
                      onClick={l.onToggle}
                    >
                      {swatch}
                      {l.label}
                    </button>
                  ) : (
                    <>
                      {swatch}
                      {l.label}
                    </>
                  )}
                </li>
              );
            })}
          </ul>
          {props.subTools && <div className="card-tools">{props.subTools}</div>}
        </div>
      )}
      {props.children}
    </section>
  );
}

export interface Hover {
  /** Pointer x in CSS pixels inside the canvas, or null when outside. */
  x: number | null;
  /** Increments on every move: part of a chart's redraw version. */
  v: number;
}

/** Tracks the pointer over a canvas without re-rendering React. */
export function useHover(ref: RefObject<HTMLCanvasElement | null>): RefObject<Hover> {
  const hover = useRef<Hover>({ x: null, v: 0 });
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const move = (e: PointerEvent) => {
      hover.current = { x: e.clientX - c.getBoundingClientRect().left, v: hover.current.v + 1 };
    };
    const leave = () => {
      hover.current = { x: null, v: hover.current.v + 1 };
    };
    c.addEventListener('pointermove', move);
    c.addEventListener('pointerleave', leave);
    return () => {
      c.removeEventListener('pointermove', move);
      c.removeEventListener('pointerleave', leave);
    };
  }, [ref]);
  return hover;
}
