// Play/pause, single step, reset and new seed, with their keyboard shortcuts (space, s or →, r),
// and the status line: backend, steps/s, epoch, step and what the run is doing.
import { useEffect } from 'react';
import { newSeed, setTheme } from '../state/actions';
import { isLocked, PREDICT_LOCK_MESSAGE } from '../state/predictSlice';
import { useStore } from '../state/store';
import { resetRun, restartWorker, stepOnce, togglePlay } from '../state/trainerSync';
import { fmt } from './format';

/** Elements where keys belong to the control, not to the shortcuts. */
function typingInto(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || tag === 'BUTTON' || tag === 'SUMMARY';
}

/** Space, s / →, r; only while `enabled` (the play bar is on screen). */
export function useShortcuts(enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingInto(e.target)) return;
      if (e.key === ' ') togglePlay();
      else if (e.key === 's' || e.key === 'ArrowRight') stepOnce();
      else if (e.key === 'r') resetRun();
      else return;
      e.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [enabled]);
}

export function PlayBar() {
  const phase = useStore((s) => s.run.phase);
  const training = phase === 'training';
  const ready = phase !== 'starting' && phase !== 'error';
  // A link's question waiting for its answer holds Play and Step (src/state/predictSlice.ts).
  const locked = useStore((s) => isLocked(s.predict));
  return (
    <div className="playbar" role="toolbar" aria-label="Training controls">
      <button
        type="button"
        className="btn primary"
        onClick={togglePlay}
        disabled={!ready || (locked && !training)}
        aria-keyshortcuts="Space"
        aria-describedby={locked ? 'predict-lock' : undefined}
        data-testid="play"
        title={locked ? PREDICT_LOCK_MESSAGE : training ? 'Pause (space)' : 'Train (space)'}
      >
        {training ? '❚❚ Pause' : '▶ Play'}
      </button>
      <button
        type="button"
        className="btn"
        onClick={stepOnce}
        disabled={!ready || locked}
        aria-keyshortcuts="s ArrowRight"
        aria-describedby={locked ? 'predict-lock' : undefined}
        data-testid="step-once"
        title={locked ? PREDICT_LOCK_MESSAGE : 'One training step (s or →)'}
      >
        Step
      </button>
      <button
        type="button"
        className="btn"
        onClick={resetRun}
        disabled={!ready}
        aria-keyshortcuts="r"
        title="Back to step 0 with the same initial weights (r)"
      >
        Reset
      </button>
      <button type="button" className="btn" onClick={newSeed} title="New random seed: new data and new initial weights">
        New seed
      </button>
      {locked ? (
        <span className="predict-lock" id="predict-lock" data-testid="predict-lock">
          Locked. {PREDICT_LOCK_MESSAGE}
        </span>
      ) : (
        <span className="kbd-hint">space · s · r</span>
      )}
    </div>
  );
}

export function StatusLine() {
  const run = useStore((s) => s.run);
  return (
    <div className="status" aria-live="polite" data-testid="status">
      <span className="phase" data-phase={run.phase}>
        <span className="dot" aria-hidden="true" />
        <strong data-testid="status-text">{run.statusText}</strong>
        {run.phase === 'error' && (
          <button type="button" className="btn small" onClick={restartWorker}>
            Restart
          </button>
        )}
      </span>
      <span>
        epoch <strong className="live num-epoch">{fmt(Math.floor(run.epoch * 100) / 100, 4)}</strong>
      </span>
      <span>
        step{' '}
        <strong className="live num-step" data-testid="step">
          {run.step}
        </strong>
      </span>
      {run.applied && (
        <span
          title={
            run.runs > 1
              ? `The racers: ${run.appliedDetail} (each one's state is in the race table)`
              : 'What the running network is trained with'
          }
        >
          {run.runs > 1 ? 'race' : 'run'}: <strong data-testid="applied">{run.applied}</strong>
        </span>
      )}
      <span>
        <strong className="live num-rate">{run.stepsPerSec > 0 ? Math.round(run.stepsPerSec) : 0}</strong> steps/s
      </span>
      <span className="backend" title={run.backendDetail}>
        {run.backend || 'choosing a backend…'}
      </span>
    </div>
  );
}

export function ThemeToggle() {
  const theme = useStore((s) => s.ui.theme);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="btn icon"
      onClick={() => setTheme(next)}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
    >
      {theme === 'dark' ? '☀' : '☾'}
    </button>
  );
}
