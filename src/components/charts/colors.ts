// Colours shared by every view: classes (TensorFlow Playground's orange/blue for two classes,
// Tableau 10 beyond), per-layer series, and theme tokens read from CSS custom properties.
import { color, interpolateRgbBasis } from 'd3';

const TWO = ['#f28e2b', '#2f7fc1'];
// Tableau 10 (d3's schemeTableau10), written out: d3-scale-chromatic ships as one file whose
// colour ramps cannot be tree-shaken, and it is not worth 6 kB gzipped of the first screen.
const TABLEAU10 = [
  '#4e79a7',
  '#f28e2c',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc949',
  '#af7aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ab',
];

/** Colour of class c among C classes. */
export function classColor(c: number, C: number): string {
  if (C <= 2) return TWO[c] ?? TWO[1];
  return TABLEAU10[c % 10];
}

const diverging = interpolateRgbBasis(['#e8832a', '#f3f3f3', '#2f7fc1']);

/** Colour of a regression value t in [-1, 1]: the class colours' orange (low) through grey to blue (high). */
export function valueColor(t: number): string {
  return diverging(0.5 + 0.5 * Math.max(-1, Math.min(1, t)));
}

const LAYER = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#9d755d', '#bab0ac'];

/** Colour of layer l's series (hidden layers then the output layer). */
export const layerColor = (l: number): string => LAYER[l % LAYER.length];

/** Tokens read so far, for the root's current theme and classes (the key below). */
const tokens = new Map<string, string>();
let tokensFor = '';

/**
 * A CSS custom property of the document (theme token), e.g. token('--train'). Cached per theme
 * (`data-theme` and the classes of <html>, e.g. presenter): getComputedStyle forces a style
 * recalculation whenever the page changed, and charts ask for tokens on every frame they draw.
 */
export function token(name: string): string {
  const root = document.documentElement;
  const key = `${root.dataset.theme ?? ''}|${root.className}`;
  if (key !== tokensFor) {
    tokens.clear();
    tokensFor = key;
  }
  let v = tokens.get(name);
  if (v === undefined) {
    v = getComputedStyle(root).getPropertyValue(name).trim() || '#888';
    tokens.set(name, v);
  }
  return v;
}

/**
 * Any CSS colour (#rgb, #rrggbb, rgb(), named...) as [r, g, b]. The build minifies '#ffffff' to
 * '#fff' in custom properties, so never parse hex by hand.
 */
export function rgb(colorText: string): [number, number, number] {
  const c = color(colorText)?.rgb();
  return c ? [Math.round(c.r), Math.round(c.g), Math.round(c.b)] : [128, 128, 128];
}
