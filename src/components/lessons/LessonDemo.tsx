// The lesson's demo: "Run this demo" trains every preset through the trainer worker (the
// playground's backends) and the lesson's views (and only those) show what the lesson is about.
// The curves are the playground's own compare charts (RunsChart over the demo's ring buffers, one
// run per preset); the decision boundaries are drawn as the playground draws its own; the weight,
// activation and arena pictures are the lesson's. Under them, the lesson's checks judge the run
// that was just shown. Every chart exports as PNG/SVG; the metrics of all presets as CSV/JSON.
import { useMemo, useRef, useState } from 'react';
import { downloadText, slug } from '../../export/download';
import { type MetricsRun, metricsCsv, metricsJson, seriesColumns } from '../../export/metrics';
import type { Lesson } from '../../lessons/types';
import { type PresetResult, presetWeights } from '../../trainer/lessonClient';
import { drawBoundary } from '../charts/BoundaryView';
import { useCanvasLoop } from '../charts/canvas';
import { CompareAccuracyChart, CompareLossChart, CompareLrChart, CompareRatioChart } from '../compare/CompareCharts';
import { type Racers, RacersContext } from '../compare/RunsChart';
import { CardExport, CardExportPrefix } from '../presenter/CardExport';
import { ChartFrame } from './ChartFrame';
import { ActivationsChart, ArenaChart, arenaPicture, WeightsChart } from './DemoCharts';
import '../compare/compare.css';
import type { LessonDemoControl } from './useLessonDemo';

/** "early-stopped at epoch 41", "finished 30 epochs", "epoch 12". */
function statusText(p: PresetResult): string {
  const e = p.epochs.n;
  if (p.state === 'early-stopped') {
    const best = e > 0 ? p.epochs.cols.bestEpoch[e - 1] : 0;
    return `early-stopped at epoch ${e}, best epoch ${best} restored`;
  }
  if (p.state === 'diverged') return `diverged at step ${p.steps.n}`;
  if (p.state === 'finished') return `finished ${e} epochs`;
  return `epoch ${e}`;
}

function Legend({ presets }: { presets: { label: string; color: string; statusText?: string }[] }) {
  return (
    <ul className="legend lesson-legend">
      {presets.map((p) => (
        <li key={p.label}>
          <span className="swatch" style={{ borderColor: p.color }} />
          {p.label}
          {p.statusText && <span className="muted"> · {p.statusText}</span>}
        </li>
      ))}
    </ul>
  );
}

