// Where the CPU backend gets its WebAssembly kernels: the worker fetches the built .wasm next to
// its bundle (Vite emits the files named by these `new URL(..., import.meta.url)`); under Node
// (tests, bench, the headless trainer) the URL is a file: URL and the bytes are read from disk.
import { loadWasmOps, type WasmKind } from './wasmOps';

const URLS: Record<WasmKind, URL> = {
  'relaxed-simd': new URL('./wasm/build/dense-relaxed.wasm', import.meta.url),
  simd: new URL('./wasm/build/dense-simd.wasm', import.meta.url),
};

async function readBytes(kind: WasmKind): Promise<BufferSource> {
  const url = URLS[kind];
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

let loading: ReturnType<typeof loadWasmOps> | null = null;

/**
 * The best WebAssembly build this engine runs, loaded once per worker; null without WebAssembly
 * SIMD or when the file cannot be read (the CPU backend then keeps the TypeScript engine).
 */
export function wasmOps(kinds?: WasmKind[]): ReturnType<typeof loadWasmOps> {
  const load = () =>
    loadWasmOps(readBytes, kinds).catch((e) => {
      console.warn(`WebAssembly kernels not loaded, the CPU engine runs in TypeScript: ${e}`);
      return null;
    });
  if (kinds) return load();
  loading ??= load();
  return loading;
}
