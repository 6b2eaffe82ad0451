// Limits shared by the kernels' build (scripts/buildWasm.ts) and their loader (wasmOps.ts).

/** Largest shared memory of the threaded kernels, in 64 KiB pages (1 GiB): a shared memory cannot grow past the maximum it declares. */
export const SHARED_MAX_PAGES = 16384;

/** Largest GEMM pool, caller included: the dense products of the nets the CPU trains stop scaling past a few threads. */
export const MAX_THREADS = 4;
