// Playback of the arena race: play/pause, single steps both ways, back to the start, a scrubber
// over the computed steps, the speed and how many steps to compute. The animation advances on
// requestAnimationFrame while playing; the paths themselves are already computed.
import { useEffect } from 'react';
import { advance, HORIZONS, pause, play, SPEEDS, seek, setHorizon, setSpeed, stepBy, useArena } from './arenaStore';

// Icons as SVG paths: media-control glyphs (U+23EE, U+23F8) are missing from many fonts.
const ICONS = {
  start: 'M3 2h2v12H3zM14 2v12L6 8z',
  back: 'M12 2v12L4 8z',
  play: 'M4 2v12l10-6z',
  pause: 'M3 2h4v12H3zM9 2h4v12H9z',
  forward: 'M4 2v12l8-6zM13 2h2v12h-2z',
} as const;

function Icon({ name }: { name: keyof typeof ICONS }) {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true">
      <path d={ICONS[name]} fill="currentColor" />
    </svg>
  );
}

/** Runs the playback clock while `playing` is true. */
export function usePlayback(): void {
  const playing = useArena((s) => s.playing);
  useEffect(() => {
    if (!playing) return;
    const carry = { frac: 0 };
    let last = performance.now();
    let frame = requestAnimationFrame(function tick(now) {
      advance(Math.min(0.25, (now - last) / 1000), carry);
      last = now;
      if (useArena.getState().playing) frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing]);
}

export function PlayControls() {
  const playing = useArena((s) => s.playing);
  const t = useArena((s) => s.t);
  const horizon = useArena((s) => s.horizon);
  const speed = useArena((s) => s.speed);
  usePlayback();
  return (
    <fieldset className="arena-play">
      <legend className="visually-hidden">Playback</legend>
      <button type="button" onClick={() => seek(0)} title="Back to the start point" aria-label="Back to the start">
        <Icon name="start" />
      </button>
      <button type="button" onClick={() => stepBy(-1)} title="One step back" aria-label="Step back">
        <Icon name="back" />
      </button>
      <button
        type="button"
        className="primary"
        onClick={playing ? pause : play}
        aria-label={playing ? 'Pause' : 'Play'}
        data-testid="arena-play"
      >
        <Icon name={playing ? 'pause' : 'play'} />
      </button>
      <button
        type="button"
        onClick={() => stepBy(1)}
        title="One step forward"
        aria-label="Step forward"
        data-testid="arena-step"
      >
        <Icon name="forward" />
      </button>
      <input
        type="range"
        className="arena-scrub"
        min={0}
        max={horizon}
        value={t}
        aria-label="Step shown"
        onChange={(e) => {
          pause();
          seek(Number(e.target.value));
        }}
      />
      <span className="arena-step" data-testid="arena-step-count">
        step {t} / {horizon}
      </span>
      <label>
        speed{' '}
        <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))} aria-label="Playback speed">
          {SPEEDS.map((v) => (
            <option key={v} value={v}>
              {v}/s
            </option>
          ))}
        </select>
      </label>
      <label>
        steps{' '}
        <select value={horizon} onChange={(e) => setHorizon(Number(e.target.value))} aria-label="Steps to compute">
          {HORIZONS.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
