// Weight-space trajectories (Li et al. 2018): the path(s) of training projected on a plane
// through the current weights (the top two principal directions of all snapshots, or two
// filter-normalized random directions), over the contours of the training loss on that plane.
// In compare mode every racer's path lies on one shared plane. The surface is evaluated by the
// trainer in small slices between training steps.
import { scaleLinear } from 'd3';
import { useCallback, useEffect, useRef, useState } from 'react';
import { slotLabels } from '../../compare/compareSet';
import { finiteRange } from '../../compare/contourLevels';
import { surfacePlan } from '../../compare/surface';
import {
  fillSurface,
  type PlaneMode,
  projectRuns,
  type Trajectory,
  WaitingForSnapshots,
} from '../../compare/trajectory';
import { useCompare } from '../../state/compareSlice';
import { useStore } from '../../state/store';
import type { RunHistory } from '../../trainer/metricsBuffer';
import { useRunBuffers } from '../../trainer/runBuffers';
import { ContourLayer, fieldLevels } from '../arena/ContourLayer';
import { token } from '../charts/colors';
import { fmt, pct } from '../format';
import { PlaneFitNote } from './PlaneFitNote';
import '../arena/arena.css';
import './trajectory.css';

const SIZE = 420;
const M = { l: 30, b: 26, t: 6, r: 6 };
const W = SIZE - M.l - M.r;
const H = SIZE - M.t - M.b;
const RESOLUTIONS = [15, 25, 41] as const;

interface Shown {
  tr: Trajectory;
  /** The surface is complete (contours are drawn only then, so the picture never mixes planes). */
  ready: boolean;
  progress: number;
}

/**
 * The runs with the current leader (lowest training loss at the last epoch end) first: the plane
 * goes through the leader's weights, so the lowest contours near the origin are the best found.
 */
function leaderFirst(runs: number[], hist: readonly (RunHistory | null)[]): number[] {
  const last = (r: number) => {
    const col = hist[r]?.epoch('trainLoss');
    return col && col.length > 0 && Number.isFinite(col[col.length - 1])
      ? col[col.length - 1]
      : Number.POSITIVE_INFINITY;
  };
  const best = runs.reduce((b, r) => (last(r) < last(b) ? r : b), runs[0]);
  return [best, ...runs.filter((r) => r !== best)];
}

