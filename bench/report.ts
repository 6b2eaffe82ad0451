// Turns the task outcomes into bench/results.json (every number, ratios, targets) and the
// markdown of bench/results.md. Ratios are always "Descent ÷ TF.js" on the same adapter in the
// same run, so > 1 means Descent is faster (steps/s, GFLOP/s) and < 1 means it is quicker (times).
import {
  type AdapterReport,
  IMPL_LABEL,
  IMPLS,
  type Impl,
  MATMUL_SIZES,
  MATMUL_TOLERANCE,
  type MatmulResult,
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
  totalSeconds: number;
}

type PerImpl<T> = Partial<Record<Impl, T>>;

export interface Target {
  name: string;
  /** Measured ratio. */
  measured: number | null;
  /** 'min': measured must be >= bound; 'max': measured must be <= bound. */
  kind: 'min' | 'max';
  bound: number;
  met: boolean | null;
  /** "1.4x the target" / "missed: 41% of the target" / "not measured: <why>". */
  verdict: string;
}

export interface Results extends Meta {
  matmul: { n: number; gflops: PerImpl<number>; ratios: Record<string, number | null> }[];
  training: {
    id: Workload['id'];
    title: string;
    short: string;
    results: PerImpl<TrainResult>;
    ratios: Record<string, number | null>;
  }[];
  /** Time per step of (c) ÷ time per step of one run of (a) with SGD (the cheapest single run). */
  race: PerImpl<{ vsSgd: number; vsAdam: number }>;
  targets: Target[];
  failures: { impl: Impl; what: string; error: string }[];
  outcomes: TaskOutcome[];
}

const ratio = (a: number | undefined, b: number | undefined): number | null =>
  a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null;

function target(name: string, measured: number | null, kind: 'min' | 'max', bound: number, why = ''): Target {
  if (measured === null)
    return { name, measured, kind, bound, met: null, verdict: `not measured${why ? `: ${why}` : ''}` };
  const met = kind === 'min' ? measured >= bound : measured <= bound;
  // How far from the bound, as a factor that is > 1 when met and < 1 when missed, whichever direction.
  const margin = kind === 'min' ? measured / bound : bound / measured;
  const verdict = met ? `met (${fmt(margin)}x the target)` : `missed (${pct(margin)} of the target)`;
  return { name, measured, kind, bound, met, verdict };
}

