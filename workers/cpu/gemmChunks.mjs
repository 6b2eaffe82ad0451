// The work loop that every thread of the GEMM pool runs (workers/cpu/gemmPool.ts is the caller's
// side, gemmThread.mjs a helper's). Plain JavaScript so that a Node worker_threads helper runs the
// very same file as a browser Worker, with no TypeScript loader; types in gemmChunks.d.mts.
//
// One product C[M, N] = A Bp + bias (the kernel's gemm, wasm/dense.ts) is cut into chunks, each
// computed by one thread with the same arithmetic as the single-threaded call (every element of C
// sums the same terms in the same order), so the result is bit-identical. Chunk i covers the units
// [BOUNDS[i], BOUNDS[i+1]) (the caller lays them out, gemmPool.ts guidedBounds: large first, one
// unit at the end, so a thread that starts late or runs slow leaves a short tail):
//   columns (split 1): a unit is an 8-column panel of Bp: the thread first packs its panels of B
//     (pack: B[K, N] row-major with row stride pld; packT: B = W^T with W[N, K]), then computes
//     every row of C in those columns. Packing is shared as the product is.
//   rows (split 0): a unit is a row of C (bounds multiples of the kernel's 4-row tile), Bp packed
//     by the caller beforehand (products with too few panels to share).
//
// Threads claim chunks from one shared word (work sharing): a helper that wakes late finds nothing
// left, so the caller never waits for more than the chunks in flight. The word NEXT holds
// tag << 16 | chunks << 8 | next unclaimed chunk; a thread reads the product's arguments only after
// its compare-exchange claimed a chunk of it, and the caller rewrites them only once every chunk
// is done, so a thread never mixes two products' arguments. A finished chunk writes the product's
// generation into its DONE slot (an old product's late chunk cannot pass for a new one's) and
// bumps CNT, which the caller waits on.
//
// Control block (Int32Array over a SharedArrayBuffer, CTL_INTS slots):
//   GEN    generation, bumped (and notified) once a new product is published
//   NEXT   tag << 16 | chunks << 8 | next
//   CNT    bumped (and notified) per finished chunk
//   STOP   1: helpers return (the pool is disposed)
//   HELPED chunks run by helpers since the pool started (tests and the bench read it)
//   CRASH  test hook: 1 makes the next helper that claims a chunk throw before running it
//   SPIN   how long a helper spins for the next product before sleeping, µs (the pool sets it)
//   ARGS   a, rs, cs, M, N, K, bp, bias, c, split, (unused), chunks, pk, psrc, pld, gen (16 slots)
//   OWNER  per chunk: id of the thread that claimed it (0 the caller, 1.. the helpers)
//   DONE   per chunk: generation of the product whose chunk finished last there
//   BOUNDS chunks + 1 unit bounds (panels or rows), written with the arguments

export const GEN = 0;
export const NEXT = 1;
export const CNT = 2;
export const STOP = 3;
export const HELPED = 4;
export const CRASH = 5;
export const SPIN = 6;
export const ARGS = 8;
/** Most chunks of one product (8 bits of NEXT; one OWNER and one DONE slot each). */
export const MAX_CHUNKS = 64;
export const OWNER = ARGS + 16;
export const DONE = OWNER + MAX_CHUNKS;
export const BOUNDS = DONE + MAX_CHUNKS;
export const CTL_INTS = BOUNDS + MAX_CHUNKS + 1;

/** How packing is done: none (Bp ready), pack(B[K, N], ld) or packT(W[N, K]). */
export const PACK_NONE = 0;
export const PACK = 1;
export const PACK_T = 2;

/**
 * A helper spins this long (µs) for the next product before sleeping in Atomics.wait: back-to-back
 * products with their copies in and out between them (~0.1 ms at 256³) find it awake, not asleep
 * (waking it takes tens of µs on an idle machine, more on a loaded one).
 */
