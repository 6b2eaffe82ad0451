// What the benchmark measures, shared by the Node driver (bench/run.ts) and the page (bench/page.ts).
// One task = one implementation doing one kind of work, in a fresh browser, so shader caches,
// memory and JIT state of one measurement never help or hurt another.
//
// Legend: B batch, I input features, O output features, R runs trained at once.

export const IMPLS = [
  'descent-gpu',
  'descent-cpu',
  'descent-threads',
  'tfjs-webgpu',
  'tfjs-wasm',
  'tfjs-cpu',
  'jax-webgpu',
  'jax-wasm',
  'descent-play',
] as const;
export type Impl = (typeof IMPLS)[number];

export const IMPL_LABEL: Record<Impl, string> = {
  'descent-gpu': 'Descent GPU',
  'descent-cpu': 'Descent CPU',
  'descent-threads': 'Descent CPU threads',
  'tfjs-webgpu': 'TF.js webgpu',
  'tfjs-wasm': 'TF.js wasm',
  'tfjs-cpu': 'TF.js cpu',
  'jax-webgpu': 'jax-js webgpu',
  'jax-wasm': 'jax-js wasm',
  'descent-play': 'Descent app (worker, auto)',
};

/** The optimizers of the race, in the order of issue 6's defaults; learning rates the app would use. */
export const RACE_OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const;
export type BenchOptimizer = (typeof RACE_OPTIMIZERS)[number];
export const OPT_HYPER = {
  lr: { sgd: 0.1, momentum: 0.05, nesterov: 0.05, adagrad: 0.05, rmsprop: 0.005, adam: 0.005 },
  mu: 0.9,
  rho: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
};

export interface Workload {
  id: 'a-sgd' | 'a-adam' | 'b' | 'c' | 'd' | 'e' | 'c-cores';
  title: string;
  /** Row label of the ratio tables. */
  short: string;
  /** Layer widths, input first: [I, hidden..., C]. */
  widths: number[];
  hiddenActivation: 'tanh' | 'relu';
  batch: number;
  /** One optimizer per run trained at once (R = optimizers.length). */
  optimizers: BenchOptimizer[];
  /**
   * Training samples of the synthetic set. Many steps per epoch, so that most timed chunks hold no
   * epoch end (see measure.ts); within what Descent evaluates at an epoch's end (the GPU backend
   * plans it into one submission of at most 224 chunks of 512 rows; the CPU engine refuses sets
   * whose evaluation exceeds 4,000 million multiply-adds: about 14,900 samples for (b)).
   */
  samples: number;
  /** Run r's learning rate is OPT_HYPER.lr of its optimizer times lrScale[r] (a sweep); default 1. */
  lrScale?: number[];
  /** Measured on Descent's backends only (the sweep: trained together vs one after another). */
  descentOnly?: boolean;
  /** Measured on Descent's CPU only, the runs spread over one worker per core (workers/cpu/sharded.ts). */
  cpuSpread?: boolean;
}

/** Runs per optimizer of the sweep (e): lr log-spaced over two decades up to the optimizer's bench lr. */
export const SWEEP_LRS = 32;
const sweepScale = Array.from({ length: SWEEP_LRS }, (_, i) => 10 ** (-2 + (2 * i) / (SWEEP_LRS - 1)));

