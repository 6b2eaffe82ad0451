// The work loop that every thread of the GEMM pool runs (workers/cpu/gemmPool.ts is the caller's
// side, gemmThread.mjs a helper's). Plain JavaScript so that a Node worker_threads helper runs the
// very same file as a browser Worker, with no TypeScript loader; types in gemmChunks.d.mts.
//
// One product C[M, N] = A Bp + bias (the kernel's gemm, wasm/dense.ts) is cut into chunks of
// `rows` rows of C (a multiple of the kernel's 4-row tile): chunk i is rows [i rows, min(M, (i+1) rows)),
// i.e. gemm(a + 4 i rows rs, rs, cs, r, N, K, bp, bias, c + 4 i rows N). Each row of C is computed by
// one thread with the same arithmetic as the single-threaded call, so the result is bit-identical.
//
// Threads claim chunks from a shared counter (work sharing): a helper that wakes late finds
// nothing left and sleeps again, so the caller never waits for more than the chunks in flight. The
// counter carries the product's generation in its high 16 bits (NEXT = tag << 16 | next chunk), so a
// claim from a helper still holding an older product's arguments fails its compare-exchange.
//
// Control block (Int32Array over a SharedArrayBuffer, CTL_INTS slots):
//   GEN   generation, bumped (and notified) once the arguments of a new product are written
//   NEXT  tag << 16 | index of the next unclaimed chunk
//   DONE  chunks finished (notified when it reaches the chunk count)
//   STOP  1: helpers return (the pool is disposed)
//   ARGS  a, rs, cs, M, N, K, bp, bias, c, rows, chunks (11 slots)
//   HELPED chunks run by helpers since the pool started (tests and the bench read it)

export const GEN = 0;
export const NEXT = 1;
export const DONE = 2;
export const STOP = 3;
export const ARGS = 4;
export const HELPED = 15;
export const CTL_INTS = 16;

/** The 15-bit tag of generation `gen` in NEXT's high half. */
export const tagOf = (gen) => (gen & 0x7fff) << 16;

/** Claims and runs chunks of generation `gen` until none is left; returns how many it ran. */
export function runChunks(ctl, gemm, gen) {
  const a = ctl[ARGS];
  const rs = ctl[ARGS + 1];
  const cs = ctl[ARGS + 2];
  const M = ctl[ARGS + 3];
  const N = ctl[ARGS + 4];
  const K = ctl[ARGS + 5];
  const bp = ctl[ARGS + 6];
  const bias = ctl[ARGS + 7];
  const c = ctl[ARGS + 8];
  const rows = ctl[ARGS + 9];
  const chunks = ctl[ARGS + 10];
  const tag = tagOf(gen);
  let ran = 0;
  for (;;) {
    const cur = Atomics.load(ctl, NEXT);
    // another product's counter (the arguments read above may be stale), or all chunks claimed
    if ((cur & ~0xffff) !== tag || (cur & 0xffff) >= chunks) return ran;
    if (Atomics.compareExchange(ctl, NEXT, cur, cur + 1) !== cur) continue;
    const m0 = (cur & 0xffff) * rows;
    gemm(a + 4 * m0 * rs, rs, cs, Math.min(rows, M - m0), N, K, bp, bias, c + 4 * m0 * N);
    ran++;
    if (Atomics.add(ctl, DONE, 1) + 1 === chunks) Atomics.notify(ctl, DONE);
  }
}

/** A helper's life: wait for a new generation, run its chunks, until STOP. */
export function helperLoop(ctl, gemm) {
  let seen = Atomics.load(ctl, GEN);
  for (;;) {
    Atomics.wait(ctl, GEN, seen);
    if (Atomics.load(ctl, STOP)) return;
    seen = Atomics.load(ctl, GEN);
    const ran = runChunks(ctl, gemm, seen);
    if (ran) Atomics.add(ctl, HELPED, ran);
  }
}
