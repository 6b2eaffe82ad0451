// The racers' paths for the current arena settings, recomputed only when a setting that shapes
// them changes (not on every playback frame). Six racers x 3000 steps of a 2D function is a few
// milliseconds, so a slider drag re-runs the whole race live.
import { useMemo } from 'react';
import { type ArenaPath, runArena } from '../../engine/arena';
import type { TestFunction } from '../../engine/data/testFunctions';
import { currentFunction, useArena } from './arenaStore';

export interface ArenaRace {
  fn: TestFunction;
  paths: ArenaPath[];
}

export function useArenaRace(): ArenaRace {
  const fnName = useArena((s) => s.fn);
  const kappa = useArena((s) => s.kappa);
  const angleDeg = useArena((s) => s.angleDeg);
  const start = useArena((s) => s.start);
  const slots = useArena((s) => s.slots);
  const horizon = useArena((s) => s.horizon);
  const sigma = useArena((s) => s.sigma);
  const seed = useArena((s) => s.noiseSeed);
  const fn = useMemo(() => currentFunction({ fn: fnName, kappa, angleDeg }), [fnName, kappa, angleDeg]);
  const paths = useMemo(
    () => slots.map((s) => runArena(fn, s.optimizer, start, horizon, { sigma, seed })),
    [fn, slots, start, horizon, sigma, seed],
  );
  return { fn, paths };
}

/** Index of the point shown at playback step t (a diverged path stops at its last point). */
export const shownIndex = (path: ArenaPath, t: number): number => Math.min(t, path.x.length - 1);
