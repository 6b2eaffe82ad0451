// The step-by-step view: for the selected racer at the shown step, where it is, its gradient,
// and its next move split into the terms of its update rule, with the colour of each term's
// arrow on the plot. For the adaptive methods, the per-coordinate scale 1/(sqrt(cache) + delta)
// that turns the gradient step into their step.
import { slotLabels } from '../../compare/compareSet';
import type { ArenaPath, UpdateTerms } from '../../engine/arena';
import type { TestFunction, Vec2 } from '../../engine/data/testFunctions';
import { UpdateRule } from '../controls/formulas';
import { fmt } from '../format';
import { useArena } from './arenaStore';
import { TERM_COLORS } from './UpdateArrows';
import { shownIndex } from './useArenaPaths';

const vec = (v: Vec2) => `(${fmt(v[0])}, ${fmt(v[1])})`;

const ROWS: { key: keyof Omit<UpdateTerms, 'scale' | 'evalOffset'>; label: string; help: string }[] = [
  { key: 'momentum', label: 'momentum', help: 'carried over from earlier steps (velocity, first moment)' },
  { key: 'gradient', label: 'gradient', help: 'the push from the gradient at this point, after any adaptive scaling' },
  { key: 'decay', label: 'decay', help: 'AdamW’s decoupled weight decay −ε·λ·w' },
  { key: 'total', label: 'total move', help: 'where the racer lands: the sum of the terms above' },
  { key: 'plain', label: 'plain −ε·g', help: 'what vanilla SGD would do here, for comparison' },
];

export function StepPanel({ fn, paths }: { fn: TestFunction; paths: ArenaPath[] }) {
  const slots = useArena((s) => s.slots);
  const selected = useArena((s) => s.selected);
  const t = useArena((s) => s.t);
  const path = paths[selected];
  const slot = slots[selected];
  if (!path || !slot) return null;
  const label = slotLabels(slots)[selected];
  const i = shownIndex(path, t);
  const x = path.x[i];
  const y = path.y[i];
  const terms = path.terms[i];
  const g = fn.grad(x, y);
  const used = (k: string) => k === 'total' || k === 'plain' || (terms && Math.hypot(...terms[k as 'gradient']) > 0);
  return (
    <section
      className="card arena-step-panel"
      aria-label="Update terms of the selected optimizer"
      data-testid="step-panel"
    >
      <header className="card-head">
        <h2 title="The selected racer's next update, split into the terms of its rule (arrows on the plot)">
          <span className="slot-dot" style={{ background: slot.color }} /> {label} at step {i}
        </h2>
      </header>
      <UpdateRule name={slot.optimizer.name} />
      <dl className="arena-facts">
        <dt>w</dt>
        <dd>{vec([x, y])}</dd>
        <dt>f(w)</dt>
        <dd>{fmt(path.f[i], 4)}</dd>
        <dt>g = ∇f</dt>
        <dd>{vec(g)}</dd>
        {terms?.evalOffset && (
          <>
            <dt title="Schedule-Free's averaged point, where it is evaluated (the gradient is taken at w = y)">
              x (evaluated)
            </dt>
            <dd>{vec([x + terms.evalOffset[0], y + terms.evalOffset[1]])}</dd>
          </>
        )}
      </dl>
      {terms ? (
        <table className="arena-terms">
          <tbody>
            {ROWS.filter((r) => used(r.key)).map((r) => (
              <tr key={r.key} title={r.help}>
                <th>
                  <span
                    className="term-swatch"
                    style={{ borderColor: TERM_COLORS[r.key] }}
                    data-dash={r.key === 'plain' || r.key === 'total'}
                  />
                  {r.label}
                </th>
                <td>{vec(terms[r.key])}</td>
              </tr>
            ))}
            {terms.scale && (
              <tr title="Per-coordinate multiplier 1/(√v + δ) of the gradient: large where gradients have been small">
                <th>adaptive scale</th>
                <td>
                  x ×{fmt(terms.scale[0])}, y ×{fmt(terms.scale[1])}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      ) : (
        <p className="muted">
          {path.diverged ? `Diverged after step ${path.x.length - 1}: no further move.` : 'End of the computed steps.'}
        </p>
      )}
    </section>
  );
}
