// Diagnostics in plain words, per layer and live (src/engine/diagnostics.ts): dead ReLUs and
// saturated tanh/sigmoid units from the worker (activation statistics of the current weights on a
// probe batch), vanishing/exploding gradients and the update-to-weight ratio from the last steps'
// metrics in the page's buffer, with a suggested learning rate. Each diagnostic links to a config
// that shows it (diagnosticDemos.ts).
import { useEffect, useState } from 'react';
import { encodeHash } from '../../config/urlHash';
import { DEMO_STEPS, diagnosticDemos } from '../../engine/diagnosticDemos';
import { type Diagnostic, diagnose } from '../../engine/diagnostics';
import { setField } from '../../state/actions';
import { useStore } from '../../state/store';
import { type RunBuffers, useRunBuffers } from '../../trainer/runBuffers';

/** Steps of metrics the medians are taken over. */
const RECENT = 50;
const POLL_MS = 1500;

const DEMOS = diagnosticDemos();
const demoLink = (kind: string) => {
  const d = DEMOS.find((x) => x.kind === kind);
  return d ? `#${encodeHash(d.triggers)}` : null;
};

/** The last RECENT values of a per-layer step metric of run 0, per layer. */
function recent(bridge: RunBuffers, name: 'gradNorm' | 'updateRatio', L: number): number[][] {
  const h = bridge.metrics.runs[0];
  if (!h) return [];
  return Array.from({ length: L }, (_, l) => Array.from(h.layer(name, l).slice(-RECENT)));
}

export function DiagnosticsPanel() {
  const bridge = useRunBuffers();
  const setup = useStore((s) => s.setup);
  const lr = useStore((s) => s.config.optimizer.lr);
  const phase = useStore((s) => s.run.phase);
  const step = useStore((s) => s.run.step);
  const [found, setFound] = useState<Diagnostic[] | null>(null);
  const L = setup?.layers.length ?? 0;
  // While training: polled. While paused: checked once at each step count (after Step, Reset).
  const pausedAt = phase === 'training' ? -1 : step;
  useEffect(() => {
    let live = true;
    const check = async () => {
      if (!bridge || L === 0) return;
      const stats = (await bridge.activationStats(0).catch(() => null)) ?? [];
      if (!live) return;
      setFound(
        diagnose({
          stats,
          gradNorms: recent(bridge, 'gradNorm', L),
          updateRatios: recent(bridge, 'updateRatio', L),
          lr,
        }),
      );
    };
    if (pausedAt === 0) setFound(null);
    else void check();
    const id = phase === 'training' ? setInterval(check, POLL_MS) : undefined;
    return () => {
      live = false;
      clearInterval(id);
    };
  }, [bridge, L, lr, phase, pausedAt]);
  return (
    <section className="card diagnostics" data-testid="diagnostics" aria-label="Diagnostics">
      <header className="card-head">
        <h2 title="Checks of the live run, per layer, over the last 50 steps and the current weights">Diagnostics</h2>
      </header>
      {found === null ? (
        <p className="muted small">Train a few steps: the checks appear here.</p>
      ) : found.length === 0 ? (
        <p className="muted small" data-testid="diagnostics-ok">
          No problem found: no dead or saturated layer, gradient norms within 1e-3 of each other and below 100, updates
          within a decade of 1e-3 of the weights per step.
        </p>
      ) : (
        <ul className="diagnostic-list">
          {found.map((d) => (
            <li key={`${d.kind}-${d.layer}`} data-kind={d.kind} data-layer={d.layer}>
              {d.text}{' '}
              {d.suggestedLr !== undefined && (
                <button
                  type="button"
                  className="btn small"
                  onClick={() => setField('optimizer.lr', Number(d.suggestedLr!.toPrecision(2)))}
                >
                  Use lr {d.suggestedLr.toPrecision(2)}
                </button>
              )}{' '}
              {demoLink(d.kind) && (
                <a href={demoLink(d.kind)!} title={`A config that shows this after ${DEMO_STEPS} steps`}>
                  example
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
