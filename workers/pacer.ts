// How many steps the worker's loop takes per turn, and when the next turn comes. Each turn is
// short (SLICE_MS, under one 60 Hz frame) and ends by yielding to the worker's event loop, so a
// pause or a slider change posted by the page is handled before the next turn: it takes effect
// within one frame whatever the training speed.
//   'max'        : as many steps as fit in a slice, next turn immediately (after a yield).
//   s steps/sec  : the steps that are due by the wall clock since start (at most a slice's worth;
//                  a backlog larger than that is forgiven, not replayed in a burst), then sleep
//                  until the next step is due.
import type { Speed } from './protocol';

/** Target duration of one turn of training, ms. */
export const SLICE_MS = 12;
/** Most steps one turn may take (keeps a single backend call bounded even for tiny nets). */
export const MAX_CHUNK = 4096;

export interface Plan {
  /** Steps to take now (0: nothing due yet). */
  steps: number;
  /** Wait this long before the next turn, ms (0: just yield). */
  waitMs: number;
}

export class Pacer {
  private speedValue: Speed = 'max';
  /**
   * Running estimate of the cost of one step, ms (exponential average over turns); NaN until a
   * turn was measured on this network and backend: the first turn then takes one step, so Play
   * shows a step after one step's time, whatever the network (a guess of 1 ms made the first turn
   * of a digits net 12 steps, seconds long).
   */
  msPerStep = Number.NaN;
  private anchorTime = 0;
  private anchorSteps = 0;

  get speed(): Speed {
    return this.speedValue;
  }

  /** Change the speed; the wall-clock anchor restarts so a change never causes a burst. */
  setSpeed(speed: Speed, now: number, stepsDone: number): void {
    this.speedValue = speed === 'max' || !(speed > 0) || !Number.isFinite(speed) ? 'max' : speed;
    this.restart(now, stepsDone);
  }

  /** (Re)start pacing from now (on start, resume, reset). */
  restart(now: number, stepsDone: number): void {
    this.anchorTime = now;
    this.anchorSteps = stepsDone;
  }

  /** A new network or backend: the cost of a step is unknown again. */
  forget(): void {
    this.msPerStep = Number.NaN;
  }

  /** Steps that fit in one slice at the current cost estimate (1 while it is unknown). */
  sliceSteps(): number {
    if (Number.isNaN(this.msPerStep)) return 1;
    return Math.max(1, Math.min(MAX_CHUNK, Math.floor(SLICE_MS / Math.max(1e-3, this.msPerStep))));
  }

  plan(now: number, stepsDone: number): Plan {
    const fit = this.sliceSteps();
    if (this.speedValue === 'max') return { steps: fit, waitMs: 0 };
    const rate = this.speedValue / 1000; // steps per ms
    let due = Math.floor((now - this.anchorTime) * rate) - (stepsDone - this.anchorSteps);
    if (due > 2 * fit) {
      // Far behind (the backend is slower than the requested speed, or the tab slept): forgive the backlog.
      this.restart(now - fit / rate, stepsDone);
      due = fit;
    }
    if (due > 0) return { steps: Math.min(due, fit), waitMs: 0 };
    const nextAt = this.anchorTime + (stepsDone - this.anchorSteps + 1) / rate;
    return { steps: 0, waitMs: Math.max(1, nextAt - now) };
  }

  /** Feed the measured duration of a turn of `steps` steps. */
  observe(steps: number, ms: number): void {
    if (steps <= 0 || !(ms >= 0)) return;
    const per = ms / steps;
    // Quick to learn at first, smooth afterwards; a single slow turn (GC) cannot stall the loop.
    const m = Math.max(1e-4, per);
    this.msPerStep = Number.isNaN(this.msPerStep) ? m : 0.7 * this.msPerStep + 0.3 * m;
  }
}

/** Steps per second over a sliding window (for the status line). */
export class RateMeter {
  private readonly times: number[] = [];
  private readonly counts: number[] = [];
  private since = -1;
  constructor(private readonly windowMs = 1000) {}

  /** Training (re)started at `now`: the rate counts from here. */
  begin(now: number): void {
    this.clear();
    this.since = now;
  }

  add(now: number, steps: number): void {
    if (this.since < 0) this.since = now;
    this.times.push(now);
    this.counts.push(steps);
    this.trim(now);
  }

  rate(now: number): number {
    this.trim(now);
    const span = Math.min(this.windowMs, now - this.since);
    if (this.since < 0 || span <= 0) return 0;
    let n = 0;
    for (const c of this.counts) n += c;
    return (n * 1000) / span;
  }

  clear(): void {
    this.times.length = 0;
    this.counts.length = 0;
    this.since = -1;
  }

  private trim(now: number): void {
    while (this.times.length > 0 && now - this.times[0] > this.windowMs) {
      this.times.shift();
      this.counts.shift();
    }
  }
}