export function summarize(outcomes: TaskOutcome[], meta: Meta): Results {
  const mm: PerImpl<MatmulResult[]> = {};
  const tr: Partial<Record<Workload['id'], PerImpl<TrainResult>>> = {};
  const failures: Results['failures'] = [];
  for (const o of outcomes) {
    const what = o.task.kind === 'matmul' ? 'matmul' : o.task.workload.id;
    if (!o.ok) failures.push({ impl: o.task.impl, what, error: o.error ?? 'unknown error' });
    if (o.matmul) {
      // A product that is wrong is not a speed: it is listed as a failure instead.
      for (const m of o.matmul.filter((x) => !(x.maxRelErr <= MATMUL_TOLERANCE))) {
        failures.push({
          impl: o.task.impl,
          what: `matmul ${m.n}³`,
          error: `wrong product (max rel. error ${m.maxRelErr})`,
        });
      }
      mm[o.task.impl] = o.matmul.filter((x) => x.maxRelErr <= MATMUL_TOLERANCE);
    }
    if (o.train && o.task.kind === 'train') (tr[o.task.workload.id] ??= {})[o.task.impl] = o.train;
  }
  const matmul = MATMUL_SIZES.map((n): Results['matmul'][number] => {
    const gflops: PerImpl<number> = {};
    for (const impl of IMPLS) {
      const r = mm[impl]?.find((m) => m.n === n);
      if (r) gflops[impl] = r.gflops;
    }
    return {
      n,
      gflops,
      ratios: {
        'Descent GPU ÷ TF.js webgpu': ratio(gflops['descent-gpu'], gflops['tfjs-webgpu']),
        'Descent CPU ÷ TF.js cpu': ratio(gflops['descent-cpu'], gflops['tfjs-cpu']),
      },
    };
  });
  const training = WORKLOADS.map((w): Results['training'][number] => {
    const results = tr[w.id] ?? {};
    const sps = (i: Impl) => results[i]?.stepsPerSec;
    return {
      id: w.id,
      title: w.title,
      short: w.short,
      results,
      ratios: {
        'steps/s: Descent GPU ÷ TF.js webgpu': ratio(sps('descent-gpu'), sps('tfjs-webgpu')),
        'steps/s: Descent GPU ÷ TF.js wasm': ratio(sps('descent-gpu'), sps('tfjs-wasm')),
        'steps/s: Descent CPU ÷ TF.js cpu': ratio(sps('descent-cpu'), sps('tfjs-cpu')),
        'steps/s: Descent CPU ÷ TF.js wasm': ratio(sps('descent-cpu'), sps('tfjs-wasm')),
        'first step: Descent GPU ÷ TF.js webgpu': ratio(
          results['descent-gpu']?.firstStepMs,
          results['tfjs-webgpu']?.firstStepMs,
        ),
      },
    };
  });
  const race: Results['race'] = {};
  for (const impl of IMPLS) {
    const c = tr.c?.[impl]?.stepsPerSec;
    const sgd = tr['a-sgd']?.[impl]?.stepsPerSec;
    const adam = tr['a-adam']?.[impl]?.stepsPerSec;
    // Time per step is 1 / (steps/s), so the time ratio is the inverse steps/s ratio.
    const vsSgd = ratio(sgd, c);
    const vsAdam = ratio(adam, c);
    if (vsSgd !== null && vsAdam !== null) race[impl] = { vsSgd, vsAdam };
  }
  const tRatio = (id: Workload['id'], key: string) => training.find((t) => t.id === id)?.ratios[key] ?? null;
  const gpuSteps = 'steps/s: Descent GPU ÷ TF.js webgpu';
  const cpuSteps = 'steps/s: Descent CPU ÷ TF.js cpu';
  const first = 'first step: Descent GPU ÷ TF.js webgpu';
  const mmRatio = (n: number) => matmul.find((m) => m.n === n)?.ratios['Descent GPU ÷ TF.js webgpu'] ?? null;
  const failed = (impl: Impl) => (failures.some((f) => f.impl === impl) ? `${IMPL_LABEL[impl]} failed` : '');
  const g = failed('descent-gpu');
  const c = failed('descent-cpu');
  const targets: Target[] = [
    target('GPU steps/s ≥ 10x TF.js webgpu, (a) SGD', tRatio('a-sgd', gpuSteps), 'min', 10, g),
    target('GPU steps/s ≥ 10x TF.js webgpu, (a) Adam', tRatio('a-adam', gpuSteps), 'min', 10, g),
    target('GPU steps/s ≥ 2x TF.js webgpu, (b)', tRatio('b', gpuSteps), 'min', 2, g),
    target('GPU steps/s ≥ 10x TF.js webgpu, (c)', tRatio('c', gpuSteps), 'min', 10, g),
    target('GPU matmul GFLOP/s ≥ 2x TF.js webgpu, 512³', mmRatio(512), 'min', 2, g),
    target('GPU matmul GFLOP/s ≥ 2x TF.js webgpu, 1024³', mmRatio(1024), 'min', 2, g),
    ...WORKLOADS.map((w) =>
      target(`GPU first step < 1/3 of TF.js webgpu's, ${w.id}`, tRatio(w.id, first), 'max', 1 / 3, g),
    ),
    target(
      'GPU: 6 optimizers racing ≤ 2x the time per step of one run (a, SGD)',
      race['descent-gpu']?.vsSgd ?? null,
      'max',
      2,
      g,
    ),
    ...WORKLOADS.map((w) => target(`CPU steps/s ≥ 1x TF.js cpu, ${w.id}`, tRatio(w.id, cpuSteps), 'min', 1, c)),
  ];
  return { ...meta, matmul, training, race, targets, failures, outcomes };
}

