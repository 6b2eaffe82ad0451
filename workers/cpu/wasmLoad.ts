// Where the CPU backend gets its WebAssembly kernels: the worker fetches the built .wasm next to
// its bundle (Vite emits the files named by these `new URL(..., import.meta.url)`); under Node
// (tests, bench, the headless trainer) the URL is a file: URL and the bytes are read from disk.
//
// Threads: a cross-origin isolated page (self.crossOriginIsolated: the server sent COOP/COEP, see
// README) has SharedArrayBuffer, so the GEMMs are shared by min(hardwareConcurrency, MAX_THREADS)
// threads (gemmPool.ts); any other page runs the single-threaded kernels. Node runs one thread
// unless a caller asks for more (tests, bench).
import type { PoolOptions } from './gemmPool';
import { type LoadedWasmOps, loadWasmOps } from './wasmInstance';
import { MAX_THREADS } from './wasmLimits';
import type { WasmKind } from './wasmOps';

const URLS: Record<WasmKind, URL> = {
  'relaxed-simd': new URL('./wasm/build/dense-relaxed.wasm', import.meta.url),
  simd: new URL('./wasm/build/dense-simd.wasm', import.meta.url),
};
const SHARED_URLS: Record<WasmKind, URL> = {
  'relaxed-simd': new URL('./wasm/build/dense-relaxed-shared.wasm', import.meta.url),
  simd: new URL('./wasm/build/dense-simd-shared.wasm', import.meta.url),
};

async function readBytes(kind: WasmKind, shared: boolean): Promise<BufferSource> {
  const url = (shared ? SHARED_URLS : URLS)[kind];
  if (url.protocol === 'file:') {
    // Node only; the specifier is a variable so that bundlers leave it alone.
    const fsName = 'node:fs/promises';
    const fs: { readFile(u: URL): Promise<Uint8Array> } = await import(/* @vite-ignore */ fsName);
    return new Uint8Array(await fs.readFile(url));
  }
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url.pathname}: HTTP ${r.status}`);
  return r.arrayBuffer();
}

/** Threads this context can share a GEMM over: 1 unless cross-origin isolated (SharedArrayBuffer). */
export function autoThreads(): number {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  if (!g.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined') return 1;
  return Math.max(1, Math.min(MAX_THREADS, g.navigator?.hardwareConcurrency ?? 1));
}

const loaded = new Map<number, Promise<LoadedWasmOps | null>>();
/** The same, once loaded (liveThreads reads them synchronously). */
const ready = new Map<number, LoadedWasmOps | null>();

/**
 * Threads sharing the GEMMs now of the kernels loaded for `threads` (fewer than asked while a
 * helper thread is being replaced, or when the pool gave up on it): what the status line says.
 */
export function liveThreads(threads: number): number {
  const w = ready.get(threads);
  return w?.pool ? w.pool.alive() : (w?.threads ?? 1);
}

/**
 * The best WebAssembly build this engine runs, loaded once per worker and thread count; null
 * without WebAssembly SIMD or when the file cannot be read (the CPU backend then keeps the
 * TypeScript engine). threads > 1 whose pool does not start falls back to one thread.
 * `kinds` (tests): exactly these builds, loaded afresh (the caller disposes them), with the pool's
 * options `poolOpts`.
 */
export function wasmOps(
  kinds?: WasmKind[],
  threads = autoThreads(),
  poolOpts?: PoolOptions,
): Promise<LoadedWasmOps | null> {
  const load = (n: number): Promise<LoadedWasmOps | null> =>
    loadWasmOps(readBytes, kinds, n, kinds ? poolOpts : undefined).catch((e) => {
      if (n > 1) {
        console.warn(`WebAssembly threads not started, the CPU engine runs on one thread: ${e}`);
        return load(1);
      }
      console.warn(`WebAssembly kernels not loaded, the CPU engine runs in TypeScript: ${e}`);
      return null;
    });
  if (kinds) return load(threads);
  let p = loaded.get(threads);
  if (!p) {
    p = load(threads);
    loaded.set(threads, p);
    void p.then((w) => ready.set(threads, w));
  }
  return p;
}