/** One preset's decision boundary, drawn as the playground draws its own. */
function Boundary({ p, tick }: { p: PresetResult; tick: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useCanvasLoop(
    ref,
    () => `${tick}|${p.boundary?.step}`,
    (ctx, w, h) => {
      if (p.dataset.bounds) drawBoundary(ctx, p.dataset, p.boundary, w, h);
    },
    [p],
  );
  return (
    <figure className="multiple" style={{ borderColor: p.preset.color }}>
      <canvas ref={ref} role="img" aria-label={`Decision boundary of ${p.preset.label}`} />
      <figcaption>
        <span className="slot-dot" style={{ background: p.preset.color }} /> {p.preset.label}
      </figcaption>
    </figure>
  );
}

export function LessonDemo({ lesson, demo }: { lesson: Lesson; demo: LessonDemoControl }) {
  const views = new Set(lesson.views);
  const [hidden, setHidden] = useState<boolean[]>([]);
  const racers = useMemo<Racers>(
    () => ({
      labels: lesson.presets.map((p) => p.label),
      colors: lesson.presets.map((p) => p.color),
      hidden,
      toggle: (i) => setHidden((h) => Object.assign([...h], { [i]: !h[i] })),
      metrics: demo.metrics,
      xAxis: 'epochs',
    }),
    [lesson, hidden, demo.metrics],
  );
  const arena = useMemo(() => (lesson.arena ? arenaPicture(lesson.arena) : null), [lesson]);
  const presets = demo.result?.presets ?? [];
  const legend = lesson.presets.map((lp) => {
    const p = presets.find((x) => x.preset.id === lp.id);
    return { label: lp.label, color: lp.color, statusText: p ? statusText(p) : undefined };
  });
  const phases = lesson.presets.flatMap((p) =>
    (p.phases ?? []).map((ph) => `${p.label}: ${ph.note} after epoch ${ph.atEpoch}`),
  );
  const backend = demo.result?.backend;
  const name = slug(lesson.title);
  const exportRuns = (): MetricsRun[] =>
    lesson.presets.flatMap((p, i) => {
      const h = demo.metrics.runs[i];
      return h ? [{ label: p.label, steps: seriesColumns(h.steps), epochs: seriesColumns(h.epochs) }] : [];
    });
  const started = demo.running || demo.result !== null;
  return (
    <div className="lesson-demo" data-testid="lesson-demo" data-done={demo.done ? 'true' : 'false'}>
      <Legend presets={legend} />
      {phases.length > 0 && <p className="muted">{phases.join(' · ')}</p>}
      {backend && (
        <p className="muted" data-testid="lesson-backend" data-kind={backend.kind} title={backend.message}>
          Trained on {backend.kind === 'webgpu' ? `WebGPU · ${backend.name}` : backend.name}
        </p>
      )}
      {presets[0] && lesson.id === 'softmax' && (
        <p className="lesson-check" data-testid="initial-loss">
          First loss {presets[0].initialLoss.toFixed(3)} · ln C = ln {presets[0].dataset.classes} ={' '}
          {Math.log(presets[0].dataset.classes).toFixed(3)}
        </p>
      )}
      {demo.error && (
        <p className="notice error" role="alert">
          The demo stopped: {demo.error}
        </p>
      )}
      {started && (
        <RacersContext.Provider value={racers}>
          <CardExportPrefix.Provider value={lesson.id}>
            <div className="lesson-charts">
              {views.has('loss') && <CompareLossChart testId="chart-loss" />}
              {views.has('accuracy') && <CompareAccuracyChart testId="chart-accuracy" />}
              {views.has('lr') && <CompareLrChart testId="chart-lr" />}
              {views.has('updateRatio') && <CompareRatioChart testId="chart-ratio" />}
              {views.has('weights') && (
                <ChartFrame
                  title="Weight histograms (end of training)"
                  file={`${lesson.id}-weights`}
                  testId="chart-weights"
                >
                  <div className="lesson-row">
                    {presets.map((p) => {
                      const w = presetWeights(p);
                      return (
                        <figure
                          key={p.preset.id}
                          data-testid={`weights-${p.preset.id}`}
                          data-near-zeros={w?.nearZeros ?? ''}
                          data-exact-zeros={w?.exactZeros ?? ''}
                        >
                          <WeightsChart s={p.preset} w={w} />
                          <figcaption>{p.preset.label}</figcaption>
                        </figure>
                      );
                    })}
                  </div>
                </ChartFrame>
              )}
              {views.has('boundary') && (
                <section className="card" data-testid="chart-boundary" aria-label="Decision boundaries">
                  <header className="card-head">
                    <h2>Decision boundaries</h2>
                    <span className="card-tools">
                      <CardExport />
                    </span>
                  </header>
                  <div className="multiples">
                    {presets.map((p) => (
                      <Boundary key={p.preset.id} p={p} tick={demo.tick} />
                    ))}
                  </div>
                </section>
              )}
              {views.has('activations') && (
                <ChartFrame
                  title="Activation spread (std) per layer, end of training"
                  file={`${lesson.id}-activations`}
                  testId="chart-activations"
                >
                  <ActivationsChart
                    presets={presets.map((p) => ({ ...p.preset, std: p.activations?.map((a) => a.std) ?? null }))}
                  />
                </ChartFrame>
              )}
              {views.has('arena') && arena && (
                <ChartFrame
                  title={`Arena: ${arena.fn}`}
                  file={`${lesson.id}-arena`}
                  testId="chart-arena"
                  legend={<Legend presets={arena.paths} />}
                >
                  <ArenaChart a={arena} />
                </ChartFrame>
              )}
            </div>
          </CardExportPrefix.Provider>
        </RacersContext.Provider>
      )}
      {demo.checks && (
        <section className="lesson-checks" data-testid="lesson-checks" aria-label="What this run shows">
          <h3>What this run shows</h3>
          <ul>
            {demo.checks.map((c) => (
              <li key={c.claim} data-claim={c.claim} data-ok={c.ok ? 'true' : 'false'}>
                {c.ok ? '✓' : '✗'} {c.claim} <span className="muted">({c.detail})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {demo.result && (
        <div className="lesson-exports">
          <button
            type="button"
            className="btn small"
            onClick={() => downloadText(metricsCsv(exportRuns()), `${name}-metrics.csv`, 'text/csv')}
          >
            Metrics CSV
          </button>
          <button
            type="button"
            className="btn small"
            onClick={() => downloadText(metricsJson(exportRuns()), `${name}-metrics.json`, 'application/json')}
          >
            Metrics JSON
          </button>
        </div>
      )}
    </div>
  );
}