function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  const mag = Math.floor(Math.log10(Math.abs(x)));
  const decimals = Math.max(0, Math.min(4, digits - 1 - mag));
  return x.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Issue 3's numbers for TF.js on this machine's software adapter, beside this run's. */
function knownRows(r: Results): [string, number, number | undefined][] {
  const t = (id: Workload['id'], impl: Impl) => r.training.find((x) => x.id === id)?.results[impl];
  return [
    ['TF.js webgpu, (a) SGD, steps/s', 16, t('a-sgd', 'tfjs-webgpu')?.stepsPerSec],
    ['TF.js webgpu, (a) SGD, dispatches/step', 70, t('a-sgd', 'tfjs-webgpu')?.dispatchesPerStep],
    ['TF.js webgpu, (a) Adam, dispatches/step', 140, t('a-adam', 'tfjs-webgpu')?.dispatchesPerStep],
    ['TF.js webgpu, (b), steps/s', 2.4, t('b', 'tfjs-webgpu')?.stepsPerSec],
    ['TF.js webgpu, matmul 512³, GFLOP/s', 0.65, r.matmul.find((m) => m.n === 512)?.gflops['tfjs-webgpu']],
    ['TF.js wasm, (a) SGD, steps/s', 1200, t('a-sgd', 'tfjs-wasm')?.stepsPerSec],
  ];
}

function loadRange(r: Results): string {
  const loads = r.outcomes.flatMap((o) => o.load ?? []);
  if (loads.length === 0) return 'not recorded';
  return `${fmt(Math.min(...loads), 2)} to ${fmt(Math.max(...loads), 2)} (${r.cpus} cores)`;
}

const pct = (x: number) => `${fmt(100 * x, 2)}%`;

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

const TRAIN_METRICS: { label: string; get: (r: TrainResult) => number | undefined }[] = [
  { label: 'steps/s', get: (r) => r.stepsPerSec },
  { label: 'time to first step (ms)', get: (r) => r.firstStepMs },
  { label: 'dispatches/step (counted)', get: (r) => r.dispatchesPerStep },
  { label: 'submissions/step (counted)', get: (r) => r.submitsPerStep },
  { label: "dispatches/step (backend's own counter)", get: (r) => r.reportedDispatchesPerStep },
  { label: 'epoch ends while timed (chunks left out of steps/s)', get: (r) => r.epochsInWindow },
];

