// Types of gemmChunks.mjs (the pool's work loop, plain JavaScript for Node helpers).
/** The kernel's gemm (wasm/dense.ts): C[M, N] = A Bp + bias, C's row stride ldc floats. */
export type GemmFn = (
  a: number,
  rs: number,
  cs: number,
  M: number,
  N: number,
  K: number,
  bp: number,
  bias: number,
  c: number,
  ldc: number,
) => void;
/** The kernels a thread of the pool runs: gemm and the two packings of its right-hand side. */
export interface ChunkKernels {
  gemm: GemmFn;
  pack(src: number, K: number, N: number, ld: number, dst: number): void;
  packT(src: number, N: number, K: number, dst: number): void;
}
export const GEN: number;
export const NEXT: number;
export const CNT: number;
export const STOP: number;
export const HELPED: number;
export const CRASH: number;
export const SPIN: number;
export const ARGS: number;
export const MAX_CHUNKS: number;
export const OWNER: number;
export const DONE: number;
export const BOUNDS: number;
export const CTL_INTS: number;
export const PACK_NONE: number;
export const PACK: number;
export const PACK_T: number;
export const HELPER_SPIN_US: number;
export const JOIN_SPIN_US: number;
export function tagOf(gen: number): number;
export function runChunk(ctl: Int32Array, k: ChunkKernels, i: number): void;
export function runChunks(ctl: Int32Array, k: ChunkKernels, id: number): number;
export function spinWhile(ctl: Int32Array, at: number, value: number, us: number): number;
export function helperLoop(ctl: Int32Array, k: ChunkKernels, id: number): void;
