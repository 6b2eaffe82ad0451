// Slider position <-> value for the field controls. Linear fields map directly; log fields step
// through "nice" values (1, 1.5, 2, 3, 5, 7 per decade) so a learning rate reads 0.003, not
// 0.0031622, and links stay short; a log field whose minimum is 0 gets "off" at the far left.
import type { NumberField } from '../../config/fields';

/** Mantissas of the values a log slider stops at: 1, 1.5, 2, 3, 5, 7 per decade (readable links). */
const MANTISSAS = [1, 1.5, 2, 3, 5, 7];

/** The nice values from lo to hi (inclusive), ascending. */
export function logLadder(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
    for (const m of MANTISSAS) {
      const v = Number((m * 10 ** e).toPrecision(2));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  return out;
}

/** Slider position <-> value. Log fields step through nice values; with min 0, the far left is "off". */
export function sliderScale(f: NumberField, step?: number) {
  if (!f.log) {
    const s = step ?? (f.integer ? 1 : (f.max - f.min) / 100);
    return { min: f.min, max: f.max, step: s, toValue: (p: number) => p, toPos: (v: number) => v };
  }
  const hasZero = f.min === 0;
  const ladder = logLadder(hasZero ? f.max * 1e-6 : f.min, f.max);
  if (hasZero) ladder.unshift(0);
  return {
    min: 0,
    max: ladder.length - 1,
    step: 1,
    toValue: (p: number) => ladder[Math.max(0, Math.min(ladder.length - 1, Math.round(p)))],
    // A value from a link between two stops sits at the nearest one (in log distance).
    toPos: (v: number) => {
      if (hasZero && v <= 0) return 0;
      let best = hasZero ? 1 : 0;
      for (let i = best; i < ladder.length; i++)
        if (Math.abs(Math.log(ladder[i] / v)) < Math.abs(Math.log(ladder[best] / v))) best = i;
      return best;
    },
  };
}
