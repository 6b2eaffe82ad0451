// Turns the task outcomes of every round into bench/results.json: per implementation the median
// and min-max over the rounds, ratios computed round by round (both sides measured in the same
// round, minutes apart) and then summarized the same way, and the issues' targets, each met only
// when its WORST round meets it. Ratios of rates are "Descent ÷ peer" (> 1: Descent faster);
// ratios of times are "Descent ÷ bound" (< 1: quicker). The markdown is in markdown.ts.
import {
  type AdapterReport,
  IMPLS,
  type Impl,
  MATMUL_SIZES,
  MATMUL_TOLERANCE,
  type MatmulResult,
  type PlayResult,
  SWEEP_LRS,
  type TaskOutcome,
  type TrainResult,
  WORKLOADS,
  type Workload,
} from './tasks';

export interface Meta {
  date: string;
  adapter: AdapterReport | null;
  browser: string;
  node: string;
  cpus: number;
  rounds: number;
  /** Which of Descent's CPU implementations the Descent CPU rows measured (--cpu). */
  cpu: string;
  /** The command line, flags included (a reduced run says so). */
  command: string;
  totalSeconds: number;
}

/** One quantity over the rounds: values[r] is round r's (null when that round has none). */
export interface Stat {
  median: number;
  min: number;
  max: number;
  values: (number | null)[];
}

type PerImpl<T> = Partial<Record<Impl, T>>;
/** Per round (index = round), undefined where the task failed or did not run. */
type Rounds<T> = (T | undefined)[];

export interface Target {
  name: string;
  /** The ratio over the rounds; the verdict uses the worst round. */
  measured: Stat | null;
  /** 'min': every round must be >= bound; 'max': every round must be <= bound. */
  kind: 'min' | 'max';
  bound: number;
  met: boolean | null;
  verdict: string;
}

