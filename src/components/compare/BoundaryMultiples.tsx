// Small multiples of the decision boundary, one per optimizer, drawn exactly as the playground
// draws its own (the same heatmap, 0.5 contours and training points), side by side so the shapes
// the optimizers have found so far can be compared at a glance.
import { useRef } from 'react';
import { slotLabels } from '../../compare/compareSet';
import { useCompare } from '../../state/compareSlice';
import { useStore } from '../../state/store';
import { useRunBuffers } from '../../trainer/runBuffers';
import { drawBoundary } from '../charts/BoundaryView';
import { useCanvasLoop } from '../charts/canvas';

function Multiple({ run, color, label }: { run: number; color: string; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const d = useStore((s) => s.setup?.dataset);
  const buffers = useRunBuffers();
  useCanvasLoop(
    ref,
    () => buffers?.visuals.version,
    (ctx, w, h) => {
      if (d?.bounds) drawBoundary(ctx, d, buffers?.visuals.boundaries[run], w, h, false);
    },
    [d, run],
  );
  return (
    <figure className="multiple" style={{ borderColor: color }} data-run={run}>
      <canvas ref={ref} role="img" aria-label={`Decision boundary of ${label}`} />
      <figcaption>
        <span className="slot-dot" style={{ background: color }} /> {label}
      </figcaption>
    </figure>
  );
}

export function BoundaryMultiples() {
  const slots = useCompare((s) => s.compare.slots);
  const hasBounds = useStore((s) => s.setup?.dataset.bounds != null);
  const labels = slotLabels(slots);
  if (!hasBounds) return null;
  return (
    <section className="card" aria-label="Decision boundaries" data-testid="compare-boundaries">
      <header className="card-head">
        <h2 title="What each optimizer's network predicts over the input plane, now">Decision boundaries</h2>
      </header>
      <div className="multiples">
        {slots.map((s, i) => (
          <Multiple key={s.color} run={i} color={s.color} label={labels[i]} />
        ))}
      </div>
    </section>
  );
}
