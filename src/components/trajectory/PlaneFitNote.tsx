// Beside a trajectory plot: how much of the path the plane holds (planeFit.ts), in words and as a
// strip of each snapshot's off-plane distance relative to its distance from the final weights,
// so the picture says when it misleads.
import type { PlaneFit } from '../../compare/planeFit';
import { pct } from '../format';

const STRIP_W = 160;
const STRIP_H = 18;

/** One bar per snapshot (height = ratio, capped at 1) for the ratios `keep` selects, as one path. */
function bars(ratio: Float64Array, keep: (r: number) => boolean): string {
  const n = ratio.length;
  const w = Math.max(1, STRIP_W / n - 0.5);
  let d = '';
  ratio.forEach((r, k) => {
    if (!Number.isFinite(r) || !keep(r)) return;
    const h = STRIP_H * Math.min(1, r);
    d += `M${((k / n) * STRIP_W).toFixed(1)},${STRIP_H}h${w.toFixed(1)}v${(-h).toFixed(1)}h${(-w).toFixed(1)}z`;
  });
  return d;
}

/** Worst ratio above which the note warns that drawn points are not where the weights were. */
export const MISLEADING_RATIO = 0.5;

export function PlaneFitNote({ fit, labels }: { fit: PlaneFit; labels: (i: number) => string }) {
  const worst = Math.max(...fit.paths.map((p) => (Number.isFinite(p.maxRatio) ? p.maxRatio : 0)));
  const misleading = worst > MISLEADING_RATIO || !(fit.explained >= 0.5);
  return (
    <div
      className="plane-fit small"
      data-testid="plane-fit"
      data-explained={fit.explained}
      data-max-ratio={worst}
      data-misleading={misleading ? 'true' : 'false'}
    >
      <p className={misleading ? 'warn' : 'muted'}>
        The plane holds {pct(fit.explained)} of the snapshots’ variance.{' '}
        {fit.paths.map((p, i) => (
          <span key={labels(i)}>
            {fit.paths.length > 1 ? `${labels(i)}: s` : 'S'}napshots lie off the plane by up to {pct(p.maxRatio)}{' '}
            (median {pct(p.medianRatio)}) of their distance from the final weights.{' '}
          </span>
        ))}
        {misleading
          ? 'This picture misleads: points are drawn where the weights were not; read the path’s shape, not its position on the contours.'
          : 'The drawn path is close to the real one.'}
      </p>
      {fit.paths.map((p, i) => {
        return (
          <svg
            key={labels(i)}
            width={STRIP_W}
            height={STRIP_H}
            role="img"
            aria-label={`Off-plane ratio per snapshot, ${labels(i)}`}
          >
            <line
              x1={0}
              x2={STRIP_W}
              y1={STRIP_H * (1 - MISLEADING_RATIO)}
              y2={STRIP_H * (1 - MISLEADING_RATIO)}
              className="plane-fit-limit"
            />
            <path className="good" d={bars(p.ratio, (r) => r <= MISLEADING_RATIO)} />
            <path className="bad" d={bars(p.ratio, (r) => r > MISLEADING_RATIO)} />
          </svg>
        );
      })}
    </div>
  );
}
