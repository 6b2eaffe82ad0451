// Building a weight-space trajectory picture from the trainer: fetch every run's snapshots
// (the worker keeps them, ending at the current weights), choose the plane (PCA of all runs'
// snapshots together, or two filter-normalized random directions, through the anchor run's
// current weights), project each path, then evaluate the loss surface over a grid on that plane
// in small slices. Each slice is one lossAt call; the worker answers it between two training
// chunks, so training continues while the surface fills in.
import type { WeightSnapshots } from '../../workers/protocol';
import { type Plane, pcaPlaneSliced, projectWork, randomPlane, sliced, type WeightBlock } from './plane';
import { type PlaneFit, planeFitWork } from './planeFit';
import { pathsExtent, SurfaceJob } from './surface';

/** The part of the trainer API a trajectory needs (the bridge's remote API, or a test double). */
export interface TrajectorySource {
  getSnapshots(run: number): Promise<WeightSnapshots | null>;
  lossAt(thetas: Float32Array, k: number, split: 'train' | 'val'): Promise<Float32Array | null>;
}

export type PlaneMode = 'pca' | 'random';

export interface TrajectoryOptions {
  /** Runs to draw; the plane passes through the first one's current weights. */
  runs: number[];
  mode: PlaneMode;
  /** Grid resolution of the surface (res x res losses). */
  res: number;
  /** Losses per lossAt call. */
  slice: number;
  /** Weight matrices (for filter normalization in 'random' mode). */
  blocks: WeightBlock[];
  /** Seed of the random directions. */
  seed: number;
  /** Loss of which split the surface shows. */
  split: 'train' | 'val';
}

export interface ProjectedPath {
  run: number;
  /** Training step of each point. */
  steps: Float64Array;
  /** [K, 2] plane coordinates, interleaved. */
  coords: Float32Array;
}

export interface Trajectory {
  plane: Plane;
  /** How well the plane holds the paths (planeFit.ts): variance explained, off-plane ratios per snapshot. */
  fit: PlaneFit;
  paths: ProjectedPath[];
  surface: SurfaceJob;
}

/**
 * Not an error but a waiting state: training has not yet left enough distinct weight snapshots
 * for a plane (none at all, or a PCA over fewer than two, or every snapshot still equal to the
 * current weights, as right after start). The view says "collecting weight snapshots…".
 */
export class WaitingForSnapshots extends Error {
  constructor(readonly have: number) {
    super(`trajectory: collecting weight snapshots (${have} so far)`);
    this.name = 'WaitingForSnapshots';
  }
}

/** True when some snapshot differs from `origin` (the weights have moved). */
function moved(lists: readonly Float32Array[][], origin: Float32Array): boolean {
  for (const list of lists)
    for (const s of list) if (s !== origin) for (let i = 0; i < origin.length; i++) if (s[i] !== origin[i]) return true;
  return false;
}

/** Splits a [k, P] pack into k views (no copy). */
function unpack(s: WeightSnapshots): Float32Array[] {
  return Array.from({ length: s.count }, (_, i) => s.thetas.subarray(i * s.params, (i + 1) * s.params));
}

/**
 * Fetch snapshots, choose the plane and project the paths. The surface is returned empty: fill it
 * with `fillSurface`. Throws WaitingForSnapshots while there is nothing to project yet.
 */
export async function projectRuns(src: TrajectorySource, o: TrajectoryOptions): Promise<Trajectory> {
  if (o.runs.length === 0) throw new Error('trajectory: no run to draw');
  const snaps: { run: number; s: WeightSnapshots }[] = [];
  for (const run of o.runs) {
    const s = await src.getSnapshots(run);
    if (s && s.count > 0) snaps.push({ run, s });
  }
  if (snaps.length === 0) throw new WaitingForSnapshots(0);
  const lists = snaps.map(({ s }) => unpack(s));
  const anchor = lists[0];
  const origin = anchor[anchor.length - 1];
  const count = lists.reduce((n, l) => n + l.length, 0);
  if (o.mode === 'pca' && (count < 2 || !moved(lists, origin))) throw new WaitingForSnapshots(count);
  let plane: Plane;
  // The Gram matrix costs K^2 P / 2: cap it near 2e8 multiply-adds so a big net stays interactive.
  const maxSnapshots = Math.max(20, Math.min(200, Math.floor(Math.sqrt(4e8 / origin.length))));
  // On the page's main thread: in slices, so a big race never blocks it (no task over 50 ms).
  if (o.mode === 'pca') plane = await pcaPlaneSliced(lists.flat(), origin, maxSnapshots);
  else plane = randomPlane(origin, o.blocks, o.seed);
  const paths: Trajectory['paths'] = [];
  for (let i = 0; i < snaps.length; i++) {
    paths.push({ run: snaps[i].run, steps: snaps[i].s.steps, coords: await sliced(projectWork(plane, lists[i])) });
  }
  // Random directions: the paths barely leave the origin (Li et al.'s point), so show the usual
  // [-1, 1] window of the directions themselves; PCA: a square around every path.
  const extent = o.mode === 'random' ? ([-1, 1, -1, 1] as const) : pathsExtent(paths.map((p) => p.coords));
  const fit = await sliced(planeFitWork(plane, lists));
  return { plane, fit, paths, surface: new SurfaceJob(plane, [...extent], o.res) };
}

/**
 * Evaluate the surface slice by slice. `onSlice` runs after each slice (redraw the progress);
 * `cancelled()` is checked between slices (a newer request, or the view was closed).
 */
export async function fillSurface(
  src: TrajectorySource,
  job: SurfaceJob,
  o: Pick<TrajectoryOptions, 'slice' | 'split'>,
  onSlice: () => void = () => {},
  cancelled: () => boolean = () => false,
): Promise<boolean> {
  for (let s = job.nextSlice(o.slice); s; s = job.nextSlice(o.slice)) {
    if (cancelled()) return false;
    const losses = await src.lossAt(s.thetas, s.k, o.split);
    if (!losses) throw new Error('trajectory: the trainer has no runs to evaluate the loss with');
    job.accept(s.start, losses);
    onSlice();
    // Give the trainer's loop (and the page) a turn before the next slice, so a training chunk
    // runs between two slices even when both sides answer without a message hop (tests, CPU).
    await new Promise((r) => setTimeout(r, 0));
  }
  return true;
}
