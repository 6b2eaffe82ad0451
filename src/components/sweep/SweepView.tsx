// The hyperparameter sweep (compare mode's second view, `view=sweep`): optimizer x learning rate
// (log-spaced, 6-16 values) x optionally one more hyperparameter, every cell one run of the
// sidebar's network, data, initial weights and minibatch order, all trained together in one
// backend through the normal trainer (the GPU's run dimension, or the CPU engine). Left: the
// sweep's settings and progress; right: the heatmap or the classic line view, with exports.
// Conventions on screen: compare/sweep.ts (lr grid, final/best value, diverged, best cell).
// Parts: the settings (SweepSettings.tsx), the two charts (SweepHeatmap.tsx, SweepLineView.tsx).
import { useMemo, useRef, useState } from 'react';
import { type SweepConfig, sweepCells, sweepConfigs } from '../../compare/sweep';
import { sweepCsv } from '../../compare/sweepResults';
import { DATASET_LABELS } from '../../config/labels';
import { hyperDef } from '../../engine/optimizers/hypers';
import { svgElementToPng, svgText } from '../../export/chartImage';
import { downloadBlob, downloadText } from '../../export/download';
import { useStore } from '../../state/store';
import { openCell, setSweepDisplay, useSweep } from '../../state/sweepSlice';
import { pause, play, resetRun } from '../../state/trainerSync';
import { CompareMode } from '../compare/CompareMode';
import { lrText, palette, rowLabel, valueText } from './SweepChart';
import { SweepHeatmap } from './SweepHeatmap';
import { SweepLineView } from './SweepLineView';
import { SweepSettings } from './SweepSettings';
import { useSweepResults } from './useSweepResults';
import '../compare/compare.css';
import './sweep.css';

function Progress({ read, runs }: { read: ReturnType<typeof useSweepResults>; runs: number }) {
  const phase = useStore((st) => st.run.phase);
  const pct = Math.round(read.progress * 100);
  return (
    <section className="card sweep-progress" aria-label="Sweep progress">
      <div className="sweep-row">
        <button
          type="button"
          className="btn primary"
          data-testid="sweep-train"
          disabled={!read.ready}
          onClick={() => (phase === 'training' ? pause() : play())}
        >
          {phase === 'training'
            ? 'Pause'
            : read.ended === runs
              ? 'Trained'
              : read.progress > 0
                ? 'Continue'
                : 'Train the sweep'}
        </button>
        <button
          type="button"
          className="btn"
          onClick={resetRun}
          disabled={!read.ready}
          title="Every run back to step 0"
        >
          Reset
        </button>
      </div>
      <progress max={100} value={pct} aria-label="Sweep progress" data-testid="sweep-progress" />
      <p className="small" data-testid="sweep-status" data-ended={read.ended} data-runs={runs}>
        {!read.ready
          ? `Building ${runs} runs…`
          : `${read.ended} of ${runs} runs ended${read.diverged > 0 ? ` (${read.diverged} diverged)` : ''} · ${pct}% of the epochs · ${runs} runs trained together on ${read.backend}`}
      </p>
    </section>
  );
}

