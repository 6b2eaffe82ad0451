// The page's query-string switches the trainer bridge is built with (src/state/trainerSync.ts):
// which backend to force and how many workers a CPU race may spread over.
import type { BackendChoice } from '../../workers/protocol';

/** `?backend=cpu|webgpu|auto` in the page's query string: the switch that forces a backend. */
export function backendFromUrl(search: string): BackendChoice | null {
  const v = new URLSearchParams(search).get('backend');
  return v === 'cpu' || v === 'webgpu' || v === 'auto' ? v : null;
}

/** `?workers=N` in the page's query string: spread a CPU race over at most N workers (1 = one worker). */
export function cpuWorkersFromUrl(search: string): number | undefined {
  const v = new URLSearchParams(search).get('workers');
  return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
}
