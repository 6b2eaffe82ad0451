// Learning-rate schedule: the kind, its own parameters, and a small plot of ε_t computed with the
// engine's scheduleCurve (the very function the run uses), plus early stopping. During training
// the plot shows the curve from the run's current step and epoch on at the current batch size
// (schedulePreview.ts).
import { scaleLinear } from 'd3';
import { useEffect, useMemo, useState } from 'react';
import { OPTIMIZER_LABELS, optimizerSpec } from '../../engine/optimizers/registry';
import type { ScheduleConfig } from '../../engine/types';
import { useStore } from '../../state/store';
import { linePath } from '../charts/linePath';
import { fmt } from '../format';
import { NumberSlider, Section, Select, Toggle } from './Fields';
import { previewCurve } from './schedulePreview';

const KIND_NAMES = {
  constant: 'Constant',
  step: 'Step decay',
  plateau: 'Reduce on plateau',
  exponential: 'Exponential ε₀·ηᵗ',
  inverse: 'Smooth ε₀/(1+Kt)',
  warmup: 'Linear warm-up',
  cosine: 'Cosine',
};
const KIND_FIELDS: Record<ScheduleConfig['kind'], string[]> = {
  constant: [],
  step: ['schedule.every', 'schedule.factor'],
  plateau: ['schedule.patience', 'schedule.factor'],
  exponential: ['schedule.eta'],
  inverse: ['schedule.k'],
  warmup: ['schedule.warmupSteps'],
  cosine: ['schedule.totalSteps', 'schedule.minLr'],
};
const STEP: Record<string, number> = { 'schedule.factor': 0.05, 'schedule.eta': 0.005 };

const W = 264;
const H = 74;
const M = { l: 4, r: 4, t: 14, b: 14 };

/** How often the preview follows a training run, ms (not at each of the ~20 metrics updates a second). */
const FOLLOW_MS = 500;

/** The run's step and epoch, read at most every FOLLOW_MS while they change (the last change always lands). */
function readClock(): { step: number; epoch: number } {
  const r = useStore.getState().run;
  return { step: r.step, epoch: r.epoch };
}

function useRunClock(): { step: number; epoch: number } {
  const [clock, setClock] = useState(readClock);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const take = () => {
      timer = null;
      last = performance.now();
      const now = readClock();
      setClock((c) => (c.step === now.step && c.epoch === now.epoch ? c : now));
    };
    const unsub = useStore.subscribe(
      (s) => s.run,
      () => {
        if (timer === null) timer = setTimeout(take, Math.max(0, FOLLOW_MS - (performance.now() - last)));
      },
    );
    take();
    return () => {
      unsub();
      if (timer !== null) clearTimeout(timer);
    };
  }, []);
  return clock;
}

function SchedulePreview() {
  const cfg = useStore((s) => s.config);
  const { step, epoch } = useRunClock();
  const curve = useMemo(() => previewCurve(cfg, step, epoch), [cfg, step, epoch]);
  const x = scaleLinear([0, curve.total - 1], [M.l, W - M.r]);
  const y = scaleLinear([0, cfg.optimizer.lr * 1.05], [H - M.b, M.t]);
  const path = linePath(Array.from(curve.steps, x), Array.from(curve.lr, y)) ?? '';
  const epochs = curve.endEpoch;
  return (
    <figure className="sched-preview" aria-label="Learning-rate schedule preview">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`learning rate from ${fmt(cfg.optimizer.lr)} over ${fmt(epochs)} epochs`}
      >
        <line x1={M.l} x2={W - M.r} y1={H - M.b} y2={H - M.b} className="axis" />
        <path d={`${path}L${x(curve.total - 1)},${H - M.b}L${x(curve.steps[0])},${H - M.b}Z`} className="area" />
        <path d={path} className="curve" />
        {step > 0 && step < curve.total && <line x1={x(step)} x2={x(step)} y1={M.t} y2={H - M.b} className="now" />}
        <text x={M.l} y={10}>
          ε₀ = {fmt(cfg.optimizer.lr)}
        </text>
        <text x={W - M.r} y={H - 2} textAnchor="end">
          {fmt(epochs)} epochs
        </text>
        {cfg.schedule.kind === 'plateau' && (
          <text x={W / 2} y={H / 2} textAnchor="middle">
            drops by ×{cfg.schedule.factor} when validation stalls
          </text>
        )}
      </svg>
    </figure>
  );
}

export function SchedulePanel() {
  const kind = useStore((s) => s.config.schedule.kind);
  const optimizer = useStore((s) => s.config.optimizer.name);
  const ignored = optimizerSpec(optimizer).ignoresSchedule === true;
  return (
    <Section title="Schedule" summary={ignored ? 'ignored' : KIND_NAMES[kind]} open>
      {ignored && (
        <p className="muted small" role="note">
          {OPTIMIZER_LABELS[optimizer]} ignores this schedule: it steps at ε₀, with its own warm-up (T_w) and averaging
          in place of a decay.
        </p>
      )}
      <Select path="schedule.kind" names={KIND_NAMES} />
      {KIND_FIELDS[kind].map((p) => (
        <NumberSlider key={p} path={p} step={STEP[p]} />
      ))}
      {!ignored && <SchedulePreview />}
    </Section>
  );
}

export function EarlyStopPanel() {
  const on = useStore((s) => s.config.earlyStop.enabled);
  return (
    <Section title="Early stopping" summary={on ? 'on' : 'off'}>
      <Toggle path="earlyStop.enabled" />
      {on && (
        <>
          <NumberSlider path="earlyStop.patience" />
          <NumberSlider path="earlyStop.minDelta" />
          <Toggle path="earlyStop.restoreBest" />
        </>
      )}
    </Section>
  );
}
