// What the page can ask of a built session besides training: decision boundaries, weight
// snapshots, raw predictions, losses at given weights, and the periodic visual
// tick. Each reads the backend (call inside the service's `exclusive`, through `guarded`).
import * as Comlink from 'comlink';
import type { BoundaryGrid, VisualOptions, Visuals, WeightSnapshots } from './protocol';
import type { Session } from './session';
import { boundaryGrid, boundaryInputs, hasBoundary, MAX_STREAMED_PARAMS, weightHistograms } from './visuals';

const clampInt = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(Number(v) || lo)));

/** The visual tick of every run per the options. */
export async function visualsFor(s: Session, v: VisualOptions): Promise<Visuals> {
  const out: Visuals = { boundaries: [], histograms: [], weights: [] };
  const x = v.boundary && hasBoundary(s.dataset) ? boundaryInputs(s.dataset, v.boundaryRes) : null;
  const streamWeights = v.weights && s.layout.size <= MAX_STREAMED_PARAMS;
  // Filled per run (in run order whatever order the answers come in: Session.eachRun may ask all at once).
  const bounds: Visuals['boundaries'][] = [];
  const hists: Visuals['histograms'][] = [];
  const weights: Visuals['weights'][] = [];
  await s.eachRun(async (run) => {
    const step = s.tracks[run].step;
    bounds[run] = [];
    hists[run] = [];
    weights[run] = [];
    if (x) {
      const values = await s.backend.predict(run, x, v.boundaryRes ** 2);
      bounds[run].push(boundaryGrid(s.dataset, run, step, v.boundaryRes, values));
    }
    if (!v.histograms && !streamWeights) return;
    const theta = await s.backend.readParams(run);
    if (v.histograms) hists[run].push(weightHistograms(s.layout, theta, run, step, v.histogramBins));
    if (streamWeights) weights[run].push({ run, step, theta });
  });
  out.boundaries = bounds.flat();
  out.histograms = hists.flat();
  out.weights = weights.flat();
  return out;
}

export async function boundaryFor(s: Session, run: number, res: number): Promise<BoundaryGrid | null> {
  if (!hasBoundary(s.dataset)) return null;
  const r = clampInt(res, 8, 256);
  const values = await s.backend.predict(run, boundaryInputs(s.dataset, r), r * r);
  const g = boundaryGrid(s.dataset, run, s.tracks[run].step, r, values);
  return Comlink.transfer(g, [values.buffer as ArrayBuffer]);
}

/** The kept snapshots, plus the current weights so the path reaches "now". */
export async function snapshotsFor(s: Session, run: number): Promise<WeightSnapshots> {
  const snap = s.snapshots[run].export(run);
  const step = s.tracks[run].step;
  if (snap.count > 0 && snap.steps[snap.count - 1] >= step) return snap;
  const theta = await s.backend.readParams(run);
  const thetas = new Float32Array((snap.count + 1) * snap.params);
  thetas.set(snap.thetas);
  thetas.set(theta, snap.count * snap.params);
  const out = { ...snap, count: snap.count + 1, steps: Float64Array.from([...snap.steps, step]), thetas };
  return Comlink.transfer(out, [out.thetas.buffer, out.steps.buffer]);
}

/** Outputs over a whole split, from its raw inputs. */
export function predictSplitFor(s: Session, run: number, split: 'train' | 'val'): Promise<Float32Array> {
  const ds = s.dataset;
  const [x, n] = split === 'train' ? [ds.xTrainRaw, ds.nTrain] : [ds.xValRaw, ds.nVal];
  return s.backend.predict(run, x, n);
}

/** Data loss at k parameter vectors packed in thetas[k, P]. */
export function lossAtFor(s: Session, thetas: Float32Array, k: number, split: 'train' | 'val'): Promise<Float32Array> {
  const P = s.layout.size;
  if (!(Number.isInteger(k) && k >= 1 && thetas.length === k * P))
    throw new Error(`lossAt: thetas has ${thetas.length} values, expected k * P = ${k} * ${P}`);
  return s.backend.lossAt(
    Array.from({ length: k }, (_, i) => thetas.subarray(i * P, (i + 1) * P)),
    split,
  );
}