export interface Results extends Meta {
  matmul: { n: number; gflops: PerImpl<Stat>; ratios: Record<string, Stat | null> }[];
  training: {
    id: Workload['id'];
    title: string;
    short: string;
    /** Every TrainResult field as a Stat over the rounds. */
    results: PerImpl<Partial<Record<keyof TrainResult, Stat>>>;
    ratios: Record<string, Stat | null>;
    /** The app's path (descent-play): each PlayResult number as a Stat over the rounds, and the ratio to its bound. */
    play: {
      firstDrawnMs: Stat | null;
      boundMs: Stat | null;
      createMs: Stat | null;
      ratio: Stat | null;
      backends: string[];
    };
  }[];
  /** Time per step of (c) ÷ time per step of one run of (a), round by round. */
  race: PerImpl<{ vsSgd: Stat; vsAdam: Stat }>;
  /**
   * The sweep (e), 64 runs at once: its time per step ÷ the same runs one after another
   * (32 x (a) SGD's time per step + 32 x (a) Adam's), round by round. Optional: older results lack it.
   */
  sweep?: PerImpl<Stat>;
  /**
   * Issue 17, the race over the cores: steps/s of (c) spread over one worker per core ÷ (c) in one
   * worker (Descent CPU), and time per step of the spread (c) ÷ one run of (a) SGD. Optional: older results lack it.
   */
  spread?: { vsOneWorker: Stat | null; vsSgd: Stat | null };
  targets: Target[];
  failures: { impl: Impl; round: number; what: string; error: string }[];
  outcomes: TaskOutcome[];
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median and min-max of the finite values, or null when there are none. */
export function stat(values: (number | null | undefined)[]): Stat | null {
  const v = values.map((x) => (finite(x) ? x : null));
  const ok = v.filter(finite);
  if (ok.length === 0) return null;
  return { median: median(ok), min: Math.min(...ok), max: Math.max(...ok), values: v };
}

/** a[r] / b[r] for every round where both were measured. */
export function roundRatio(a: Rounds<number>, b: Rounds<number>): Stat | null {
  const n = Math.max(a.length, b.length);
  return stat(Array.from({ length: n }, (_, r) => (finite(a[r]) && finite(b[r]) && b[r]! > 0 ? a[r]! / b[r]! : null)));
}

/** Met only when the worst round meets the bound (the smallest for 'min', the largest for 'max'). */
export function target(name: string, measured: Stat | null, kind: 'min' | 'max', bound: number, why = ''): Target {
  if (measured === null)
    return { name, measured, kind, bound, met: null, verdict: `not measured${why ? `: ${why}` : ''}` };
  const worst = kind === 'min' ? measured.min : measured.max;
  const met = kind === 'min' ? worst >= bound : worst <= bound;
  const rounds = measured.values.filter(finite).length;
  // factor > 1 when met and < 1 when missed, whichever direction
  const margin = kind === 'min' ? worst / bound : bound / worst;
  const pct = `${(100 * margin).toFixed(margin < 0.1 ? 1 : 0)}%`;
  const verdict = met
    ? `met in ${rounds === 1 ? 'its only round' : `all ${rounds} rounds`} (worst ${margin.toFixed(2)}x the target)`
    : `missed (worst round at ${pct} of the target${
        (kind === 'min' ? measured.max >= bound : measured.min <= bound) ? '; some rounds met it' : ''
      })`;
  return { name, measured, kind, bound, met, verdict };
}

const TRAIN_FIELDS = [
  'firstStepMs',
  'stepsPerSec',
  'meanStepsPerSec',
  'epochsInWindow',
  'dispatchesPerStep',
  'submitsPerStep',
  'reportedDispatchesPerStep',
  'reportedSubmitsPerStep',
  'firstLoss',
  'lastLoss',
] as const satisfies readonly (keyof TrainResult)[];

export function summarize(outcomes: TaskOutcome[], meta: Meta): Results {
  const mm: PerImpl<Rounds<MatmulResult[]>> = {};
  const tr: Partial<Record<Workload['id'], PerImpl<Rounds<TrainResult>>>> = {};
  const pl: Partial<Record<Workload['id'], Rounds<PlayResult>>> = {};
  const failures: Results['failures'] = [];
  for (const o of outcomes) {
    const { impl, round } = o.task;
    const what = o.task.kind === 'matmul' ? 'matmul' : o.task.workload.id;
    if (!o.ok) failures.push({ impl, round, what, error: o.error ?? 'unknown error' });
    if (o.matmul) {
      // A product that is wrong is not a speed: it is listed as a failure instead.
      for (const m of o.matmul.filter((x) => !(x.maxRelErr <= MATMUL_TOLERANCE)))
        failures.push({ impl, round, what: `matmul ${m.n}³`, error: `wrong product (max rel. error ${m.maxRelErr})` });
      (mm[impl] ??= [])[round] = o.matmul.filter((x) => x.maxRelErr <= MATMUL_TOLERANCE);
    }
    if (o.train && o.task.kind === 'train') ((tr[o.task.workload.id] ??= {})[impl] ??= [])[round] = o.train;
    if (o.play && o.task.kind === 'train') (pl[o.task.workload.id] ??= [])[round] = o.play;
  }

  const gf = (impl: Impl, n: number): Rounds<number> => (mm[impl] ?? []).map((r) => r?.find((m) => m.n === n)?.gflops);
  const matmul = MATMUL_SIZES.map((n): Results['matmul'][number] => {
    const gflops: PerImpl<Stat> = {};
    for (const impl of IMPLS) {
      const s = stat(gf(impl, n));
      if (s) gflops[impl] = s;
    }
    const r = (a: Impl, b: Impl) => roundRatio(gf(a, n), gf(b, n));
    return {
      n,
      gflops,
      ratios: {
        'Descent GPU ÷ TF.js webgpu': r('descent-gpu', 'tfjs-webgpu'),
        'Descent GPU ÷ jax-js webgpu': r('descent-gpu', 'jax-webgpu'),
        'Descent CPU ÷ TF.js wasm': r('descent-cpu', 'tfjs-wasm'),
        'Descent CPU ÷ jax-js wasm': r('descent-cpu', 'jax-wasm'),
        'Descent CPU ÷ TF.js cpu': r('descent-cpu', 'tfjs-cpu'),
        'Descent CPU threads ÷ Descent CPU': r('descent-threads', 'descent-cpu'),
      },
    };
  });

  const field = (id: Workload['id'], impl: Impl, f: keyof TrainResult): Rounds<number> =>
    (tr[id]?.[impl] ?? []).map((x) => x?.[f]);
  /** 50 ms plus one step of Descent's CPU backend on this workload, per round (issue 14's bound). */
  const playBound = (id: Workload['id']): Rounds<number> =>
    field(id, 'descent-cpu', 'stepsPerSec').map((s) => (finite(s) && s > 0 ? 50 + 1000 / s : undefined));
  const training = WORKLOADS.map((w): Results['training'][number] => {
    const results: Results['training'][number]['results'] = {};
    for (const impl of IMPLS) {
      if (!tr[w.id]?.[impl]) continue;
      const per: Partial<Record<keyof TrainResult, Stat>> = {};
      for (const f of TRAIN_FIELDS) {
        const s = stat(field(w.id, impl, f));
        if (s) per[f] = s;
      }
      results[impl] = per;
    }
    const sps = (a: Impl, b: Impl) => roundRatio(field(w.id, a, 'stepsPerSec'), field(w.id, b, 'stepsPerSec'));
    const plays = pl[w.id] ?? [];
    const drawn = plays.map((p) => p?.playToFirstStepMs);
    const bound = plays.map((p) => (p ? 50 + p.cpuStepMs : undefined));
    return {
      id: w.id,
      title: w.title,
      short: w.short,
      results,
      play: {
        firstDrawnMs: stat(drawn),
        boundMs: stat(bound),
        createMs: stat(plays.map((p) => p?.createMs)),
        ratio: roundRatio(drawn, bound),
        backends: [...new Set(plays.filter((p) => p).map((p) => p!.backend))],
      },
      ratios: {
        'steps/s: Descent GPU ÷ TF.js webgpu': sps('descent-gpu', 'tfjs-webgpu'),
        'steps/s: Descent GPU ÷ jax-js webgpu': sps('descent-gpu', 'jax-webgpu'),
        'steps/s: Descent CPU ÷ TF.js wasm': sps('descent-cpu', 'tfjs-wasm'),
        'steps/s: Descent CPU ÷ jax-js wasm': sps('descent-cpu', 'jax-wasm'),
        'steps/s: Descent CPU ÷ TF.js cpu': sps('descent-cpu', 'tfjs-cpu'),
        'steps/s: Descent CPU threads ÷ Descent CPU': sps('descent-threads', 'descent-cpu'),
        'first step: Descent GPU ÷ TF.js webgpu': roundRatio(
          field(w.id, 'descent-gpu', 'firstStepMs'),
          field(w.id, 'tfjs-webgpu', 'firstStepMs'),
        ),
        'first step: Descent GPU ÷ (50 ms + 1 CPU step)': roundRatio(
          field(w.id, 'descent-gpu', 'firstStepMs'),
          playBound(w.id),
        ),
        'first step: Descent CPU ÷ (50 ms + 1 CPU step)': roundRatio(
          field(w.id, 'descent-cpu', 'firstStepMs'),
          playBound(w.id),
        ),
      },
    };
  });

  const race: Results['race'] = {};
  for (const impl of IMPLS) {
    // time per step is 1 / (steps/s): (c)'s time ÷ (a)'s time = (a)'s steps/s ÷ (c)'s
    const c = field('c', impl, 'stepsPerSec');
    const vsSgd = roundRatio(field('a-sgd', impl, 'stepsPerSec'), c);
    const vsAdam = roundRatio(field('a-adam', impl, 'stepsPerSec'), c);
    if (vsSgd && vsAdam) race[impl] = { vsSgd, vsAdam };
  }
  const sweep: Results['sweep'] = {};
  for (const impl of IMPLS) {
    // time per step = 1 / (steps/s); one after another = 32/(a-sgd steps/s) + 32/(a-adam steps/s)
    const half = SWEEP_LRS;
    const e = field('e', impl, 'stepsPerSec');
    const seqSps = field('a-sgd', impl, 'stepsPerSec').map((s, r) => {
      const a = field('a-adam', impl, 'stepsPerSec')[r];
      return finite(s) && finite(a) && s > 0 && a > 0 ? 1 / (half / s + half / a) : undefined;
    });
    const ratio = roundRatio(seqSps, e);
    if (ratio) sweep[impl] = ratio;
  }
  const cores = field('c-cores', 'descent-cpu', 'stepsPerSec');
  const spread: NonNullable<Results['spread']> = {
    vsOneWorker: roundRatio(cores, field('c', 'descent-cpu', 'stepsPerSec')),
    vsSgd: roundRatio(field('a-sgd', 'descent-cpu', 'stepsPerSec'), cores),
  };
  const targets = makeTargets(training, matmul, race, failures, sweep, spread);
  return { ...meta, matmul, training, race, sweep, spread, targets, failures, outcomes };
}

function makeTargets(
  training: Results['training'],
  matmul: Results['matmul'],
  race: Results['race'],
  failures: Results['failures'],
  sweep: NonNullable<Results['sweep']> = {},
  spread: Results['spread'] = undefined,
): Target[] {
  const tRatio = (id: Workload['id'], key: string) => training.find((t) => t.id === id)?.ratios[key] ?? null;
  const mmRatio = (n: number, key: string) => matmul.find((m) => m.n === n)?.ratios[key] ?? null;
  const failed = (impl: Impl) => (failures.some((f) => f.impl === impl) ? `${impl} failed (see below)` : '');
  const [g, c, tw, jw] = [failed('descent-gpu'), failed('descent-cpu'), failed('tfjs-wasm'), failed('jax-wasm')];
  const small = ['a-sgd', 'a-adam', 'c'] as const;
  const peers = WORKLOADS.filter((w) => !w.descentOnly);
  const issue17 = ['a-sgd', 'a-adam', 'b', 'c'] as const;
  return [
    // issue 3 and 6 (GPU path)
    ...small.map((id) =>
      target(`GPU steps/s ≥ 10x TF.js webgpu, ${id}`, tRatio(id, 'steps/s: Descent GPU ÷ TF.js webgpu'), 'min', 10, g),
    ),
    target('GPU steps/s ≥ 2x TF.js webgpu, b', tRatio('b', 'steps/s: Descent GPU ÷ TF.js webgpu'), 'min', 2, g),
    ...[512, 1024].map((n) =>
      target(`GPU matmul GFLOP/s ≥ 2x TF.js webgpu, ${n}³`, mmRatio(n, 'Descent GPU ÷ TF.js webgpu'), 'min', 2, g),
    ),
    ...peers.map((w) =>
      target(
        `GPU first step ≤ 1/3 of TF.js webgpu's, ${w.id}`,
        tRatio(w.id, 'first step: Descent GPU ÷ TF.js webgpu'),
        'max',
        1 / 3,
        g,
      ),
    ),
    ...peers.map((w) =>
      target(`CPU steps/s ≥ 1x TF.js cpu, ${w.id}`, tRatio(w.id, 'steps/s: Descent CPU ÷ TF.js cpu'), 'min', 1, c),
    ),
    // issue 14: Play to the first step, and the GPU race
    ...peers.flatMap((w) => [
      target(
        `first step ≤ 50 ms + 1 CPU step, ${w.id}, Descent GPU backend`,
        tRatio(w.id, 'first step: Descent GPU ÷ (50 ms + 1 CPU step)'),
        'max',
        1,
        g || c,
      ),
      target(
        `first step ≤ 50 ms + 1 CPU step, ${w.id}, Descent CPU backend`,
        tRatio(w.id, 'first step: Descent CPU ÷ (50 ms + 1 CPU step)'),
        'max',
        1,
        c,
      ),
    ]),
    ...WORKLOADS.map((w) =>
      target(
        `Play to first step drawn ≤ 50 ms + 1 CPU step, ${w.id}, the app's worker (auto)`,
        training.find((t) => t.id === w.id)?.play.ratio ?? null,
        'max',
        1,
        failed('descent-play'),
      ),
    ),
    // issue 15: the sweep, trained together vs one after another (the CPU's figure is in its table)
    target(
      'GPU: a 64-run sweep of (a) at once ≤ 1/4 of the time of the 64 runs one after another',
      sweep['descent-gpu'] ?? null,
      'max',
      1 / 4,
      g,
    ),
    target(
      'GPU: 6 racing runs ≤ 2x the time per step of one run (a, SGD)',
      race['descent-gpu']?.vsSgd ?? null,
      'max',
      2,
      g,
    ),
    // issue 17: the CPU path against the WebAssembly peers (single-threaded all: the page is not
    // isolated), and Descent's threads (descent-threads: a cross-origin isolated page) against one thread
    ...issue17.map((id) =>
      target(
        `CPU steps/s ≥ 1.5x TF.js wasm, ${id}`,
        tRatio(id, 'steps/s: Descent CPU ÷ TF.js wasm'),
        'min',
        1.5,
        c || tw,
      ),
    ),
    ...issue17.map((id) =>
      target(
        `CPU steps/s ≥ 1x jax-js wasm, ${id}`,
        tRatio(id, 'steps/s: Descent CPU ÷ jax-js wasm'),
        'min',
        1,
        c || jw,
      ),
    ),
    ...MATMUL_SIZES.map((n) =>
      target(`CPU matmul GFLOP/s ≥ 1x TF.js wasm, ${n}³`, mmRatio(n, 'Descent CPU ÷ TF.js wasm'), 'min', 1, c || tw),
    ),
    ...MATMUL_SIZES.map((n) =>
      target(
        `CPU matmul with threads ≥ 1.6x single-threaded, ${n}³`,
        mmRatio(n, 'Descent CPU threads ÷ Descent CPU'),
        'min',
        1.6,
        c || failed('descent-threads'),
      ),
    ),
    target(
      'CPU: 6 racing runs ≤ 2.5x the time per step of one run (a, SGD)',
      race['descent-cpu']?.vsSgd ?? null,
      'max',
      2.5,
      c,
    ),
    target(
      'CPU, the race spread over one worker per core: 6 racing runs ≤ 2.5x the time per step of one run (a, SGD)',
      spread?.vsSgd ?? null,
      'max',
      2.5,
      c,
    ),
  ];
}
