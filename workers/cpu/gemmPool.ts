// A pool of threads sharing the dense products (C[M, N] = A Bp + bias, the kernel's gemm, with the
// packing of B into Bp) through one shared WebAssembly memory: the calling thread (the trainer
// worker) and threads - 1 helpers (gemmThread.mjs), all running the shared-memory build of
// wasm/dense.ts on the same memory. Only a cross-origin isolated page (or Node) has
// SharedArrayBuffer; elsewhere the single-threaded kernels run and no pool exists (wasmLoad.ts decides).
//
// A product is split into chunks claimed from a shared counter by whichever thread is free
// (gemmChunks.mjs): stripes of 8-column panels when B has at least 2 panels per thread (each
// thread packs its own panels, so packing is shared too), else rows of C (the caller packs).
// Chunks shrink towards the end (guidedBounds: at most 1/(6 threads) of the product, then half
// a thread's share of what is left, the last one unit), so few claims and a short tail.
// Every element of C is computed exactly as the single-threaded call computes it, so results are
// bit-identical to it. The caller computes its share like any helper and then waits for the
// chunks still in flight (spinning up to JOIN_SPIN_US, then Atomics.wait); helpers spin up to
// HELPER_SPIN_US after a product before sleeping, so a training step's back-to-back products find
// them awake. Small products (fewer than MIN_PARALLEL multiply-adds) run on the caller alone.
//
// Helpers that die are replaced: a helper that ends (Node: its 'exit' event; a browser: its
// 'error' event or an 'error: ...' message) is started again on the same memory, up to
// MAX_REBUILDS times over the pool's life, after which the pool runs on its live threads (alive()
// says how many; the CPU backend's status line shows it). A helper that dies holding a chunk
// leaves it unfinished: after STALL_MS without any chunk finishing, the caller recomputes the
// unfinished chunks itself (the same numbers), retires their owners (terminate, then a new
// helper) and counts a recovery: the ops then lay later calls out above every byte used so far,
// so a stalled helper that wakes up late writes only where nothing lives any more.
import {
  ARGS,
  BOUNDS,
  type ChunkKernels,
  CNT,
  CRASH,
  CTL_INTS,
  DONE,
  GEN,
  HELPED,
  HELPER_SPIN_US,
  JOIN_SPIN_US,
  MAX_CHUNKS,
  NEXT,
  OWNER,
  PACK,
  PACK_T,
  runChunk,
  runChunks,
  SPIN,
  STOP,
  spinWhile,
  tagOf,
} from './gemmChunks.mjs';

/** Multiply-adds below which a product runs on the calling thread only. */
export const MIN_PARALLEL = 1 << 18;
/** ms without any chunk finishing after which the caller recomputes the chunks in flight itself. */
export const STALL_MS = 2000;
/** Helpers started again over a pool's life before it gives up and runs on its live threads. */
export const MAX_REBUILDS = 8;
/** The caller's wait is cut into slices of this many ms to notice a stall. */
const WAIT_SLICE_MS = 20;

/**
 * C[M, N] = A Bp + bias after packing B into Bp (pk: PACK_NONE, PACK from B[K, N] with row stride
 * pld at psrc, PACK_T from W[N, K] at psrc); A[m, k] at a + 4 (m rs + k cs); C's row stride N.
 */