export const WORKLOADS: Workload[] = [
  {
    id: 'a-sgd',
    title: '(a) 2-16-16-2, batch 32, SGD',
    short: '(a) SGD',
    widths: [2, 16, 16, 2],
    hiddenActivation: 'tanh',
    batch: 32,
    optimizers: ['sgd'],
    samples: 1 << 16,
  },
  {
    id: 'a-adam',
    title: '(a) 2-16-16-2, batch 32, Adam',
    short: '(a) Adam',
    widths: [2, 16, 16, 2],
    hiddenActivation: 'tanh',
    batch: 32,
    optimizers: ['adam'],
    samples: 1 << 16,
  },
  {
    id: 'b',
    title: '(b) 784-256-256-10, batch 128, SGD',
    short: '(b)',
    widths: [784, 256, 256, 10],
    hiddenActivation: 'relu',
    batch: 128,
    optimizers: ['sgd'],
    samples: 1 << 13,
  },
  {
    id: 'c',
    title: '(c) 6 runs of (a) at once (SGD, momentum, Nesterov, Adagrad, RMSprop, Adam)',
    short: '(c) 6 runs',
    widths: [2, 16, 16, 2],
    hiddenActivation: 'tanh',
    batch: 32,
    optimizers: [...RACE_OPTIMIZERS],
    samples: 1 << 16,
  },
  {
    // the MNIST MLP of jax-js's README and demo (784-256-128-10, batch 1000, Adam)
    id: 'd',
    title: '(d) 784-256-128-10, batch 1000, Adam',
    short: '(d)',
    widths: [784, 256, 128, 10],
    hiddenActivation: 'relu',
    batch: 1000,
    optimizers: ['adam'],
    samples: 1 << 13,
  },
  {
    // issue 15: a 64-run sweep of (a), all runs in one backend; compared with the same 64 runs
    // trained one after another, i.e. 32 times (a) SGD's time per step plus 32 times (a) Adam's.
    id: 'e',
    title: `(e) sweep: 64 runs of (a) at once (SGD and Adam, each at ${SWEEP_LRS} lr from 1/100 to 1x its lr)`,
    short: '(e) sweep 64',
    widths: [2, 16, 16, 2],
    hiddenActivation: 'tanh',
    batch: 32,
    optimizers: [...Array(SWEEP_LRS).fill('sgd'), ...Array(SWEEP_LRS).fill('adam')],
    lrScale: [...sweepScale, ...sweepScale],
    samples: 1 << 16,
    descentOnly: true,
  },
  {
    // issue 17: the race (c) as the app trains it on the CPU, its runs over one worker per core
    id: 'c-cores',
    title: '(c) 6 runs of (a) on the CPU, spread over one worker per core',
    short: '(c) 6 runs, cores',
    widths: [2, 16, 16, 2],
    hiddenActivation: 'tanh',
    batch: 32,
    optimizers: [...RACE_OPTIMIZERS],
    samples: 1 << 16,
    descentOnly: true,
    cpuSpread: true,
  },
];

export const MATMUL_SIZES = [256, 512, 1024];
/** Largest accepted |y - y_ref| / (1 + |y_ref|) of a sampled output (float32 products are ~1e-6 here). */
export const MATMUL_TOLERANCE = 1e-3;

/** round: 0-based; every task runs once per round, the implementations in a different order each round. */
/** cpu: which of Descent's CPU implementations the descent-cpu rows measure (descentImpl.ts CPU_IMPLS). */
export type Task = { impl: Impl; round: number; cpu: string } & (
  | { kind: 'matmul'; sizes: number[]; budgetMs: number }
  | { kind: 'train'; workload: Workload; warmupMs: number; budgetMs: number }
);

export interface MatmulResult {
  /** Y[n, n] = X[n, n] W[n, n]^T + b[n]: 2 n^3 flops per product (the bias is not counted). */
  n: number;
  /** From the best chunk's time per product. */
  gflops: number;
  msPerProduct: number;
  meanGflops: number;
  products: number;
  /** Largest |y - y_ref| / (1 + |y_ref|) over sampled outputs against a float64 product: proves the work was done. */
  maxRelErr: number;
}

export interface TrainResult {
  /** From the start of building the model (backend/device already up) to the first step's loss on the CPU. */
  firstStepMs: number;
  steps: number;
  ms: number;
  /** Best chunk's rate (see measure.ts: load only slows chunks down). */
  stepsPerSec: number;
  /** Steps over the whole timed window's milliseconds. */
  meanStepsPerSec: number;
  /** Epochs completed inside the timed window (their chunks are left out of stepsPerSec). */
  epochsInWindow: number;
  /** Counted in the page by wrapping GPUComputePassEncoder.dispatchWorkgroups(Indirect) and GPUQueue.submit. */
  dispatchesPerStep: number;
  submitsPerStep: number;
  /** What the backend itself reports (Descent GPU only), to cross-check the page's count. */
  reportedDispatchesPerStep?: number;
  reportedSubmitsPerStep?: number;
  /** Mean loss over the runs at the first step and at the end: proves the steps trained something. */
  firstLoss: number;
  lastLoss: number;
}

/** The app's path (bench/playImpl.ts): the training worker behind the page's bridge, backend 'auto'. */
export interface PlayResult {
  /** From the Play call to the animation frame after the first metrics update with a step. */
  playToFirstStepMs: number;
  /** create(): building the runs before Play (data, layout, the backend 'auto' starts on). */
  createMs: number;
  /** One step of the CPU engine on this workload, measured in the same page afterwards (the target's bound). */
  cpuStepMs: number;
  /** Where the first step ran. */
  backend: 'cpu' | 'webgpu';
}

export interface TaskOutcome {
  task: Task;
  ok: boolean;
  error?: string;
  matmul?: MatmulResult[];
  train?: TrainResult;
  play?: PlayResult;
  /** Notes of the implementation (TF.js flags, adapter, which wasm binary ran). */
  notes: string[];
  /** 1-minute load average of the machine before and after the task (filled in by bench/run.ts). */
  load?: [number, number];
  /** 5-minute load average before and after. */
  load5?: [number, number];
}

export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean | null;
}
