// Per-layer diagnostics on a log axis: the update-to-weight ratio ||ΔW||/||W|| (the lecture's
// "should be around 1e-3", with that band shaded and a plain-words verdict) and the gradient norm.

import { useRef } from 'react';
import { RATIO_HIGH, RATIO_LOW } from '../../engine/diagnosticLimits';
import { useStore } from '../../state/store';
import type { RunHistory } from '../../trainer/metricsBuffer';
import { useRunBuffers } from '../../trainer/runBuffers';
import { fmt } from '../format';
import { ChartCard, type LegendItem, useHover } from './ChartCard';
import { useCanvasLoop } from './canvas';
import { layerColor, token } from './colors';
import { drawAxes, drawEmpty, drawLine, drawReadout, extent, makePlot, nearest } from './plot';
import { debiasedEma } from './smoothing';

/** The healthy band around 1e-3 (half a decade either side). */
export const RATIO_BAND: [number, number] = [10 ** -3.5, 10 ** -2.5];

/** Verdict on the median (over layers) of the latest smoothed ratios. */
export function ratioHint(ratios: number[]): { level: 'ok' | 'high' | 'low' | 'none'; text: string } {
  const r = ratios.filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => a - b);
  if (r.length === 0) return { level: 'none', text: 'Train a few steps to see how big the updates are.' };
  const m = r[Math.floor(r.length / 2)];
  if (m > RATIO_HIGH)
    return {
      level: 'high',
      text: `Updates are ${fmt(m, 2)} of the weights per step, far above 10⁻³: the learning rate is likely too high.`,
    };
  if (m < RATIO_LOW)
    return {
      level: 'low',
      text: `Updates are only ${fmt(m, 2)} of the weights per step, far below 10⁻³: the learning rate is likely too low.`,
    };
  return {
    level: 'ok',
    text: `Updates are ${fmt(m, 2)} of the weights per step: within a decade of the healthy 10⁻³.`,
  };
}

export function layerNames(L: number): string[] {
  return Array.from({ length: L }, (_, l) => (l === L - 1 ? 'output' : `layer ${l + 1}`));
}

function LayerChart(props: {
  title: string;
  help: string;
  column: (h: RunHistory, l: number) => Float64Array;
  band?: [number, number];
  onDraw?: (latest: number[]) => void;
  children?: React.ReactNode;
  testId: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const hover = useHover(ref);
  const { xAxis, smoothing } = useStore((s) => s.ui);
  const L = useStore((s) => s.setup?.layers.length ?? 0);
  const names = layerNames(L);

  const buffers = useRunBuffers();
  useCanvasLoop(
    ref,
    () => `${buffers?.metrics.version}|${hover.current.v}`,
    (ctx, w, h) => {
      const hist = buffers?.metrics.runs[0];
      if (!hist || hist.steps.size === 0) {
        drawEmpty(ctx, w, h, 'No steps yet');
        props.onDraw?.([]);
        return;
      }
      const x = xAxis === 'steps' ? hist.step('step') : hist.step('epoch');
      const series = Array.from({ length: hist.layers }, (_, l) => debiasedEma(props.column(hist, l), smoothing));
      const yd = extent([...series, ...(props.band ? [props.band] : [])], true) ?? [1e-4, 1];
      const p = makePlot(w, h, [0, Math.max(1, x[x.length - 1])], yd, true);
      if (props.band) {
        ctx.fillStyle = token('--band');
        const [lo, hi] = props.band;
        ctx.fillRect(p.box.l, p.y(hi), p.box.r - p.box.l, p.y(lo) - p.y(hi));
      }
      drawAxes(ctx, p, 5);
      for (let l = 0; l < series.length; l++) drawLine(ctx, p, x, series[l], { color: layerColor(l), width: 1.6 });
      props.onDraw?.(series.map((s) => s[s.length - 1]));
      const hx = hover.current.x;
      if (hx !== null && hx >= p.box.l) {
        const i = nearest(x, p.x.invert(hx));
        drawReadout(
          ctx,
          p,
          p.x(x[i]),
          series.map((s, l) => [layerColor(l), `${layerNames(hist.layers)[l]}: ${fmt(s[i], 3)}`]),
        );
      }
    },
    [xAxis, smoothing, L],
  );

  const legend: LegendItem[] = names.map((n, l) => ({ label: n, color: layerColor(l) }));
  return (
    <ChartCard title={props.title} help={props.help} legend={legend} testId={props.testId}>
      <canvas ref={ref} className="plot" style={{ height: 140 }} role="img" aria-label={props.title} />
      {props.children}
    </ChartCard>
  );
}

export function UpdateRatioChart() {
  const hintRef = useRef<HTMLParagraphElement>(null);
  const show = (latest: number[]) => {
    const el = hintRef.current;
    if (!el) return;
    const run = useStore.getState().run;
    const h =
      run.phase === 'diverged'
        ? {
            level: 'high',
            text: `The run ${run.statusText}: the learning rate is likely too high (or the initial weights too large).`,
          }
        : ratioHint(latest);
    if (el.textContent !== h.text) el.textContent = h.text;
    el.dataset.level = h.level;
  };
  return (
    <LayerChart
      title="Update / weight ratio"
      help="‖ΔW‖/‖W‖ per layer and step, log scale. The lecture's rule of thumb: around 1e-3 (shaded band)."
      column={(h, l) => h.layer('updateRatio', l)}
      band={RATIO_BAND}
      onDraw={show}
      testId="ratio-chart"
    >
      <p className="hint" ref={hintRef} data-level="none" />
    </LayerChart>
  );
}

export function GradNormChart() {
  return (
    <LayerChart
      title="Gradient norm"
      help="‖∂E/∂W‖ per layer, log scale: vanishing (tiny in early layers) or exploding gradients show here."
      column={(h, l) => h.layer('gradNorm', l)}
      testId="grad-chart"
    />
  );
}
