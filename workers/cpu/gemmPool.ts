// A pool of threads sharing the dense products (C[M, N] = A Bp + bias, the kernel's gemm) through
// one shared WebAssembly memory: the calling thread (the trainer worker) and threads - 1 helpers
// (gemmThread.mjs), all running the shared-memory build of wasm/dense.ts on the same memory. Only
// a cross-origin isolated page (or Node) has SharedArrayBuffer; elsewhere the single-threaded
// kernels run and no pool exists (wasmLoad.ts decides).
//
// A product is split into chunks of rows of C, claimed from a shared counter by whichever thread
// is free (gemmChunks.mjs): every row is computed exactly as the single-threaded call computes it,
// so results are bit-identical to it. Small products (fewer than MIN_PARALLEL multiply-adds) run on
// the caller alone: waking a helper costs tens of microseconds.
import { ARGS, CTL_INTS, DONE, GEN, type GemmFn, HELPED, NEXT, runChunks, STOP, tagOf } from './gemmChunks.mjs';

/** Multiply-adds below which a product runs on the calling thread only. */
export const MIN_PARALLEL = 1 << 18;

export interface GemmPool {
  /** Threads that share a product, the caller included. */
  threads: number;
  gemm: GemmFn;
  /** Chunks the helpers have run so far (0: the caller did all the work). */
  helped(): number;
  dispose(): void;
}

interface Helper {
  post(msg: unknown): void;
  /** Resolves with the helper's first message ('ready' or 'error: ...'). */
  first: Promise<string>;
  terminate(): void;
}

/** The part of node:worker_threads' Worker used here. */
interface NodeHelper {
  postMessage(m: unknown): void;
  once(ev: 'message', f: (m: unknown) => void): void;
  once(ev: 'error', f: (e: Error) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

async function spawn(): Promise<Helper> {
  if (typeof Worker !== 'undefined') {
    // browser (Node 20 has no global Worker); Vite bundles the helper from this literal URL
    const w = new Worker(new URL('./gemmThread.mjs', import.meta.url), { type: 'module', name: 'descent-gemm' });
    const first = new Promise<string>((resolve) => {
      w.onmessage = (e) => resolve(String(e.data));
      w.onerror = (e) => resolve(`error: ${e.message || 'the helper did not load'}`);
    });
    return { post: (m) => w.postMessage(m), first, terminate: () => w.terminate() };
  }
  // Node: worker_threads on the same file (the specifier is a variable so that bundlers leave it alone)
  const name = 'node:worker_threads';
  const wt: { Worker: new (url: URL) => NodeHelper } = await import(/* @vite-ignore */ name);
  const w = new wt.Worker(new URL(['.', 'gemmThread.mjs'].join('/'), import.meta.url));
  w.unref(); // a pool left undisposed does not keep Node alive
  const first = new Promise<string>((resolve) => {
    w.once('message', (m) => resolve(String(m)));
    w.once('error', (e) => resolve(`error: ${e.message}`));
  });
  return { post: (m) => w.postMessage(m), first, terminate: () => void w.terminate() };
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

/**
 * Starts threads - 1 helpers on `module` (the shared-memory kernels) and `memory`; `gemm` is the
 * caller's own instance of the kernel on that memory. Rejects when a helper does not start.
 */
export async function createGemmPool(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  gemm: GemmFn,
  threads: number,
): Promise<GemmPool> {
  const ctl = new Int32Array(new SharedArrayBuffer(CTL_INTS * 4));
  const helpers = await Promise.all(Array.from({ length: threads - 1 }, spawn));
  const dispose = () => {
    Atomics.store(ctl, STOP, 1);
    Atomics.add(ctl, GEN, 1);
    Atomics.notify(ctl, GEN);
    for (const h of helpers) h.terminate();
  };
  for (const h of helpers) h.post({ module, memory, ctl: ctl.buffer });
  const answers = await Promise.all(helpers.map((h) => h.first));
  const failed = answers.find((a) => a !== 'ready');
  if (failed) {
    dispose();
    throw new Error(`GEMM helper thread: ${failed}`);
  }
  const block = canBlock();
  let gen = 0;
  return {
    threads,
    dispose,
    helped: () => Atomics.load(ctl, HELPED),
    gemm(a, rs, cs, M, N, K, bp, bias, c) {
      if (threads < 2 || M * N * K < MIN_PARALLEL || M <= 4) return gemm(a, rs, cs, M, N, K, bp, bias, c);
      // about four chunks per thread, each a multiple of the kernel's 4-row tile
      const rows = Math.max(4, (Math.ceil(M / (4 * threads)) + 3) & ~3);
      const chunks = Math.ceil(M / rows);
      ctl.set([a, rs, cs, M, N, K, bp, bias, c, rows, chunks], ARGS);
      gen = (gen + 1) | 0;
      Atomics.store(ctl, DONE, 0);
      Atomics.store(ctl, NEXT, tagOf(gen));
      Atomics.store(ctl, GEN, gen);
      Atomics.notify(ctl, GEN);
      runChunks(ctl, gemm, gen);
      // only chunks a helper claimed can still be running
      for (let d = Atomics.load(ctl, DONE); d < chunks; d = Atomics.load(ctl, DONE)) {
        if (block) Atomics.wait(ctl, DONE, d);
      }
    },
  };
}
