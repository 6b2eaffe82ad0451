import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
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

export default defineConfig(({ mode }) => ({
  base: './',
  // The manifest (.vite/manifest.json) is what the first-screen budget reads (scripts/bundleBudget.ts).
  build: { manifest: true, rollupOptions: { input: { main: resolve(__dirname, 'index.html'), ...e2ePages } } },
  plugins: [
    react(),
    wasmKernelsPlugin(),
    bundleBudgetPlugin(),
    // index.html's Content-Security-Policy forbids inline scripts; the dev server's React refresh
    // preamble is one, so `npm run dev` serves the page without the tag (builds keep it).
    {
      name: 'descent-csp-dev',
      apply: 'serve',
      transformIndexHtml: (html: string) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, ''),
    },
  ],
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
  test: {
    environment: 'node',
    include: [
      'src/**/*.test.ts',
      'workers/**/*.test.ts',
      'scripts/**/*.test.ts',
      'test-support/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    testTimeout: 60_000,
    globalSetup: ['scripts/buildWasm.ts'],
    execArgv: mode === 'test' && hasRelaxedFlag() ? [RELAXED_FLAG] : [],
  },
}));
