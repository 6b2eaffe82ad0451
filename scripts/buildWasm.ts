// Compiles the WebAssembly SIMD kernels (workers/cpu/wasm/dense.ts and the files it imports,
// AssemblyScript) into its build/: a plain-SIMD build and a relaxed-SIMD (FMA) build, each also as a shared-memory build (-shared: the
// memory is imported as env.memory, shared, at most MAX_PAGES, for the thread pool of
// workers/cpu/gemmPool.ts; only cross-origin isolated pages and Node get SharedArrayBuffer). The .wasm files are build outputs, not
// committed: they are rebuilt whenever the source is newer (a second or two), by the Vite plugin
// below (npm run dev / build / the e2e build), by Vitest's global setup (npm test, npx vitest) and by
// `npm run build:wasm`. The compiler is the assemblyscript devDependency: nothing is downloaded.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = resolve(root, 'workers/cpu/wasm/dense.ts');
/** dense.ts and the files it imports (activations.ts, tanh.ts): a change to any rebuilds. */
const SOURCE_DIR = dirname(SOURCE);
const OUT = resolve(root, 'workers/cpu/wasm/build');
/** Largest shared memory in 64 KiB pages (1 GiB): a shared memory cannot grow past the maximum it declares. */
export const MAX_PAGES = 16384;
const SHARED = ['--importMemory', '--sharedMemory', '--maximumMemory', String(MAX_PAGES), '--enable', 'threads'];
const BUILDS: [file: string, features: string[], extra: string[]][] = [
  ['dense-simd.wasm', ['simd'], []],
  ['dense-relaxed.wasm', ['simd', 'relaxed-simd'], []],
  ['dense-simd-shared.wasm', ['simd'], SHARED],
  ['dense-relaxed-shared.wasm', ['simd', 'relaxed-simd'], SHARED],
];

/** Builds the kernels when a .wasm is missing or older than its source; returns the rebuilt files. */
export async function buildWasm(force = false): Promise<string[]> {
  mkdirSync(OUT, { recursive: true });
  const srcTime = Math.max(
    ...readdirSync(SOURCE_DIR)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => statSync(resolve(SOURCE_DIR, f)).mtimeMs),
  );
  const stale = BUILDS.filter(
    ([f]) => force || !existsSync(resolve(OUT, f)) || statSync(resolve(OUT, f)).mtimeMs < srcTime,
  );
  if (stale.length === 0) return [];
  const asc = (await import('assemblyscript/asc')).default;
  for (const [file, features, extra] of stale) {
    const args = [SOURCE, '-O3', '--runtime', 'stub', '--noAssert', ...extra, '-o', resolve(OUT, file)];
    for (const f of features) args.push('--enable', f);
    let log = '';
    const sink = {
      write: (s: string | Uint8Array) => {
        log += String(s);
        return true;
      },
    };
    const { error } = await asc.main(args, { stdout: sink, stderr: sink });
    if (error) throw new Error(`asc ${file}: ${error.message}\n${log}`);
  }
  return stale.map(([f]) => f);
}

/** Vite plugin: the kernels exist before any module asks for them (dev server and builds). */
export function wasmKernelsPlugin() {
  return { name: 'descent-wasm-kernels', buildStart: () => buildWasm().then(() => undefined) };
}

/** Vitest global setup. */
export default async function setup(): Promise<void> {
  await buildWasm();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWasm(process.argv.includes('--force')).then((built) =>
    console.log(built.length ? `built ${built.join(', ')}` : 'wasm kernels up to date'),
  );
}