export type PackGemmFn = (
  pk: number,
  psrc: number,
  pld: number,
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

/** The single-threaded form: pack, then one gemm over all of C. */
export function packGemmOn(k: ChunkKernels): PackGemmFn {
  return (pk, psrc, pld, a, rs, cs, M, N, K, bp, bias, c) => {
    packOn(k, pk, psrc, pld, N, K, bp);
    k.gemm(a, rs, cs, M, N, K, bp, bias, c, N);
  };
}

function packOn(k: ChunkKernels, pk: number, psrc: number, pld: number, N: number, K: number, bp: number): void {
  if (pk === PACK) k.pack(psrc, K, N, pld, bp);
  else if (pk === PACK_T) k.packT(psrc, N, K, bp);
}

export interface GemmPool {
  /** Threads that share a product when all are alive, the caller included. */
  threads: number;
  gemm: PackGemmFn;
  /** Threads serving now, the caller included (fewer while a helper is being replaced or given up). */
  alive(): number;
  /** Chunks the helpers have run so far (0: the caller did all the work). */
  helped(): number;
  /** Products whose unfinished chunks the caller recomputed after a stall. */
  recoveries(): number;
  /** Helpers started again after one ended. */
  rebuilds(): number;
  /** Resolves when no helper is starting (tests). */
  settled(): Promise<void>;
  /** Test hooks: end helper i (0-based) as a crash would; make the next helper that claims a chunk throw. */
  kill(i: number): void;
  crashNextChunk(): void;
  dispose(): void;
}

export interface PoolOptions {
  /** STALL_MS unless given (tests shorten it). */
  stallMs?: number;
  /** HELPER_SPIN_US and JOIN_SPIN_US unless given (to compare settings; the app keeps the defaults). */
  helperSpinUs?: number;
  joinSpinUs?: number;
}

/**
 * The chunks of `units` units (8-column panels, or rows in steps of `step`) for `threads` threads:
 * bounds b[0] = 0 < b[1] < ... < b[chunks] = units, each inner bound a multiple of `step`. A chunk
 * is half a thread's share of what is left (guided self-scheduling), at most 1/(6 threads) of the
 * whole (a thread that is preempted holding one does not hold up much) and at least `step`, so the
 * last chunks are one step each: a helper that joins late or runs slower leaves a tail of one
 * step. At most MAX_CHUNKS chunks (the smallest size grows until they fit).
 */
export function guidedBounds(units: number, threads: number, step = 1): number[] {
  const steps = Math.ceil(units / step);
  // the large chunks take at most half of the MAX_CHUNKS, the shrinking tail the rest
  const most = Math.max(1, Math.ceil(steps / (6 * threads)), Math.ceil(steps / (MAX_CHUNKS / 2)));
  for (let least = 1; ; least++) {
    const b = [0];
    for (let at = 0; at < steps && b.length <= MAX_CHUNKS; ) {
      at = Math.min(steps, at + Math.max(least, Math.min(most, Math.ceil((steps - at) / (2 * threads)))));
      b.push(Math.min(units, at * step));
    }
    if (b[b.length - 1] === units) return b; // else too many chunks: a larger least
  }
}

interface Helper {
  post(msg: unknown): void;
  /** Resolves with the helper's first message ('ready' or 'error: ...'). */
  first: Promise<string>;
  /** Called once when the helper ends or reports an error after its first message. */
  onEnd(f: (why: string) => void): void;
  terminate(): void;
}

/** The part of node:worker_threads' Worker used here. */
interface NodeHelper {
  postMessage(m: unknown): void;
  on(ev: 'message', f: (m: unknown) => void): void;
  on(ev: 'error', f: (e: Error) => void): void;
  on(ev: 'exit', f: (code: number) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

async function spawn(): Promise<Helper> {
  let firstSeen: ((m: string) => void) | null = null;
  let ended: ((why: string) => void) | null = null;
  const first = new Promise<string>((resolve) => {
    firstSeen = resolve;
  });
  // the first message settles `first`; an 'error' message after it, or the end, is the helper's end
  const message = (m: string) => {
    if (firstSeen) {
      firstSeen(m);
      firstSeen = null;
    } else if (m.startsWith('error')) end(m);
  };
  const end = (why: string) => {
    if (firstSeen) message(`error: ${why}`);
    const f = ended;
    ended = null;
    f?.(why);
  };
  const onEnd = (f: (why: string) => void) => {
    ended = f;
  };
  if (typeof Worker !== 'undefined') {
    // browser (Node 20 has no global Worker); Vite bundles the helper from this literal URL
    const w = new Worker(new URL('./gemmThread.mjs', import.meta.url), { type: 'module', name: 'descent-gemm' });
    w.onmessage = (e) => message(String(e.data));
    w.onerror = (e) => end(`error: ${e.message || 'the helper did not load'}`);
    return { post: (m) => w.postMessage(m), first, onEnd, terminate: () => w.terminate() };
  }
  // Node: worker_threads on the same file (the specifier is a variable so that bundlers leave it alone)
  const name = 'node:worker_threads';
  const wt: { Worker: new (url: URL) => NodeHelper } = await import(/* @vite-ignore */ name);
  const w = new wt.Worker(new URL(['.', 'gemmThread.mjs'].join('/'), import.meta.url));
  w.unref(); // a pool left undisposed does not keep Node alive
  w.on('message', (m) => message(String(m)));
  w.on('error', (e) => end(`error: ${e.message}`));
  w.on('exit', (code) => end(`exited (code ${code})`));
  return { post: (m) => w.postMessage(m), first, onEnd, terminate: () => void w.terminate() };
}

/** Whether this thread may block in Atomics.wait (a worker, Node); a page's main thread may not. */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); // holds 0: 'not-equal' at once where allowed
    return true;
  } catch {
    return false;
  }
}

