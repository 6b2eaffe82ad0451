// Where a spread race's runs train (pure maths for workers/cpu/sharded.ts, tested in sharded.test.ts).
//
// Placement: runs start split evenly (contiguous blocks of ceil/floor R/W). Each shard times each
// of its runs' steps; when the runs cost differently (Muon's Newton-Schulz, a stopped racer costs
// nothing) the longest-processing-time split of the measured costs (each run, costliest first,
// onto the least loaded shard) replaces the current one if it shortens the slowest shard's time
// per step by REBALANCE_GAIN at least; moved runs carry their whole state.
// A run's cost is the least ms per step over samples of at least MIN_SAMPLE_MS (CostMeter): the
// machine's other work only ever slows a sample down, and a shorter sample is below the clock's
// resolution (0.1 ms in a page that is not cross-origin isolated). The first decision waits for
// REBALANCE_EVERY_MS of training after build: it used to come on the first step's times (JIT
// compilation charged to whichever run came first), which could leave six equal runs split 4:2
// for the whole next second (the bench's (c-cores) window).
// Whether spreading pays at all: spreadPays (else, UNSPREAD_AFTER decisions in a row, the race goes
// back to one worker).
//
// Legend: R runs, W shards (workers), c_r run r's measured ms per step, load(s) = sum of c_r on s.

/** A placement change must cut the slowest shard's ms per step by at least this fraction. */
export const REBALANCE_GAIN = 0.15;
/** Placement is reconsidered at most this often, ms (costs are averaged over the calls since). */
export const REBALANCE_EVERY_MS = 1000;
/**
 * Whether spreading pays: the race's measured wall time per step over its shards (the coordinator's
 * train() calls, messages and waiting included) against the sum of its runs' costs per step, i.e.
 * about what one worker would take for all of them (a fused race in one worker takes less still).
 * It pays when the spread time is at least REBALANCE_GAIN below that sum; on a loaded machine, where
 * the sub-workers get no core of their own, it does not, and the race goes back to one worker.
 */
export function spreadPays(wallPerStep: number, costs: readonly number[]): boolean {
  const sum = costs.reduce((a, c) => a + c, 0);
  return !(sum > 0) || wallPerStep < (1 - REBALANCE_GAIN) * sum;
}

/**
 * Decisions in a row (one per REBALANCE_EVERY_MS) in which spreading must not pay before the race
 * goes back to one worker, which it does not undo until the next build. One second of another
 * program's load (both cores taken: the shards take turns) must not leave the race in one worker for
 * the rest of its life; under lasting load the spread race costs about what one worker does, so
 * waiting costs little.
 */
export const UNSPREAD_AFTER = 3;

/**
 * Decisions in a row that must suggest the same new placement before runs move by measured costs.
 * Under another program's load the shards' threads lose their cores unevenly and the measured
 * costs say so (seen: six equal runs moved to a 4:2 split, whose larger shard takes ~30% more CPU
 * per step than a 3:3 one's); a real difference (Muon's Newton-Schulz) suggests the same
 * placement every time.
 */
export const MOVE_AFTER = 2;

/** Shortest timing a cost sample is made of, ms (calls of a run are pooled up to it). */
export const MIN_SAMPLE_MS = 1;

/**
 * One run's cost per step from its timed train() calls: calls are pooled into samples of at least
 * MIN_SAMPLE_MS, and the cost is the least ms per step of a sample (load only ever slows one
 * down). NaN until the first sample is complete.
 */
export class CostMeter {
  private ms = 0;
  private steps = 0;
  private best = Number.POSITIVE_INFINITY;

  add(ms: number, steps: number): void {
    if (!(steps > 0)) return;
    this.ms += ms;
    this.steps += steps;
    if (this.ms < MIN_SAMPLE_MS) return;
    this.best = Math.min(this.best, this.ms / this.steps);
    this.ms = 0;
    this.steps = 0;
  }

