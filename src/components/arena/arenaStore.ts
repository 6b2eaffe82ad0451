// State of the optimizer arena: which test function, where the race starts, the racers and the
// playback position. Its own small zustand store: the arena never touches the training config
// or the worker (everything here is 2D and computed on the page in microseconds).
import { create } from 'zustand';
import { defaultArenaSlots, retuneSlots } from '../../compare/arenaDefaults';
import { addSlot, type CompareSlot, MAX_SLOTS, MIN_SLOTS } from '../../compare/compareSet';
import { makeTestFunction, type TestFunctionName, type Vec2 } from '../../engine/data/testFunctions';
import type { OptimizerConfig } from '../../engine/types';

export interface ArenaState {
  fn: TestFunctionName;
  /** Quadratic only: condition number lmax/lmin (1..1000). */
  kappa: number;
  /** Quadratic only: rotation of its axes, degrees (adaptive methods scale per coordinate, so this matters). */
  angleDeg: number;
  start: Vec2;
  slots: CompareSlot[];
  /** Legend toggles: hidden[i] hides racer i's path. */
  hidden: boolean[];
  /** The racer whose update terms the step view draws. */
  selected: number;
  /** Steps computed per racer. */
  horizon: number;
  /** Step shown (0 = the start point). */
  t: number;
  playing: boolean;
  /** Playback speed, steps per second. */
  speed: number;
  /** Gradient noise: every gradient gets sigma * xi, xi ~ N(0, I) (0 = exact gradients). */
  sigma: number;
  /** Seed of the noise stream (the same noise for every racer). */
  noiseSeed: number;
}

export const SPEEDS = [2, 5, 15, 30, 60, 120, 240] as const;
export const HORIZONS = [100, 300, 1000, 3000] as const;

const initial = (): ArenaState => ({
  fn: 'rosenbrock',
  kappa: 20,
  angleDeg: 0,
  start: makeTestFunction('rosenbrock').starts[0],
  slots: defaultArenaSlots('rosenbrock'),
  hidden: Array(6).fill(false),
  selected: 5,
  horizon: 300,
  t: 0,
  playing: false,
  speed: 30,
  sigma: 0,
  noiseSeed: 1,
});

export const useArena = create<ArenaState>()(initial);

const set = useArena.setState;
const get = useArena.getState;

/** The test function for the current settings. */
export function currentFunction(s: Pick<ArenaState, 'fn' | 'kappa' | 'angleDeg'>) {
  return makeTestFunction(s.fn, { kappa: s.kappa, angle: (s.angleDeg * Math.PI) / 180 });
}

/** Switch function: its first start point, learning rates re-tuned for it, playback from 0. */
export function setFunction(fn: TestFunctionName): void {
  const s = get();
  set({ fn, start: makeTestFunction(fn).starts[0], slots: retuneSlots(s.slots, fn), t: 0, playing: false });
}

/** Start the race from a clicked point: back to step 0 and play. */
export function setStart(start: Vec2): void {
  set({ start, t: 0, playing: true });
}

/** Gradient noise level; the race recomputes with the same noise seed. */
export function setSigma(sigma: number): void {
  set({ sigma, t: 0 });
}

/** Another draw of the noise (seed + 1). */
export function nextNoiseSeed(): void {
  set((s) => ({ noiseSeed: s.noiseSeed + 1, t: 0 }));
}

export function setKappa(kappa: number): void {
  set({ kappa, t: 0 });
}

export function setAngle(angleDeg: number): void {
  set({ angleDeg, t: 0 });
}

/** Live hyperparameter change: paths recompute, the playback position stays. */
export function setSlotOptimizer(i: number, optimizer: OptimizerConfig): void {
  set((s) => ({ slots: s.slots.map((x, j) => (j === i ? { ...x, optimizer } : x)) }));
}

export function addRacer(optimizer: OptimizerConfig): void {
  const s = get();
  if (s.slots.length >= MAX_SLOTS) return;
  const next = addSlot({ slots: s.slots, targetLoss: 0, seeds: 1 }, optimizer).slots;
  set({ slots: next, hidden: [...s.hidden, false] });
}

export function removeRacer(i: number): void {
  const s = get();
  if (s.slots.length <= MIN_SLOTS) return;
  const selected = s.selected === i ? 0 : s.selected > i ? s.selected - 1 : s.selected;
  set({ slots: s.slots.filter((_, j) => j !== i), hidden: s.hidden.filter((_, j) => j !== i), selected });
}

export function toggleHidden(i: number): void {
  set((s) => ({ hidden: s.hidden.map((h, j) => (j === i ? !h : h)) }));
}

export function select(i: number): void {
  set({ selected: i });
}

export function setHorizon(horizon: number): void {
  set((s) => ({ horizon, t: Math.min(s.t, horizon) }));
}

export function setSpeed(speed: number): void {
  set({ speed });
}

export function play(): void {
  set((s) => ({ playing: true, t: s.t >= s.horizon ? 0 : s.t }));
}

export function pause(): void {
  set({ playing: false });
}

/** Move the playback position by n steps (paused), within 0..horizon. */
export function stepBy(n: number): void {
  set((s) => ({ playing: false, t: Math.max(0, Math.min(s.horizon, s.t + n)) }));
}

export function seek(t: number): void {
  set((s) => ({ t: Math.max(0, Math.min(s.horizon, Math.round(t))) }));
}

/** Advance playback by `dt` seconds at the current speed; stops at the end. Returns the new step. */
export function advance(dtSeconds: number, carry: { frac: number }): number {
  const s = get();
  carry.frac += dtSeconds * s.speed;
  const n = Math.floor(carry.frac);
  if (n <= 0) return s.t;
  carry.frac -= n;
  const t = Math.min(s.horizon, s.t + n);
  set({ t, playing: t < s.horizon });
  return t;
}

export function resetArena(): void {
  set(initial());
}
