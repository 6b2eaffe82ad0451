// One colour per optimizer slot, shared by every compare view (curves, legend, table, small
// multiples, trajectories) and the arenas, so "orange" means the same run everywhere.
//
// Tableau 10 with its yellow (faint on white) and grey (reads as "disabled") moved last, then two
// hues of Tableau 20: the first eight stay apart for the common colour-vision deficiencies when
// paired with distinct labels; the last four serve races of nine to twelve (every optimizer).

export const SLOT_COLORS: readonly string[] = [
  '#4e79a7', // blue
  '#f28e2c', // orange
  '#e15759', // red
  '#59a14f', // green
  '#af7aa1', // purple
  '#76b7b2', // teal
  '#9c755f', // brown
  '#ff9da7', // pink
  '#edc948', // yellow
  '#79706e', // grey
  '#b6992d', // olive
  '#d37295', // magenta
];

/** The most-distinct colour not yet used by `taken` (falls back to cycling when all are used). */
export function nextColor(taken: readonly string[]): string {
  const used = new Set(taken.map((c) => c.toLowerCase()));
  return SLOT_COLORS.find((c) => !used.has(c)) ?? SLOT_COLORS[taken.length % SLOT_COLORS.length];
}

const HEX = /^#[0-9a-fA-F]{6}$/;

/** True for '#rrggbb' (the only form the URL and the canvas code accept). */
export function isHexColor(c: unknown): c is string {
  return typeof c === 'string' && HEX.test(c);
}

/** '#rrggbb' with alpha in [0, 1] as an rgba() string for canvas fills. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