  /** ms per step, NaN while no sample is complete. */
  get cost(): number {
    return Number.isFinite(this.best) ? this.best : Number.NaN;
  }
}

/** Shard sizes of R runs over W shards as even as can be: run r's shard. */
export function evenPlacement(R: number, W: number): number[] {
  const owner: number[] = [];
  for (let s = 0; s < W; s++) {
    const size = Math.floor(R / W) + (s < R % W ? 1 : 0);
    for (let i = 0; i < size; i++) owner.push(s);
  }
  return owner;
}

/** Largest load of a placement: the time per step of the slowest shard. */
export function makespan(owner: readonly number[], cost: readonly number[], W: number): number {
  const load = new Array<number>(W).fill(0);
  owner.forEach((s, r) => {
    load[s] += cost[r];
  });
  return Math.max(...load);
}

/**
 * Longest processing time first: each run, costliest first, onto the least loaded shard; then the
 * new shards are matched to the current ones by the cost they already hold, so few runs move.
 */
export function costPlacement(cost: readonly number[], W: number, current: readonly number[]): number[] {
  const R = cost.length;
  const order = Array.from({ length: R }, (_, r) => r).sort((a, b) => cost[b] - cost[a] || a - b);
  const bins: number[][] = Array.from({ length: W }, () => []);
  const load = new Array<number>(W).fill(0);
  for (const r of order) {
    let best = 0;
    // ties by run count, so runs of no cost (stopped) spread too
    for (let s = 1; s < W; s++)
      if (load[s] < load[best] || (load[s] === load[best] && bins[s].length < bins[best].length)) best = s;
    bins[best].push(r);
    load[best] += cost[r];
  }
  const label = new Array<number>(W).fill(-1);
  const used = new Set<number>();
  const stays = (b: number, s: number) => bins[b].filter((r) => current[r] === s).length;
  for (const b of [...bins.keys()].sort((x, y) => load[y] - load[x])) {
    let pick = -1;
    for (let s = 0; s < W; s++) if (!used.has(s) && (pick < 0 || stays(b, s) > stays(b, pick))) pick = s;
    label[b] = pick;
    used.add(pick);
  }
  const owner = new Array<number>(R);
  bins.forEach((runs, b) => {
    for (const r of runs) owner[r] = label[b];
  });
  return owner;
}

/**
 * A spread race's placement decisions and their memory (sharded.ts rebalance): whether it goes back
 * to one worker (spreadPays false UNSPREAD_AFTER decisions in a row) and where runs move (the
 * costPlacement suggestion when it cuts the makespan by REBALANCE_GAIN and, for measured costs,
 * was the same MOVE_AFTER decisions in a row).
 */
export class PlacementJudge {
  /** Decisions in a row in which spreading did not pay. */
  unpaid = 0;
  private suggested = '';
  private times = 0;

  constructor(private readonly unspreadAfter = UNSPREAD_AFTER) {}

  /** One decision on spreading: it pays; it did not ('again': fresh costs decide again); 'unspread'. */
  spread(wallPerStep: number, costs: readonly number[]): 'pays' | 'again' | 'unspread' {
    this.unpaid = spreadPays(wallPerStep, costs) ? 0 : this.unpaid + 1;
    return this.unpaid === 0 ? 'pays' : this.unpaid >= this.unspreadAfter ? 'unspread' : 'again';
  }

  /** The placement to move to now, or null (stay); confirm: the costs were measured. */
  moveTo(cost: readonly number[], W: number, owner: readonly number[], confirm: boolean): number[] | null {
    const next = costPlacement(cost, W, owner);
    const gains = makespan(next, cost, W) <= (1 - REBALANCE_GAIN) * makespan(owner, cost, W);
    const key = gains ? next.join(',') : '';
    this.times = key !== '' && key === this.suggested ? this.times + 1 : 1;
    this.suggested = key;
    if (!gains || (confirm && this.times < MOVE_AFTER)) return null;
    this.suggested = '';
    this.times = 0;
    return next;
  }
}
