// The sweep drawn two ways, as SVG (React renders, d3 does the math: scales, ticks, line paths),
// with every style inline so the export is the picture on screen: the heatmap (SweepHeatmap.tsx)
// and the lines (SweepLineView.tsx). This file holds what both share: their props, the palette of
// both themes, how lrs, values and rows are written, and the heatmap's colour scale.
// Hover gives the cell's values (onHover), click opens its run in the playground (onOpen).
import * as d3 from 'd3';
import type { Ref } from 'react';
import type { RunStatusInfo } from '../../../workers/protocol';
import type { CellResult, SweepCell, SweepConfig } from '../../compare/sweep';
import { hyperDef } from '../../engine/optimizers/hypers';
import { OPTIMIZER_LABELS } from '../../engine/optimizers/registry';

export interface SweepChartProps {
  sweep: SweepConfig;
  cells: readonly SweepCell[];
  results: readonly CellResult[];
  status: readonly (RunStatusInfo | undefined)[];
  /** Under the title: the data, network and batch size the cells share. */
  subtitle: string;
  dark: boolean;
  svgRef: Ref<SVGSVGElement>;
  onHover: (i: number | null, x: number, y: number) => void;
  onOpen: (i: number) => void;
}

export const FONT = 'system-ui, -apple-system, Segoe UI, sans-serif';
export const W = 640;
export const DASHES = ['', '7 4', '2 3', '10 3 2 3', '4 4', '1 5'];

export interface Palette {
  text: string;
  muted: string;
  grid: string;
  bg: string;
  diverged: string;
  cross: string;
  pending: string;
}

export const palette = (dark: boolean): Palette =>
  dark
    ? {
        text: '#e4e8ef',
        muted: '#a1a9b8',
        grid: '#2a303c',
        bg: '#171b23',
        diverged: '#3b414d',
        cross: '#ff6b76',
        pending: '#5f6879',
      }
    : {
        text: '#1d2330',
        muted: '#5d6677',
        grid: '#e3e6eb',
        bg: '#ffffff',
        diverged: '#d5d8de',
        cross: '#c62f3b',
        pending: '#9aa2b1',
      };

/** "0.001", "0.0316", "3.16e-5": lrs as they are in the grid (3 significant digits). */
export const lrText = (x: number): string => (x >= 1e-4 && x < 1e4 ? String(x) : d3.format('.3~e')(x));
export const valueText = (v: number): string => (Number.isFinite(v) ? d3.format('.3~g')(v) : '–');

/** "SGD", "Momentum μ=0.5": a row's (a line's) name. */
export function rowLabel(optimizer: SweepCell['optimizer'], extra: number | null, s: SweepConfig): string {
  const name = OPTIMIZER_LABELS[optimizer];
  return extra === null || !s.extra ? name : `${name} ${hyperDef(s.extra.key).symbol}=${extra}`;
}

/** The colour scale of the values: log when all are positive; low (good) = bright. */
export function valueScale(values: readonly number[]): { color: (v: number) => string; domain: [number, number] } {
  const ok = values.filter((v) => Number.isFinite(v));
  let [lo, hi] = ok.length > 0 ? (d3.extent(ok) as [number, number]) : [0.1, 1];
  const log = lo > 0;
  if (hi <= lo) [lo, hi] = log ? [lo / 1.5, hi * 1.5] : [lo - 1, hi + 1];
  const t = log ? d3.scaleLog().domain([lo, hi]).range([0, 1]) : d3.scaleLinear().domain([lo, hi]).range([0, 1]);
  return { color: (v) => d3.interpolateViridis(1 - Math.min(1, Math.max(0, t(v)))), domain: [lo, hi] };
}

/** Relative luminance (WCAG) of a CSS colour. */
function luminance(c: string): number {
  const { r, g, b } = d3.rgb(c);
  const lin = (v: number) => {
    const x = v / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
/** Near-black (#10131a, luminance 0.0065) or white, whichever contrasts more with the fill (WCAG ratio). */
export const inkOn = (fill: string) =>
  (luminance(fill) + 0.05) / 0.0565 > 1.05 / (luminance(fill) + 0.05) ? '#10131a' : '#ffffff';

export function stateText(r: RunStatusInfo | undefined): string {
  return r?.state ?? '';
}