export function TrajectoryView() {
  const view = useCompare((s) => s.view);
  const slots = useCompare((s) => s.compare.slots);
  const hidden = useCompare((s) => s.hidden);
  const setup = useStore((s) => s.setup);
  const generation = useStore((s) => s.run.generation);
  const phase = useStore((s) => s.run.phase);
  const [mode, setMode] = useState<PlaneMode>('pca');
  const [res, setRes] = useState<number>(25);
  const [follow, setFollow] = useState(true);
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Not enough weight snapshots for a plane yet (right after start): a waiting state, not an error. */
  const [waiting, setWaiting] = useState(false);
  const request = useRef(0);
  /** Id of the request still evaluating its surface (0: none); the periodic refresh waits for it. */
  const inFlight = useRef(0);

  const compare = view === 'compare';
  const runs = compare ? slots.map((_, i) => i).filter((i) => !hidden[i]) : [0];
  const runsKey = runs.join(',');
  // Big problems (digits) get a coarser grid, one point per call, and no periodic refresh.
  const plan = surfacePlan(setup?.dataset.nTrain ?? 0, setup?.params ?? 0, res);

  const api = useRunBuffers();
  const update = useCallback(async () => {
    if (!api || !setup) return;
    // A newer request supersedes a running one: the old fill stops at its next slice.
    const id = ++request.current;
    inFlight.current = id;
    const blocks = setup.layers.map((l) => ({ offset: l.wOffset, rows: l.units, cols: l.inputs }));
    const opts = {
      runs: leaderFirst(runsKey.split(',').map(Number), api.metrics.runs),
      mode,
      res: plan.res,
      slice: plan.slice,
      blocks,
      seed: 7,
      split: 'train' as const,
    };
    try {
      const tr = await projectRuns(api, opts);
      if (id !== request.current) return;
      setError(null);
      setWaiting(false);
      setShown({ tr, ready: false, progress: 0 });
      await fillSurface(
        api,
        tr.surface,
        opts,
        () => setShown({ tr, ready: tr.surface.done, progress: tr.surface.progress }),
        () => id !== request.current,
      );
    } catch (e) {
      if (id !== request.current) return;
      const wait = e instanceof WaitingForSnapshots;
      setWaiting(wait);
      setError(wait ? null : e instanceof Error ? e.message.replace(/^trajectory: /, '') : String(e));
    } finally {
      if (inFlight.current === id) inFlight.current = 0;
    }
  }, [api, setup, mode, plan.res, plan.slice, runsKey]);

  // A new build of the runs (or a reset) makes the old picture meaningless.
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the trigger
  useEffect(() => {
    request.current++;
    setShown(null);
  }, [generation]);

  // Refresh: now, on a settings change, and every few seconds while training when following.
  useEffect(() => {
    void update();
    if (!follow || !plan.follow) return;
    const id = setInterval(() => {
      if (useStore.getState().run.phase === 'training' && inFlight.current === 0) void update();
    }, 4000);
    return () => clearInterval(id);
  }, [update, follow, plan.follow]);

  // Waiting for snapshots while training: look again soon rather than at the next 4 s refresh.
  useEffect(() => {
    if (!waiting || phase !== 'training') return;
    const id = setTimeout(() => {
      if (inFlight.current === 0) void update();
    }, 1000);
    return () => clearTimeout(id);
  }, [waiting, phase, update]);

  // Training paused or finished: one last refresh so the picture shows where it stopped.
  // biome-ignore lint/correctness/useExhaustiveDependencies: phase is the trigger
  useEffect(() => {
    if (phase !== 'training') void update();
  }, [phase]);

  const tr = shown?.tr;
  const [a0, a1, b0, b1] = tr?.surface.extent ?? [-1, 1, -1, 1];
  const sx = scaleLinear([a0, a1], [0, W]);
  const sy = scaleLinear([b0, b1], [H, 0]);
  const levels = shown?.ready && tr ? fieldLevels(tr.surface.values, 18, true) : [];
  const [lo, hi] = shown?.ready && tr ? finiteRange(tr.surface.values) : [Number.NaN, Number.NaN];
  const labels = slotLabels(slots);
  const colorOf = (run: number) => (compare ? (slots[run]?.color ?? '#888') : token('--accent'));
  const axis = (k: 0 | 1) =>
    tr?.plane.kind === 'pca'
      ? `PC${k + 1} (${pct(tr.plane.explained[k])} of the path's variance)`
      : `random direction ${k === 0 ? 'δ' : 'η'} (filter-normalized)`;

  return (
    <section className="card trajectory" aria-label="Weight-space trajectory" data-testid="trajectory">
      <header className="card-head">
        <h2 title="Training paths projected on a plane through the current weights, over the training loss on that plane (Li et al. 2018)">
          Trajectory in weight space
        </h2>
        <div className="card-tools">
          {/* The option texts name what they choose, so the selects need no separate label. */}
          <select value={mode} onChange={(e) => setMode(e.target.value as PlaneMode)} aria-label="Plane">
            <option value="pca">plane: PCA of the path</option>
            <option value="random">plane: random directions</option>
          </select>
          <select
            value={res}
            onChange={(e) => setRes(Number(e.target.value))}
            aria-label="Surface resolution"
            title="Loss evaluations per side of the surface grid"
          >
            {RESOLUTIONS.map((r) => (
              <option key={r} value={r}>
                grid {r}×{r}
              </option>
            ))}
          </select>
          <label title="Refresh every few seconds while training">
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
          </label>
          <button type="button" className="btn small" onClick={() => void update()}>
            Update
          </button>
        </div>
      </header>
      {error && !tr && <p className="muted small">{error}</p>}
      <svg
        className="trajectory-plot"
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        role="img"
        aria-label="Projected training path over loss contours"
        data-ready={shown?.ready ? 'true' : 'false'}
      >
        <g transform={`translate(${M.l},${M.t})`}>
          <rect width={W} height={H} fill="var(--panel-2)" stroke="var(--border)" />
          {shown?.ready && tr && (
            <ContourLayer
              values={tr.surface.values}
              nx={tr.surface.res}
              ny={tr.surface.res}
              width={W}
              height={H}
              levels={levels}
              log
            />
          )}
          {tr?.paths.map((p) => {
            const c = p.coords;
            const n = c.length / 2;
            let d = '';
            for (let k = 0; k < n; k++)
              d += `${k === 0 ? 'M' : 'L'}${sx(c[2 * k]).toFixed(1)},${sy(c[2 * k + 1]).toFixed(1)}`;
            const color = colorOf(p.run);
            return (
              <g key={p.run}>
                <path
                  d={d}
                  fill="none"
                  stroke={color}
                  strokeWidth={2}
                  strokeLinejoin="round"
                  data-testid="trajectory-path"
                  data-points={n}
                />
                <circle cx={sx(c[0])} cy={sy(c[1])} r={4} fill="var(--panel)" stroke={color} strokeWidth={1.5} />
                <circle cx={sx(c[2 * n - 2])} cy={sy(c[2 * n - 1])} r={4} fill={color} />
              </g>
            );
          })}
          {tr && !shown?.ready && (
            <text x={W / 2} y={H - 10} textAnchor="middle" className="arena-tick">
              evaluating the loss surface… {Math.round((shown?.progress ?? 0) * 100)}%
            </text>
          )}
          {/* Without a picture: what to wait for (a real error is the paragraph above the plot). */}
          {!tr && !error && (
            <text x={W / 2} y={H / 2} textAnchor="middle" className="arena-tick" data-testid="trajectory-waiting">
              {waiting && phase === 'training'
                ? 'collecting weight snapshots…'
                : 'Train a few steps: the path appears here'}
            </text>
          )}
          <text x={W / 2} y={H + 18} textAnchor="middle" className="arena-tick">
            {tr ? axis(0) : ''}
          </text>
          <text transform={`translate(-16,${H / 2}) rotate(-90)`} textAnchor="middle" className="arena-tick">
            {tr ? axis(1) : ''}
          </text>
        </g>
      </svg>
      {tr && <PlaneFitNote fit={tr.fit} labels={(i) => labels[tr.paths[i].run]} />}
      {(plan.res < res || !plan.follow) && (
        <p className="muted small">
          This network and dataset are large: the surface uses a {plan.res}×{plan.res} grid
          {plan.follow ? '' : ' and refreshes only when training pauses or on Update'}.
        </p>
      )}
      <p className="muted small">
        {shown?.ready
          ? `Training loss on this plane: ${fmt(lo, 3)} (lightest) to ${fmt(hi, 3)}. Hollow dot: start; filled dot: now.`
          : 'Hollow dot: start; filled dot: now.'}
        {compare && tr
          ? ` Paths: ${tr.paths.map((p) => labels[p.run]).join(', ')}; plane through ${labels[tr.paths[0].run]}'s weights.`
          : ''}
      </p>
    </section>
  );
}