export function renderMarkdown(r: Results): string {
  const a = r.adapter;
  const adapter = a
    ? `${a.vendor} ${a.architecture}${a.description ? ` (${a.description})` : ''}, fallback adapter: ${a.isFallbackAdapter}`
    : 'no WebGPU adapter';
  const head = IMPLS.map((i) => IMPL_LABEL[i]);
  const out: string[] = [
    '# Descent benchmark',
    '',
    `Generated by \`npm run bench\` on ${r.date} in ${fmt(r.totalSeconds)} s. ${r.browser}; Node ${r.node}.`,
    `WebGPU adapter (shared by Descent and TF.js): ${adapter}.`,
    'Every number comes from this one run; ratios are Descent ÷ TF.js on the same adapter, in the same browser.',
    'Each measurement runs in a fresh browser for about its time budget after a warm-up, in chunks that each end',
    'with a readback; rates are those of the best chunk (other processes on this shared machine only ever slow a',
    `chunk down; the means are in results.json). Machine load (1-minute load average) during the tasks: ${loadRange(r)}.`,
    '',
    '## Forward matmul Y = X Wᵀ + b, GFLOP/s (2n³ flops per product)',
    '',
    row(['n', ...head, ...Object.keys(r.matmul[0]?.ratios ?? {})]),
    row(Array(1 + head.length + Object.keys(r.matmul[0]?.ratios ?? {}).length).fill('---')),
    ...r.matmul.map((m) =>
      row([`${m.n}³`, ...IMPLS.map((i) => fmt(m.gflops[i])), ...Object.values(m.ratios).map((x) => fmt(x))]),
    ),
    '',
    '## Training',
    '',
    'Same network (tanh hidden layers for (a)/(c), relu for (b); softmax cross-entropy), same batch size and',
    'synthetic data of the right shape for every implementation. TF.js: tf.variables, fused matMul+bias(+relu),',
    "optimizer.minimize, batches uploaded once before timing. Descent: the worker's TrainingBackend (build, train(n)),",
    'so its steps/s include its per-step metrics (loss, accuracy, per-layer norms). Chunks in which a Descent epoch',
    'ended (a whole-split evaluation, which the TF.js loop does not do) are left out of steps/s. Dispatches and',
    'submissions are counted in the page by wrapping GPUComputePassEncoder.dispatchWorkgroups(Indirect) and GPUQueue.submit.',
    'Loss: mean over the runs, first step → last step (a check that steps were taken, not a comparison).',
  ];
  for (const t of r.training) {
    out.push('', `### ${t.title}`, '', row(['', ...head]), row(Array(1 + head.length).fill('---')));
    for (const m of TRAIN_METRICS) {
      out.push(row([m.label, ...IMPLS.map((i) => (t.results[i] ? fmt(m.get(t.results[i])) : '–'))]));
    }
    const loss = (i: Impl) => (t.results[i] ? `${fmt(t.results[i].firstLoss)} → ${fmt(t.results[i].lastLoss)}` : '–');
    out.push(row(['loss', ...IMPLS.map(loss)]));
  }
  out.push('', '### Ratios', '', row(['workload', ...Object.keys(r.training[0]?.ratios ?? {})]));
  out.push(row(Array(1 + Object.keys(r.training[0]?.ratios ?? {}).length).fill('---')));
  for (const t of r.training) out.push(row([t.short, ...Object.values(t.ratios).map((x) => fmt(x))]));
  out.push(
    '',
    '## 6 optimizers racing, 2-16-16-2, batch 32: time per step versus one run',
    '',
    'Time per step of (c) (6 runs: SGD, momentum, Nesterov, Adagrad, RMSprop, Adam) ÷ time per step of one run of (a).',
    '',
    row(['one run of (a) with', ...head]),
    row(Array(1 + head.length).fill('---')),
    row(['SGD', ...IMPLS.map((i) => fmt(r.race[i]?.vsSgd))]),
    row(['Adam', ...IMPLS.map((i) => fmt(r.race[i]?.vsAdam))]),
    '',
    '## Targets (issues 3 and 6)',
    '',
    row(['target', 'measured ratio', 'bound', 'verdict']),
    row(['---', '---', '---', '---']),
    ...r.targets.map((t) =>
      row([t.name, fmt(t.measured), `${t.kind === 'min' ? '≥' : '≤'} ${fmt(t.bound)}`, t.verdict]),
    ),
  );
  out.push(
    '',
    "## This run beside the numbers issue 3 quotes for this machine's adapter",
    '',
    'A check on the conditions of this run (machine load, browser version), not a target.',
    '',
    row(['quantity', 'issue 3 (about)', 'this run']),
    row(['---', '---', '---']),
    ...knownRows(r).map(([label, known, now]) => row([label, fmt(known), fmt(now)])),
  );
  if (r.failures.length > 0) {
    out.push('', '## Failed measurements', '');
    for (const f of r.failures) out.push(`- ${IMPL_LABEL[f.impl]}, ${f.what}: ${f.error}`);
  }
  const notes = new Map<string, string[]>();
  for (const o of r.outcomes) for (const n of o.notes) notes.set(n, [...(notes.get(n) ?? []), IMPL_LABEL[o.task.impl]]);
  if (notes.size > 0) {
    out.push('', '## Notes from the page', '');
    for (const [n, who] of notes) out.push(`- ${[...new Set(who)].join(', ')}: ${n}`);
  }
  return `${out.join('\n')}\n`;
}
