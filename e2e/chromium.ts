// Where the browser tests find Chromium, in order: $CHROMIUM_PATH, Playwright's own installed
// browser, Debian's /usr/bin/chromium. No browser means a loud failure, never a silent skip.
export { findChromium } from '../scripts/prereqs.mjs';

export const NO_CHROMIUM_MESSAGE =
  'No Chromium found for the browser tests: set CHROMIUM_PATH, or install one (Debian: apt-get install -y chromium).';

/** Flags that give a WebGPU adapter in headless Chromium (see docs/webgpu.md) and keep it off the network. */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--disable-quic',
  '--disable-sync',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-sandbox',
];
