// Vite build of the benchmark page alone (bench/page.html -> bench/out/), separate from the
// site's vite.config.ts. TF.js's wasm backend fetches its .wasm binaries at run time: they are
// emitted next to the page under tfjs-wasm/, so the bench never needs the network.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { wasmKernelsPlugin } from '../scripts/buildWasm';

const WASM_DIR = resolve(import.meta.dirname, '../node_modules/@tensorflow/tfjs-backend-wasm/dist');
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

function tfjsWasmBinaries(): Plugin {
  return {
    name: 'bench-tfjs-wasm-binaries',
    generateBundle() {
      for (const f of WASM_FILES) {
        this.emitFile({ type: 'asset', fileName: `tfjs-wasm/${f}`, source: readFileSync(resolve(WASM_DIR, f)) });
      }
      // the digits, for the app's path (bench/playImpl.ts), as the site serves them
      const digits = resolve(import.meta.dirname, '../public/data/digits.bin');
      this.emitFile({ type: 'asset', fileName: 'data/digits.bin', source: readFileSync(digits) });
    },
  };
}

/**
 * COOP/COEP (cross-origin isolation, SharedArrayBuffer) only for the page opened as page.html?isolated=1
 * (the descent-threads tasks) and what it loads (its Referer names the query): the other tasks keep
 * the non-isolated page, so TF.js's and jax-js's wasm stay single-threaded as the rows say.
 */
function isolateOnRequest(): Plugin {
  return {
    name: 'bench-isolate-on-request',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        const asked = /[?&]isolated=1\b/;
        if (asked.test(req.url ?? '') || asked.test(String(req.headers.referer ?? ''))) {
          res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
          res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
        }
        next();
      });
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: resolve(import.meta.dirname, 'out'),
    emptyOutDir: true,
    // TF.js is large; the warning says nothing about the bench.
    chunkSizeWarningLimit: 8000,
    rollupOptions: { input: resolve(import.meta.dirname, 'page.html') },
  },
  // Descent's own CPU kernels (workers/cpu/wasm/dense.ts), built before the page asks for them.
  plugins: [tfjsWasmBinaries(), wasmKernelsPlugin(), isolateOnRequest()],
});
