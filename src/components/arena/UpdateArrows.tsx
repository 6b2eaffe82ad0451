// The selected racer's next update, drawn as one arrow per term of its rule, head to tail:
// momentum (what it carries over), then the gradient term (the new push, after any adaptive
// per-coordinate scaling), then AdamW's decay; they end where the racer lands. The total move
// and the plain gradient step -lr*g (what SGD would do here) are drawn from the point itself, so
// the effect of the adaptive scale is the angle between the dashed and the gradient arrow.
import type { UpdateTerms } from '../../engine/arena';
import type { Vec2 } from '../../engine/data/testFunctions';

/** SVG colours of the terms (also the step panel's swatches); the total follows the theme's text colour. */
export const TERM_COLORS = {
  plain: '#6b7280',
  momentum: '#7c3aed',
  gradient: '#dc2626',
  decay: '#0891b2',
  total: 'var(--text)',
} as const;

/** A readable magnification (1, 2 or 5 times a power of ten) that brings the longest arrow near `target` px. */
export function magnification(longestPx: number, target = 70): number {
  if (!(longestPx > 0) || !Number.isFinite(longestPx)) return 1;
  const raw = target / longestPx;
  if (raw >= 0.5 && raw <= 2) return 1;
  const e = Math.floor(Math.log10(raw));
  const m = raw / 10 ** e;
  const nice = m >= 5 ? 5 : m >= 2 ? 2 : 1;
  return nice * 10 ** e;
}

/** The plain step's arrow is cut at this many pixels (its true size is in the step panel). */
const PLAIN_MAX = 180;

function clip(v: Vec2, max: number): Vec2 {
  const n = Math.hypot(v[0], v[1]);
  return n > max ? [(v[0] * max) / n, (v[1] * max) / n] : v;
}

function Arrow({
  from,
  d,
  color,
  dash,
  width = 2,
}: {
  from: Vec2;
  d: Vec2;
  color: string;
  dash?: boolean;
  width?: number;
}) {
  const len = Math.hypot(d[0], d[1]);
  if (!(len > 0.5) || !Number.isFinite(len)) return null;
  const [x0, y0] = from;
  const x1 = x0 + d[0];
  const y1 = y0 + d[1];
  const ux = d[0] / len;
  const uy = d[1] / len;
  const h = Math.min(8, len * 0.45);
  const head = `M${x1},${y1}L${x1 - h * ux + h * 0.45 * uy},${y1 - h * uy - h * 0.45 * ux}L${x1 - h * ux - h * 0.45 * uy},${y1 - h * uy + h * 0.45 * ux}Z`;
  return (
    <g>
      <line
        x1={x0}
        y1={y0}
        x2={x1 - h * 0.8 * ux}
        y2={y1 - h * 0.8 * uy}
        stroke={color}
        strokeWidth={width}
        strokeDasharray={dash ? '4 3' : undefined}
      />
      <path d={head} fill={color} />
    </g>
  );
}

/** Schedule-Free's averaged point x (true position, not magnified), where it is evaluated, beside w = y. */
function EvalPoint({ at, d }: { at: Vec2; d: Vec2 }) {
  if (!d.every(Number.isFinite)) return null;
  const p: Vec2 = [at[0] + d[0], at[1] + d[1]];
  return (
    <g data-testid="eval-point">
      <line
        x1={at[0]}
        y1={at[1]}
        x2={p[0]}
        y2={p[1]}
        stroke={TERM_COLORS.total}
        strokeWidth={1}
        strokeDasharray="1 3"
      />
      <circle cx={p[0]} cy={p[1]} r={4} fill="none" stroke={TERM_COLORS.total} strokeWidth={1.5} />
      <text x={p[0] + 6} y={p[1] + 12} className="arena-mag">
        x (evaluated)
      </text>
    </g>
  );
}

export function UpdateArrows({ terms, at, scale }: { terms: UpdateTerms; at: Vec2; scale: Vec2 }) {
  // Function units -> pixels (y flips: up in the function is up on screen).
  const toPx = (v: Vec2): Vec2 => [v[0] * scale[0], -v[1] * scale[1]];
  const raw = {
    plain: toPx(terms.plain),
    momentum: toPx(terms.momentum),
    gradient: toPx(terms.gradient),
    decay: toPx(terms.decay),
    total: toPx(terms.total),
  };
  // Magnify so the terms of the actual update are readable; the plain gradient step can be far
  // longer (an adaptive method's step does not grow with the gradient), so it alone is clipped.
  const terms4 = [raw.momentum, raw.gradient, raw.decay, raw.total];
  const longest = Math.max(...terms4.map((v) => Math.hypot(v[0], v[1])).filter(Number.isFinite));
  const k = magnification(longest);
  const s = (v: Vec2): Vec2 => [v[0] * k, v[1] * k];
  const m = s(raw.momentum);
  const g = s(raw.gradient);
  const afterM: Vec2 = [at[0] + m[0], at[1] + m[1]];
  const afterG: Vec2 = [afterM[0] + g[0], afterM[1] + g[1]];
  return (
    <g className="update-arrows" data-testid="update-arrows" data-magnification={k} pointerEvents="none">
      <Arrow from={at} d={clip(s(raw.plain), PLAIN_MAX)} color={TERM_COLORS.plain} dash width={1.6} />
      <Arrow from={at} d={s(raw.total)} color={TERM_COLORS.total} width={1.2} dash />
      <Arrow from={at} d={m} color={TERM_COLORS.momentum} width={2.4} />
      <Arrow from={afterM} d={g} color={TERM_COLORS.gradient} width={2.4} />
      <Arrow from={afterG} d={s(raw.decay)} color={TERM_COLORS.decay} width={2.4} />
      {terms.evalOffset && <EvalPoint at={at} d={toPx(terms.evalOffset)} />}
      {k !== 1 && (
        <text x={at[0] + 8} y={at[1] - 8} className="arena-mag">
          arrows ×{k}
        </text>
      )}
    </g>
  );
}
