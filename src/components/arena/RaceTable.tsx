// The race as numbers: each racer's value at the shown step, its distance to the nearest known
// minimum, the first step it came within 0.01 of one, and on the quadratic its convergence rate
// measured from the path beside the rate theory predicts for its settings.

import { slotLabels } from '../../compare/compareSet';
import { type ArenaPath, convergenceRate } from '../../engine/arena';
import { quadraticRate } from '../../engine/arenaExtras';
import type { TestFunction } from '../../engine/data/testFunctions';
import { fmt } from '../format';
import { select, useArena } from './arenaStore';
import { shownIndex } from './useArenaPaths';

/** Distance from (x, y) to the nearest known minimum (NaN when there is none: the saddle). */
export function distanceToMinimum(fn: TestFunction, x: number, y: number): number {
  let d = Number.NaN;
  for (const m of fn.minima) {
    const e = Math.hypot(x - m.x, y - m.y);
    if (!(e >= d)) d = e;
  }
  return d;
}

/** First step whose point lies within `tol` of a minimum, or -1. */
export function stepsToReach(fn: TestFunction, p: ArenaPath, tol = 0.01): number {
  for (let k = 0; k < p.x.length; k++) if (distanceToMinimum(fn, p.x[k], p.y[k]) < tol) return k;
  return -1;
}

/** Measured rate over the second half of the path (NaN when it diverged or is too short). */
function measuredRate(p: ArenaPath): number {
  if (p.diverged || p.x.length < 8) return Number.NaN;
  try {
    return convergenceRate(p, [0, 0]);
  } catch {
    return Number.NaN;
  }
}

export function RaceTable({ fn, paths }: { fn: TestFunction; paths: ArenaPath[] }) {
  const slots = useArena((s) => s.slots);
  const t = useArena((s) => s.t);
  const selected = useArena((s) => s.selected);
  const labels = slotLabels(slots);
  const quad = fn.hessian;
  return (
    <div className="table-scroll">
      <table className="race-table" data-testid="arena-race-table">
        <thead>
          <tr>
            <th>optimizer</th>
            <th title="Function value at the shown step">f(w)</th>
            {fn.minima.length > 0 && <th title="Distance to the nearest known minimum">‖w − w*‖</th>}
            {fn.minima.length > 0 && <th title="First step within 0.01 of a minimum">reached</th>}
            {quad && <th title="Error shrink factor per step predicted for these settings (closed form)">theory</th>}
            {quad && <th title="Error shrink factor per step fitted on the second half of the path">measured</th>}
          </tr>
        </thead>
        <tbody>
          {paths.map((p, k) => {
            const s = slots[k];
            if (!s) return null;
            const i = shownIndex(p, t);
            const reached = fn.minima.length > 0 ? stepsToReach(fn, p) : -1;
            const theory = quad ? quadraticRate(s.optimizer, quad.lmin, quad.lmax) : null;
            return (
              <tr key={s.color} className={k === selected ? 'selected' : ''} onClick={() => select(k)}>
                <th scope="row">
                  <span className="slot-dot" style={{ background: s.color }} /> {labels[k]}
                </th>
                <td>{p.diverged && i === p.x.length - 1 ? `diverged @${i}` : fmt(p.f[i], 4)}</td>
                {fn.minima.length > 0 && <td>{fmt(distanceToMinimum(fn, p.x[i], p.y[i]), 3)}</td>}
                {fn.minima.length > 0 && <td>{reached >= 0 ? `step ${reached}` : '–'}</td>}
                {quad && (
                  <td title={theory === null ? 'adaptive methods have no closed-form rate' : undefined}>
                    {theory === null ? '–' : fmt(theory, 4)}
                  </td>
                )}
                {quad && <td>{fmt(measuredRate(p), 4)}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
