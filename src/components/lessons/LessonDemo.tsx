// The lesson's demo: "Run this demo" trains every preset side by side in a worker, and the
// lesson's views (and only those) show what the lesson is about. Each chart exports as SVG/PNG;
// the metrics of all presets export as CSV/JSON.

import type { LessonSnapshot, PresetSnapshot } from '../../../workers/lessons/protocol';
import { downloadText, slug } from '../../export/download';
import { type MetricsRun, metricsCsv, metricsJson } from '../../export/metrics';
import { presetConfig } from '../../lessons/presetConfig';
import type { Lesson } from '../../lessons/types';
import { ChartFrame } from './ChartFrame';
import { ActivationsChart, ArenaChart, BoundaryChart, WeightsChart } from './DemoCharts';
import { LineChart, type Marker, type Series } from './LineChart';
import type { useLessonDemo } from './useLessonDemo';

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

/** Classes of the lesson's first preset (the softmax lesson's ln C check). */
const classes = (lesson: Lesson) => presetConfig(lesson, lesson.presets[0]).data.classes;

const col = (s: PresetSnapshot, f: (e: PresetSnapshot['epochs'][number]) => number) => s.epochs.map(f);

function lossSeries(snap: LessonSnapshot): { series: Series[]; markers: Marker[] } {
  const series: Series[] = [];
  const markers: Marker[] = [];
  for (const s of snap.presets) {
    const x = col(s, (e) => e.epoch);
    series.push({ label: `${s.label} (train)`, color: s.color, x, y: col(s, (e) => e.trainLoss), faint: true });
    series.push({ label: `${s.label} (validation)`, color: s.color, x, y: col(s, (e) => e.valLoss) });
    const last = s.epochs[s.epochs.length - 1];
    const best = last ? s.epochs[last.bestEpoch - 1] : undefined;
    if (best && s.status === 'early-stopped')
      markers.push({ x: best.epoch, y: best.valLoss, color: s.color, label: `${s.label}: best epoch ${best.epoch}` });
  }
  return { series, markers };
}

/** The metrics of every preset in the exporter's shape. */
export function demoMetrics(snap: LessonSnapshot): MetricsRun[] {
  return snap.presets.map((s) => ({
    label: s.label,
    steps: {
      step: s.steps.map((p) => p.step),
      epoch: s.steps.map((p) => p.epoch),
      loss: s.steps.map((p) => p.loss),
      lr: s.steps.map((p) => p.lr),
      updateRatio0: s.steps.map((p) => p.ratio),
    },
    epochs: {
      epoch: col(s, (e) => e.epoch),
      trainLoss: col(s, (e) => e.trainLoss),
      valLoss: col(s, (e) => e.valLoss),
      trainAcc: col(s, (e) => e.trainAcc),
      valAcc: col(s, (e) => e.valAcc),
      lr: col(s, (e) => e.lr),
      bestEpoch: col(s, (e) => e.bestEpoch),
    },
  }));
}