export const HELPER_SPIN_US = 200;
/**
 * The caller spins this long (µs) for a helper's last chunk before waiting in Atomics.wait. Short:
 * the chunks at the end are single panels; a longer wait means the helper was preempted, and a
 * spinning caller would only hold a core the helper could use.
 */
export const JOIN_SPIN_US = 50;

/** The 15-bit tag of generation `gen` in NEXT's high half. */
export const tagOf = (gen) => (gen & 0x7fff) << 16;

/** Runs chunk i of the product whose arguments are in ctl (kernels k: gemm, pack, packT). */
export function runChunk(ctl, k, i) {
  const a = ctl[ARGS];
  const rs = ctl[ARGS + 1];
  const cs = ctl[ARGS + 2];
  const M = ctl[ARGS + 3];
  const N = ctl[ARGS + 4];
  const K = ctl[ARGS + 5];
  const bp = ctl[ARGS + 6];
  const bias = ctl[ARGS + 7];
  const c = ctl[ARGS + 8];
  const lo = ctl[BOUNDS + i];
  const hi = ctl[BOUNDS + i + 1];
  if (ctl[ARGS + 9] === 0) {
    k.gemm(a + 4 * lo * rs, rs, cs, Math.min(hi, M) - lo, N, K, bp, bias, c + 4 * lo * N, N);
    return;
  }
  const n0 = 8 * lo;
  const w = Math.min(8 * hi, N) - n0;
  const pb = bp + 4 * n0 * K;
  const pk = ctl[ARGS + 12];
  if (pk === PACK) k.pack(ctl[ARGS + 13] + 4 * n0, K, w, ctl[ARGS + 14], pb);
  else if (pk === PACK_T) k.packT(ctl[ARGS + 13] + 4 * n0 * K, w, K, pb);
  k.gemm(a, rs, cs, M, w, K, pb, bias ? bias + 4 * n0 : 0, c + 4 * n0, N);
}

/** Claims and runs chunks of the published product until none is left; returns how many it ran. */
export function runChunks(ctl, k, id) {
  let ran = 0;
  for (;;) {
    const cur = Atomics.load(ctl, NEXT);
    const i = cur & 0xff;
    if (i >= ((cur >> 8) & 0xff)) return ran;
    if (Atomics.compareExchange(ctl, NEXT, cur, cur + 1) !== cur) continue;
    // claimed: the arguments are this product's until its every chunk is done (this one included)
    const gen = ctl[ARGS + 15];
    Atomics.store(ctl, OWNER + i, id);
    if (id !== 0 && Atomics.load(ctl, CRASH) === 1 && Atomics.compareExchange(ctl, CRASH, 1, 0) === 1)
      throw new Error('GEMM helper: crashed on purpose (test hook)');
    runChunk(ctl, k, i);
    Atomics.store(ctl, DONE + i, gen);
    Atomics.add(ctl, CNT, 1);
    Atomics.notify(ctl, CNT);
    ran++;
  }
}

/** Spins up to `us` µs while ctl[at] holds `value`; returns the value it last read. */
export function spinWhile(ctl, at, value, us) {
  let v = Atomics.load(ctl, at);
  if (v !== value) return v;
  const until = performance.now() + us / 1000;
  for (let n = 1; ; n++) {
    v = Atomics.load(ctl, at);
    if (v !== value || ((n & 63) === 0 && performance.now() > until)) return v;
  }
}

/** A helper's life (id >= 1): wait for a new generation, run its chunks, until STOP. */
export function helperLoop(ctl, k, id) {
  let seen = Atomics.load(ctl, GEN);
  for (;;) {
    // back-to-back products (a training step's layers) come within microseconds: spin first
    if (spinWhile(ctl, GEN, seen, Atomics.load(ctl, SPIN)) === seen) Atomics.wait(ctl, GEN, seen);
    if (Atomics.load(ctl, STOP)) return;
    seen = Atomics.load(ctl, GEN);
    const ran = runChunks(ctl, k, id);
    if (ran) Atomics.add(ctl, HELPED, ran);
  }
}
