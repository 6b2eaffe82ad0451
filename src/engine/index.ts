// The single public entry of the engine. The worker, the GPU parity tests, the benchmarks and
// scripts/train.ts import from here. Everything is pure TypeScript (no DOM, no GPU) and
// deterministic from seeds. Legend used throughout: B batch, I/O a layer's input/output
// features, C classes, L dense layers, P parameters; matrices row-major, W[O, I].

/** Reference layers, each beside its derivative; the WGSL kernels are named after and checked against these. */
export * from './activations';
/** Data: 2D sets, regression sets, digits, optimizer test functions; preprocessing and augmentation. */
export * from './augment';
export * from './batchnorm';
export * from './data';
/** Configuration: the serializable TrainConfig, its names and the defaults. */
export * from './defaults';
export * from './dense';
/** Training diagnostics in plain words (dead ReLUs, saturation, vanishing/exploding gradients, update ratio). */
export * from './diagnosticDemos';
export * from './diagnostics';
export * from './dropout';
/** Optimizers (pure in-place steps), learning-rate schedules, early stopping. */
export * from './earlyStopping';
export * from './eigen';
/** The network over one flat theta: layout (offsets, init, decay mask), forward/backward, evaluation. */
export * from './evaluate';
/** Arrays: FloatArray = Float32Array | Float64Array (float64 for gradient checks), norms. */
export * from './floatArray';
/** Finite-difference gradient checking (tests, GPU parity tools). */
export * from './gradCheck';
/** Seeded randomness: mulberry32 streams per purpose, and the counter-based hash the GPU copies bit for bit. */
export * from './hash';
export * from './layout';
/** Training: the loop bookkeeping shared with the GPU backend, and the steppable Run. */
export * from './loop';
export * from './losses';
/** Learning-rate range test (Smith 2017, torch-lr-finder's rule) on a copy of a run's state. */
export * from './lrRange';
/** The metrics table: per-step and per-epoch fields, their types and reductions, and the column builder. */
export * from './metricsSchema';
export * from './network';
export * from './optim';
export * from './preprocess';
export * from './regularizers';
export * from './rng';
export * from './schedules';
/** A run's whole state as plain data (RunSnapshot), for moving it between backends. */
export * from './snapshot';
export * from './trainer';
export * from './types';
