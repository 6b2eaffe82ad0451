// Types of gemmChunks.mjs (the pool's work loop, plain JavaScript for Node helpers).
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
) => void;
export const GEN: number;
export const NEXT: number;
export const DONE: number;
export const STOP: number;
export const ARGS: number;
export const HELPED: number;
export const CTL_INTS: number;
export function tagOf(gen: number): number;
export function runChunks(ctl: Int32Array, gemm: GemmFn, gen: number): number;
export function helperLoop(ctl: Int32Array, gemm: GemmFn): void;