export function LessonDemo({ lesson, demo }: { lesson: Lesson; demo: ReturnType<typeof useLessonDemo> }) {
  const snap = demo.snapshot;
  const views = new Set(lesson.views);
  const events = lesson.presets.flatMap((p) => (p.phases ?? []).map((ph) => ({ x: ph.atEpoch, label: ph.note })));
  const uniqueEvents = events.filter((e, i) => events.findIndex((f) => f.x === e.x) === i);
  const legendItems = snap
    ? snap.presets.map((s) => ({ label: s.label, color: s.color, statusText: s.statusText }))
    : lesson.presets.map((p) => ({ label: p.label, color: p.color }));
  const name = slug(lesson.title);
  return (
    <div className="lesson-demo" data-testid="lesson-demo" data-done={snap?.done ? 'true' : 'false'}>
      <Legend presets={legendItems} />
      {snap && lesson.id === 'softmax' && (
        <p className="lesson-check" data-testid="initial-loss">
          First loss {snap.presets[0].initialLoss.toFixed(3)} · ln C = ln {classes(lesson)} ={' '}
          {Math.log(classes(lesson)).toFixed(3)}
        </p>
      )}
      {demo.error && (
        <p className="notice error" role="alert">
          The demo stopped: {demo.error}
        </p>
      )}
      {snap && (
        <div className="lesson-charts">
          {views.has('loss') && (
            <ChartFrame title="Loss" file={`${lesson.id}-loss`} testId="chart-loss">
              <LineChart
                {...lossSeries(snap)}
                xLabel="epoch"
                yLabel="loss (faint: training)"
                events={uniqueEvents}
                log={lesson.id === 'annealing' || lesson.id === 'momentum-off'}
              />
            </ChartFrame>
          )}
          {views.has('accuracy') && (
            <ChartFrame title="Validation accuracy" file={`${lesson.id}-accuracy`} testId="chart-accuracy">
              <LineChart
                series={snap.presets.map((s) => ({
                  label: s.label,
                  color: s.color,
                  x: col(s, (e) => e.epoch),
                  y: col(s, (e) => e.valAcc),
                }))}
                xLabel="epoch"
                yLabel="validation accuracy"
              />
            </ChartFrame>
          )}
          {views.has('lr') && (
            <ChartFrame title="Learning rate" file={`${lesson.id}-learning-rate`} testId="chart-lr">
              <LineChart
                series={snap.presets.map((s) => ({
                  label: s.label,
                  color: s.color,
                  x: s.steps.map((p) => p.epoch),
                  y: s.steps.map((p) => p.lr),
                }))}
                xLabel="epoch"
                yLabel="learning rate ε_t"
                height={180}
              />
            </ChartFrame>
          )}
          {views.has('updateRatio') && (
            <ChartFrame title="Update-to-weight ratio" file={`${lesson.id}-update-ratio`} testId="chart-ratio">
              <LineChart
                series={snap.presets.map((s) => ({
                  label: s.label,
                  color: s.color,
                  x: s.steps.map((p) => p.epoch),
                  y: s.steps.map((p) => p.ratio),
                }))}
                xLabel="epoch"
                yLabel="‖ΔW‖/‖W‖ (first layer)"
                log
                band={[3e-4, 3e-3]}
              />
            </ChartFrame>
          )}
          {views.has('weights') && (
            <ChartFrame title="Weight histograms" file={`${lesson.id}-weights`} testId="chart-weights">
              <div className="lesson-row">
                {snap.presets.map((s) => (
                  <figure
                    key={s.id}
                    data-testid={`weights-${s.id}`}
                    data-near-zeros={s.weights?.nearZeros ?? ''}
                    data-exact-zeros={s.weights?.exactZeros ?? ''}
                  >
                    <WeightsChart s={s} />
                    <figcaption>{s.label}</figcaption>
                  </figure>
                ))}
              </div>
            </ChartFrame>
          )}
          {views.has('boundary') && (
            <ChartFrame title="Decision boundary" file={`${lesson.id}-boundary`} testId="chart-boundary">
              <div className="lesson-row">
                {snap.presets.map((s) => (
                  <figure key={s.id}>
                    <BoundaryChart s={s} />
                    <figcaption>{s.label}</figcaption>
                  </figure>
                ))}
              </div>
            </ChartFrame>
          )}
          {views.has('activations') && (
            <ChartFrame
              title="Activation spread (std) per layer"
              file={`${lesson.id}-activations`}
              testId="chart-activations"
            >
              <ActivationsChart presets={snap.presets} />
            </ChartFrame>
          )}
          {views.has('arena') && demo.arena && (
            <ChartFrame
              title={`Arena: ${demo.arena.fn}`}
              file={`${lesson.id}-arena`}
              testId="chart-arena"
              legend={<Legend presets={demo.arena.paths} />}
            >
              <ArenaChart a={demo.arena} />
            </ChartFrame>
          )}
        </div>
      )}
      {snap && (
        <div className="lesson-exports">
          <button
            type="button"
            className="btn small"
            onClick={() => downloadText(metricsCsv(demoMetrics(snap)), `${name}-metrics.csv`, 'text/csv')}
          >
            Metrics CSV
          </button>
          <button
            type="button"
            className="btn small"
            onClick={() => downloadText(metricsJson(demoMetrics(snap)), `${name}-metrics.json`, 'application/json')}
          >
            Metrics JSON
          </button>
        </div>
      )}
    </div>
  );
}
