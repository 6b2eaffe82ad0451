// Where the browser tests find Chromium, in order: $CHROMIUM_PATH, Playwright's own installed
// browser, Debian's /usr/bin/chromium. No browser means a loud failure, never a silent skip.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const NO_CHROMIUM_MESSAGE =
  'No Chromium found for the browser tests: set CHROMIUM_PATH, or install one (Debian: apt-get install -y chromium).';

export function findChromium(): string | null {
  const env = process.env.CHROMIUM_PATH;
  if (env && existsSync(env)) return env;
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // playwright-core without a downloaded browser throws here; fall through.
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null;
}

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
