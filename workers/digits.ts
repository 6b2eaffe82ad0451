// Loads the digits file (public/data/digits.bin) for whoever trains on it: the worker (from the
// URL the page sends), the page's lesson views, and Node scripts and tests (from the repository's
// public/ folder). The engine only parses the bytes (src/engine/data/digits.ts); the caller keeps
// the result and passes it to makeDataset, so nothing is cached here.
import { DIGITS_PATH, type DigitsData, parseDigits } from '../src/engine/data/digits';

/**
 * Load and parse the digits. `source`:
 *  - bytes (ArrayBuffer / Uint8Array): parsed directly;
 *  - a URL or string: fetched (http/https/relative to the page), or read from disk (file: URL, in Node);
 *  - omitted: in a page, `./data/digits.bin` relative to document.baseURI (works offline and from
 *    any sub-folder, since Vite copies public/ to the site root); in Node, public/data/digits.bin
 *    of this repository. In a worker there is no page base URL: pass `new URL(DIGITS_PATH,
 *    document.baseURI).href` from the page, or the bytes.
 */
export async function loadDigits(source?: string | URL | ArrayBuffer | Uint8Array): Promise<DigitsData> {
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) return parseDigits(source);
  const url = source === undefined ? defaultUrl() : new URL(String(source), baseForRelative());
  return parseDigits(url.protocol === 'file:' ? await readFileUrl(url) : await fetchBytes(url));
}

function isNode(): boolean {
  return (
    typeof process !== 'undefined' && typeof process.versions?.node === 'string' && typeof document === 'undefined'
  );
}

function baseForRelative(): string {
  if (typeof document !== 'undefined') return document.baseURI;
  if (typeof location !== 'undefined') return location.href;
  return import.meta.url;
}

function defaultUrl(): URL {
  if (typeof document !== 'undefined') return new URL(`./${DIGITS_PATH}`, document.baseURI);
  if (isNode()) return new URL(`../public/${DIGITS_PATH}`, import.meta.url);
  throw new Error(
    'loadDigits: no page base URL in a worker; pass new URL(DIGITS_PATH, document.baseURI).href from the page, or the bytes',
  );
}

async function fetchBytes(url: URL): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`loadDigits: ${url.href} answered ${res.status} ${res.statusText}`);
  return res.arrayBuffer();
}

async function readFileUrl(url: URL): Promise<Uint8Array> {
  // A computed specifier keeps bundlers from trying to ship node:fs to the browser.
  const fsName = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsName)) as {
    readFile(u: URL): Promise<Uint8Array>;
  };
  return new Uint8Array(await fs.readFile(url));
}
