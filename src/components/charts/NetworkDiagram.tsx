// The network as a diagram: one column of units per layer, links coloured by the sign of their
// weight and as thick as its magnitude (current weights streamed from the worker). Units dropped
// in the latest training step are drawn hollow and crossed: the mask is recomputed here from
// the engine's counter-based hash (sample 1 of the batch), bit for bit the one training used.
import { useRef } from 'react';
import type { LayerInfo, RunSetup } from '../../../workers/protocol';
import { dropoutMask } from '../../engine/dropout';
import { streamSeed } from '../../engine/rng';
import type { TrainConfig } from '../../engine/types';
import { useStore } from '../../state/store';
import { useRunBuffers } from '../../trainer/runBuffers';
import { ChartCard } from './ChartCard';
import { useCanvasLoop } from './canvas';
import { rgb, token } from './colors';

/** At most this many units are drawn per layer; the rest are summarized as "+N". */
const SHOW = 10;

interface Col {
  n: number;
  shown: number;
  label: string;
}

function columns(setup: RunSetup): Col[] {
  const d = setup.dataset;
  const cols: Col[] = [
    { n: d.inputDim, shown: Math.min(SHOW, d.inputDim), label: d.image ? `${d.inputDim} pixels` : 'input' },
  ];
  setup.layers.forEach((l, i) => {
    cols.push({
      n: l.units,
      shown: Math.min(SHOW, l.units),
      label: i === setup.layers.length - 1 ? 'output' : `${l.units} ${l.activation}${l.batchNorm ? ' +BN' : ''}`,
    });
  });
  return cols;
}

/** Dropped units of each hidden layer in training step `step` for sample 0 (Bernoulli dropout only). */
export function droppedUnits(cfg: TrainConfig, layers: LayerInfo[], step: number): Set<number>[] {
  const seed = streamSeed(cfg.seed, 'dropout');
  return layers.map((l, i) => {
    const out = new Set<number>();
    if (i === layers.length - 1 || l.dropout <= 0 || step < 0 || cfg.model.dropoutKind !== 'bernoulli') return out;
    const m = dropoutMask(new Float32Array(0), 'bernoulli', l.dropout, seed, step, i, 1, l.units);
    for (let u = 0; u < l.units; u++) if (m[u] === 0) out.add(u);
    return out;
  });
}

function draw(
  ctx: CanvasRenderingContext2D,
  w: number,
  h: number,
  setup: RunSetup,
  cfg: TrainConfig,
  step: number,
  theta: Float32Array | null,
) {
  const cols = columns(setup);
  const dropped = droppedUnits(cfg, setup.layers, step - 1);
  const top = 18;
  const bottom = h - 16;
  const xOf = (c: number) => 24 + (c * (w - 48)) / (cols.length - 1);
  const yOf = (c: number, u: number) => {
    const k = cols[c].shown + (cols[c].n > cols[c].shown ? 1 : 0);
    const gap = Math.min(26, (bottom - top) / Math.max(k, 1));
    return (top + bottom) / 2 + (u - (k - 1) / 2) * gap;
  };
  // Links: W[units, inputs] of layer c-1 connects column c-1 to column c.
  let maxAbs = 1e-12;
  if (theta)
    for (const l of setup.layers)
      for (let o = 0; o < Math.min(SHOW, l.units); o++)
        for (let i = 0; i < Math.min(SHOW, l.inputs); i++)
          maxAbs = Math.max(maxAbs, Math.abs(theta[l.wOffset + o * l.inputs + i]));
  const [pr, pg, pb] = rgb(token('--pos'));
  const [nr, ng, nb] = rgb(token('--neg'));
  setup.layers.forEach((l, li) => {
    for (let o = 0; o < cols[li + 1].shown; o++)
      for (let i = 0; i < cols[li].shown; i++) {
        const wv = theta ? theta[l.wOffset + o * l.inputs + i] : 0;
        const t = Math.min(1, Math.abs(wv) / maxAbs);
        const off = (li > 0 && dropped[li - 1].has(i)) || dropped[li].has(o);
        ctx.strokeStyle =
          wv >= 0
            ? `rgba(${pr},${pg},${pb},${off ? 0.08 : 0.2 + 0.7 * t})`
            : `rgba(${nr},${ng},${nb},${off ? 0.08 : 0.2 + 0.7 * t})`;
        ctx.lineWidth = theta ? 0.4 + 3.2 * t : 0.5;
        ctx.beginPath();
        ctx.moveTo(xOf(li), yOf(li, i));
        ctx.lineTo(xOf(li + 1), yOf(li + 1, o));
        ctx.stroke();
      }
  });
  // Units.
  const panel = token('--panel');
  const text = token('--text');
  const muted = token('--muted');
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  cols.forEach((c, ci) => {
    const X = xOf(ci);
    for (let u = 0; u < c.shown; u++) {
      const Y = yOf(ci, u);
      const isDropped = ci > 0 && ci < cols.length - 1 && dropped[ci - 1].has(u);
      ctx.beginPath();
      ctx.arc(X, Y, 6.5, 0, 2 * Math.PI);
      ctx.fillStyle = isDropped ? panel : ci === 0 || ci === cols.length - 1 ? muted : text;
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = isDropped ? token('--bad') : panel;
      ctx.setLineDash(isDropped ? [2, 2] : []);
      ctx.stroke();
      ctx.setLineDash([]);
      if (isDropped) {
        ctx.strokeStyle = token('--bad');
        ctx.beginPath();
        ctx.moveTo(X - 3.5, Y - 3.5);
        ctx.lineTo(X + 3.5, Y + 3.5);
        ctx.moveTo(X + 3.5, Y - 3.5);
        ctx.lineTo(X - 3.5, Y + 3.5);
        ctx.stroke();
      }
    }
    ctx.fillStyle = muted;
    if (c.n > c.shown) ctx.fillText(`+${c.n - c.shown}`, X, yOf(ci, c.shown) + 3);
    ctx.textBaseline = 'top';
    ctx.fillText(c.label, X, 2);
    ctx.textBaseline = 'alphabetic';
  });
}

export function NetworkDiagram() {
  const ref = useRef<HTMLCanvasElement>(null);
  const setup = useStore((s) => s.setup);
  const cfg = useStore((s) => s.config);
  const anyDropout = setup?.layers.some((l) => l.dropout > 0) ?? false;
  // The step matters only for the dropped units: without dropout the diagram follows the weights alone.
  const step = useStore((s) => (anyDropout ? s.run.step : 0));
  const buffers = useRunBuffers();
  useCanvasLoop(
    ref,
    () => `${buffers?.visuals.version}|${step}`,
    (ctx, w, h) => {
      // The seed the worker trains with (the store may be a moment ahead of it).
      const theta = buffers?.visuals.weights[0]?.theta ?? null;
      if (setup) draw(ctx, w, h, setup, buffers?.getState().configs[0] ?? cfg, step, theta);
    },
    [setup, cfg],
  );
  return (
    <ChartCard
      title="Network"
      help="Links: blue positive, orange negative weights, thicker = larger. Crossed units were dropped (dropout) in the latest step."
      testId="network"
      tools={
        setup ? (
          <span className="readout">
            {setup.params.toLocaleString('en')} parameters{anyDropout ? ' · ✕ dropped this step' : ''}
          </span>
        ) : null
      }
    >
      <canvas ref={ref} className="plot" style={{ height: 200 }} role="img" aria-label="Network diagram" />
    </ChartCard>
  );
}