export function SweepView() {
  const s = useSweep((st) => st.config);
  const display = useSweep((st) => st.display);
  const base = useStore((st) => st.config);
  const dark = useStore((st) => st.ui.theme === 'dark');
  const cells = useMemo(() => sweepCells(s), [s]);
  const configs = useMemo(() => sweepConfigs(base, s), [base, s]);
  const read = useSweepResults(configs, s);
  const svgRef = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<{ i: number; x: number; y: number } | null>(null);
  const subtitle = `${DATASET_LABELS[base.data.name]} · hidden ${base.model.hidden.map((h) => h.units).join('-') || 'none'} · batch ${base.batchSize} · seed ${base.seed} · ${cells.length} runs trained together`;
  const chartProps = {
    sweep: s,
    cells,
    results: read.results,
    status: read.status,
    subtitle,
    dark,
    svgRef,
    onHover: (i: number | null, x: number, y: number) => setHover(i === null ? null : { i, x, y }),
    onOpen: openCell,
  };
  const name = `sweep-${display}`;
  const exportSvg = () => {
    if (svgRef.current) downloadText(svgText(svgRef.current, palette(dark).bg), `${name}.svg`, 'image/svg+xml');
  };
  const exportPng = async () => {
    if (!svgRef.current) return;
    downloadBlob(await svgElementToPng(svgRef.current), `${name}.png`);
  };
  const exportCsv = () => downloadText(sweepCsv(s, cells, read.results), 'sweep.csv', 'text/csv');
  const noVal = base.data.valFraction === 0;
  return (
    <main className="views sweep-views" aria-label="Hyperparameter sweep" data-testid="sweep-view">
      <div className="column">
        <CompareMode />
        <SweepSettings s={s} />
        <Progress read={read} runs={cells.length} />
      </div>
      <div className="column">
        <section className="card sweep-chart" aria-label="Sweep result">
          <header className="card-head">
            <fieldset className="segmented" aria-label="Sweep display">
              <button
                type="button"
                aria-pressed={display === 'heatmap'}
                data-testid="show-heatmap"
                onClick={() => setSweepDisplay('heatmap')}
              >
                Heatmap
              </button>
              <button
                type="button"
                aria-pressed={display === 'lines'}
                data-testid="show-lines"
                onClick={() => setSweepDisplay('lines')}
              >
                Loss vs lr
              </button>
            </fieldset>
            <div className="card-tools">
              <button type="button" className="btn small" onClick={() => void exportPng()} data-testid="sweep-png">
                PNG
              </button>
              <button type="button" className="btn small" onClick={exportSvg} data-testid="sweep-svg">
                SVG
              </button>
              <button type="button" className="btn small" onClick={exportCsv} data-testid="sweep-csv">
                CSV
              </button>
            </div>
          </header>
          {noVal && (
            <p className="field-error" role="alert">
              The data has no validation split (validation fraction 0), so no cell gets a value: set one in the sidebar.
            </p>
          )}
          <div className="sweep-plot">
            {display === 'heatmap' ? <SweepHeatmap {...chartProps} /> : <SweepLineView {...chartProps} />}
          </div>
          <p className="muted small">
            Hover a cell for its numbers; click it to open that run in the playground (same data, weights and
            minibatches: it replays exactly).
          </p>
          {hover && <Tooltip i={hover.i} x={hover.x} y={hover.y} s={s} read={read} cells={cells} />}
        </section>
      </div>
    </main>
  );
}

function Tooltip(p: {
  i: number;
  x: number;
  y: number;
  s: SweepConfig;
  read: ReturnType<typeof useSweepResults>;
  cells: ReturnType<typeof sweepCells>;
}) {
  const c = p.cells[p.i];
  if (!c) return null;
  const r = p.read.results[p.i];
  const st = p.read.status[p.i];
  const word = p.s.metric === 'final' ? 'final' : 'best';
  let state = 'not started';
  if (st?.state === 'diverged') state = `diverged at step ${st.statusStep}`;
  else if (st?.state === 'finished') state = `finished (${p.read.epochs[p.i]} epochs)`;
  else if (st?.state === 'early-stopped') state = `stopped early at epoch ${st.statusEpoch}`;
  else if (st) state = `epoch ${p.read.epochs[p.i]} of ${p.s.epochs}`;
  const left = Math.min(p.x + 14, window.innerWidth - 260);
  return (
    <div className="sweep-tooltip" role="tooltip" data-testid="sweep-tooltip" style={{ left, top: p.y + 14 }}>
      <strong>{rowLabel(c.optimizer, c.extra, p.s)}</strong>
      <div>lr {lrText(c.lr)}</div>
      {c.extra !== null && p.s.extra && (
        <div>
          {hyperDef(p.s.extra.key).label} {c.extra}
        </div>
      )}
      <div>
        {word} val. loss {r?.diverged ? '– (diverged)' : valueText(r?.value ?? Number.NaN)}
      </div>
      {st && Number.isFinite(st.bestValLoss) && st.bestEpoch > 0 && (
        <div>
          best {valueText(st.bestValLoss)} at epoch {st.bestEpoch}
        </div>
      )}
      <div className="muted">{state}</div>
    </div>
  );
}