interface Slot {
  /** Thread id in OWNER slots: 1.. */
  id: number;
  h: Helper | null;
  state: 'starting' | 'ready' | 'given-up';
}

/**
 * Starts threads - 1 helpers on `module` (the shared-memory kernels) and `memory`; `k` is the
 * caller's own instance of the kernels on that memory. Rejects when a helper does not start.
 */
export async function createGemmPool(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  k: ChunkKernels,
  threads: number,
  opts: PoolOptions = {},
): Promise<GemmPool> {
  const stallMs = opts.stallMs ?? STALL_MS;
  const joinSpinUs = opts.joinSpinUs ?? JOIN_SPIN_US;
  const ctl = new Int32Array(new SharedArrayBuffer(CTL_INTS * 4));
  ctl[SPIN] = opts.helperSpinUs ?? HELPER_SPIN_US;
  const slots: Slot[] = Array.from({ length: threads - 1 }, (_, i) => ({ id: i + 1, h: null, state: 'starting' }));
  const starting = new Set<Promise<void>>();
  let disposed = false;
  let rebuilt = 0;
  let recovered = 0;

  async function start(slot: Slot): Promise<void> {
    slot.state = 'starting';
    const h = await spawn();
    if (disposed) {
      h.terminate();
      return;
    }
    slot.h = h;
    h.onEnd((why) => {
      if (slot.h !== h) return;
      console.warn(`GEMM helper thread ${slot.id} ended: ${why}`);
      retire(slot);
    });
    h.post({ module, memory, ctl: ctl.buffer, id: slot.id });
    const answer = await h.first;
    if (answer !== 'ready') throw new Error(`GEMM helper thread: ${answer}`);
    if (slot.h === h) slot.state = 'ready';
  }
  /** Ends slot's helper (if still there) and starts another, up to MAX_REBUILDS over the pool's life. */
  function retire(slot: Slot): void {
    const h = slot.h;
    slot.h = null;
    h?.terminate();
    if (disposed) return;
    if (rebuilt >= MAX_REBUILDS) {
      slot.state = 'given-up';
      return;
    }
    rebuilt++;
    const p = start(slot).catch((e) => {
      console.warn(`GEMM helper thread ${slot.id} not restarted, the pool runs on fewer threads: ${e}`);
      slot.h?.terminate();
      slot.h = null;
      slot.state = 'given-up';
    });
    starting.add(p);
    void p.then(() => starting.delete(p));
  }
  const dispose = () => {
    disposed = true;
    Atomics.store(ctl, STOP, 1);
    Atomics.add(ctl, GEN, 1);
    Atomics.notify(ctl, GEN);
    for (const s of slots) {
      s.h?.terminate();
      s.h = null;
    }
  };
  try {
    await Promise.all(slots.map(start));
  } catch (e) {
    dispose();
    throw e;
  }

  const block = canBlock();
  const single = packGemmOn(k);
  let gen = 0;

  /** Chunks of product `g` not finished yet (0..chunks). */
  const unfinished = (g: number, chunks: number) => {
    let n = 0;
    for (let i = 0; i < chunks; i++) if (Atomics.load(ctl, DONE + i) !== g) n++;
    return n;
  };
  /** After a stall: the caller runs the unfinished chunks and retires the helpers that held them. */
  const recover = (g: number, chunks: number) => {
    const owners = new Set<number>();
    for (let i = 0; i < chunks; i++) {
      if (Atomics.load(ctl, DONE + i) === g) continue;
      owners.add(Atomics.load(ctl, OWNER + i));
      runChunk(ctl, k, i);
      Atomics.store(ctl, DONE + i, g);
    }
    recovered++;
    console.warn(
      `GEMM pool: no chunk finished for ${stallMs} ms; the caller recomputed ${owners.size > 0 ? 'the chunks of helper(s) ' : ''}${[...owners].join(', ')}`,
    );
    for (const s of slots) if (owners.has(s.id) && s.h) retire(s);
  };

  return {
    threads,
    dispose,
    alive: () => 1 + slots.filter((s) => s.state === 'ready').length,
    helped: () => Atomics.load(ctl, HELPED),
    recoveries: () => recovered,
    rebuilds: () => rebuilt,
    async settled() {
      while (starting.size > 0) await Promise.all([...starting]);
    },
    kill(i) {
      slots[i]?.h?.terminate();
    },
    crashNextChunk() {
      Atomics.store(ctl, CRASH, 1);
    },
    gemm(pk, psrc, pld, a, rs, cs, M, N, K, bp, bias, c) {
      if (threads < 2 || M * N * K < MIN_PARALLEL || slots.every((s) => s.state === 'given-up'))
        return single(pk, psrc, pld, a, rs, cs, M, N, K, bp, bias, c);
      const panels = (N + 7) >> 3;
      let split = 1;
      let bounds: number[];
      if (panels >= 2 * threads) {
        // stripes of panels: each thread packs the panels it computes
        bounds = guidedBounds(panels, threads);
      } else {
        // too few panels to share: the caller packs, the threads share rows (multiples of the 4-row tile)
        split = 0;
        bounds = guidedBounds(M, threads, 4);
        if (bounds.length < 3) return single(pk, psrc, pld, a, rs, cs, M, N, K, bp, bias, c);
        packOn(k, pk, psrc, pld, N, K, bp);
        pk = 0;
      }
      const chunks = bounds.length - 1;
      gen = (gen + 1) & 0x7fffffff || 1;
      const g = gen;
      ctl.set([a, rs, cs, M, N, K, bp, bias, c, split, 0, chunks, pk, psrc, pld, g], ARGS);
      ctl.set(bounds, BOUNDS);
      Atomics.store(ctl, NEXT, tagOf(g) | (chunks << 8));
      Atomics.store(ctl, GEN, g);
      Atomics.notify(ctl, GEN);
      runChunks(ctl, k, 0);
      // join: only chunks a helper claimed can still be running
      let left = unfinished(g, chunks);
      let since = 0;
      while (left > 0) {
        const cnt = Atomics.load(ctl, CNT);
        const now = unfinished(g, chunks);
        if (now === 0) break;
        if (now !== left || since === 0) {
          left = now;
          since = performance.now();
        } else if (performance.now() - since > stallMs) {
          recover(g, chunks);
          break;
        }
        if (spinWhile(ctl, CNT, cnt, joinSpinUs) === cnt && block) Atomics.wait(ctl, CNT, cnt, WAIT_SLICE_MS);
      }
    },
  };
}
