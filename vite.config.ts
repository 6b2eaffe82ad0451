import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';
import { wasmKernelsPlugin } from './scripts/buildWasm';
import { bundleBudgetPlugin } from './scripts/bundleBudget';

// base './' so the built site works from any static host or a course page sub-folder.
// Browser-test pages (e2e/pages/*.html: GPU parity, worker harness) are built only when the
// browser tests build the site (E2E_PAGES=1), never into the site a teacher deploys.
const e2ePages = process.env.E2E_PAGES
  ? Object.fromEntries(
      readdirSync(resolve(__dirname, 'e2e/pages'))
        .filter((f) => f.endsWith('.html'))
        .map((f) => [`e2e-${f.replace(/\.html$/, '')}`, resolve(__dirname, 'e2e/pages', f)]),
    )
  : {};

// Node 20 validates WebAssembly relaxed SIMD only behind a V8 flag; the unit tests turn it on where
// this Node has it, so they run the relaxed-SIMD (FMA) kernels as Chromium does (the plain-SIMD
// build is tested by name in workers/cpu/wasmOps.test.ts).
const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';
const hasRelaxedFlag = () =>
  execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).includes(RELAXED_FLAG);

// Cross-origin isolation (self.crossOriginIsolated): with these two headers on every response the
// page gets SharedArrayBuffer, and the CPU engine shares its matrix products between threads
// (workers/cpu/gemmPool.ts). Everything the site loads is its own (index.html's CSP), so
// require-corp blocks nothing. A static host must send the same two headers (README, "Hosting");
// without them the single-threaded kernels run and the status line says so.
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig(({ mode }) => ({
  base: './',
  // The manifest (.vite/manifest.json) is what the first-screen budget reads (scripts/bundleBudget.ts).
  // The long-task check (e2e/longtasks.spec.ts, LONGTASKS=1) names the functions of a long task through
  // source maps: written beside the chunks, not referenced by them, and never in the deployed site.
  build: {
    manifest: true,
    sourcemap: process.env.LONGTASKS ? ('hidden' as const) : false,
    rollupOptions: { input: { main: resolve(__dirname, 'index.html'), ...e2ePages } },
  },
  plugins: [
    react(),
    wasmKernelsPlugin(),
    // The budget is the deployed site's (`npm run build`). The browser tests' build adds the test
    // pages as entries, which splits the app's modules into more shared chunks (the same code, a few
    // kB more gzip overhead), so it is not measured there.
    ...(process.env.E2E_PAGES ? [] : [bundleBudgetPlugin()]),
    // Offline and installable (issue 16 §3): a web app manifest and a Workbox service worker that
    // precaches the whole built site (the app's chunks, KaTeX and its fonts, both workers, the WASM
    // kernels, the digits data), so after one visit every view, lesson and export works offline.
    // 'prompt': a new deployed version waits until the page's "Reload to update" is pressed
    // (src/state/appUpdate.ts), never swapped under a running demo. Not in the dev server.
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      devOptions: { enabled: false },
      manifest: {
        name: 'Descent — train neural networks in the browser',
        short_name: 'Descent',
        description: 'Train neural networks live in your browser and compare optimizers visually.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#f6f7f9',
        theme_color: '#e4572e',
        icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        // Fonts: woff2 only, the format KaTeX's stylesheet names first and every supported browser takes.
        globPatterns: ['**/*.{js,css,html,svg,woff2,wasm,bin,webmanifest}'],
        // The browser-test pages and the build manifest are not part of the site a teacher uses.
        globIgnores: ['e2e/**', 'e2e-*.html', 'assets/e2e-*', '.vite/**'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        cleanupOutdatedCaches: true,
        // The first install takes the open page at once (nothing to swap yet); later versions wait.
        clientsClaim: true,
        navigateFallback: 'index.html',
      },
    }),
    // index.html's Content-Security-Policy forbids inline scripts; the dev server's React refresh
    // preamble is one, so `npm run dev` serves the page without the tag (builds keep it).
    {
      name: 'descent-csp-dev',
      apply: 'serve',
      transformIndexHtml: (html: string) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, ''),
    },
  ],
  worker: { format: 'es' },
  server: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  test: {
    environment: 'node',
    include: [
      'src/**/*.test.ts',
      'workers/**/*.test.ts',
      'scripts/**/*.test.ts',
      'test-support/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    // Hang guards, not speed limits: on a loaded 2-core CI machine a cold `import torch` took 72 s and
    // the PyTorch parity run 264 s (the run before the flaky-test rerun existed failed on 60 s).
    testTimeout: 600_000,
    hookTimeout: 600_000,
    globalSetup: ['scripts/buildWasm.ts'],
    execArgv: mode === 'test' && hasRelaxedFlag() ? [RELAXED_FLAG] : [],
  },
}));
