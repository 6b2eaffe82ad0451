// Noisy arenas: a seeded gradient-noise slider for every test function, a caption written from the
// current settings, and on the quadratic each racer's measured noise floor (mean loss over the
// second half of its path) beside the closed-form stationary loss of its rule, when the rule's
// spec has one (ClosedForm.stationaryLoss: SGD, heavy ball). No optimizer is named here.
import { slotLabels } from '../../compare/compareSet';
import { type ArenaPath, meanLoss } from '../../engine/arena';
import type { TestFunction } from '../../engine/data/testFunctions';
import { optimizerSpec } from '../../engine/optimizers/registry';
import { fmt } from '../format';
import { nextNoiseSeed, setSigma, useArena } from './arenaStore';
import { MarkedSlider } from './MarkedSlider';

const SIGMA_MAX = 2;

/** The caption, from the settings only (so it can never disagree with a slider). */
export function noiseCaption(sigma: number, seed: number, horizon: number, quadratic: boolean): string {
  if (sigma === 0) return 'Exact gradients: no noise. Move the slider to add Gaussian noise to every gradient.';
  const base = `Every gradient gets σ·ξ added, ξ ~ N(0, I), σ = ${fmt(sigma)} (seed ${seed}, the same noise for every racer).`;
  return quadratic
    ? `${base} At a constant step the loss stops falling at a noise floor: measured = mean loss over steps ${Math.floor(horizon / 2)}–${horizon}; theory = the stationary E[f] of the rule (smaller steps, lower floor: why annealing helps).`
    : `${base} A constant step keeps bouncing around the minimum: smaller steps (annealing) or averaging the iterates settle closer.`;
}

export function NoisePanel({ fn, paths }: { fn: TestFunction; paths: ArenaPath[] }) {
  const sigma = useArena((s) => s.sigma);
  const seed = useArena((s) => s.noiseSeed);
  const horizon = useArena((s) => s.horizon);
  const slots = useArena((s) => s.slots);
  const labels = slotLabels(slots);
  const h = fn.hessian;
  return (
    <section className="card noise-panel" aria-label="Gradient noise" data-testid="noise-panel">
      <header className="card-head">
        <h2 title="Stochastic gradients, simulated: seeded Gaussian noise on every gradient">Gradient noise</h2>
        <button type="button" className="btn small" onClick={nextNoiseSeed} disabled={sigma === 0}>
          New noise
        </button>
      </header>
      <MarkedSlider
        label="Noise σ"
        value={sigma}
        toPos={(v) => v / SIGMA_MAX}
        toValue={(p) => Math.round(p * SIGMA_MAX * 100) / 100}
        format={(v) => fmt(v)}
        markers={[]}
        onChange={setSigma}
        testId="sigma-slider"
      />
      <p className="muted small" data-testid="noise-caption">
        {noiseCaption(sigma, seed, horizon, h !== undefined)}
      </p>
      {h && sigma > 0 && (
        <table className="noise-floor" data-testid="noise-floor">
          <thead>
            <tr>
              <th>racer</th>
              <th title="Mean loss over the second half of the path">measured</th>
              <th title="Stationary E[f] of the rule at this step and noise">theory</th>
            </tr>
          </thead>
          <tbody>
            {slots.map((s, i) => {
              const floor = optimizerSpec(s.optimizer.name).closedForm?.stationaryLoss;
              const theory = floor ? floor(s.optimizer, [h.lmin, h.lmax], sigma) : Number.NaN;
              const path = paths[i];
              const measured = path && !path.diverged ? meanLoss(path) : Number.NaN;
              return (
                <tr key={`${s.color}-${labels[i]}`} data-theory={theory} data-measured={measured}>
                  <td>
                    <span className="slot-dot" style={{ background: s.color }} /> {labels[i]}
                  </td>
                  <td>{path?.diverged ? 'diverged' : fmt(measured, 3)}</td>
                  <td>{floor ? (Number.isFinite(theory) ? fmt(theory, 3) : 'unstable') : '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
