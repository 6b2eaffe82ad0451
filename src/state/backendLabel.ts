// The status line's backend label and its detail, from the worker's BackendStatus. Backends name
// themselves (workers/cpu/backend.ts, sharded.ts) as "Engine (what runs: why)" when a reason is
// part of the name ("CPU engine (WebAssembly SIMD, 1 worker: spreading over 2 did not pay)"): the
// top bar shows the short part, "CPU engine (WebAssembly SIMD, 1 worker)", so it fits at 768 px;
// the whole name with the worker's message goes to the tooltip and the backend's details
// (TrainingPanel). One source: the name as the backend made it, cut here, never rewritten.
import type { BackendStatus } from '../../workers/protocol';

/** A backend name split at its reason: "E (a, b: why)" -> { label: "E (a, b)", reason: "why" }. */
export function splitBackendName(name: string): { label: string; reason: string } {
  const m = /^(.*\([^()]*?): ([^()]*)\)$/.exec(name);
  return m ? { label: `${m[1]})`, reason: m[2] } : { label: name, reason: '' };
}

/** The run slice's backend (short label) and backendDetail (the whole name when cut, then the message). */
export function backendLine(b: BackendStatus | null | undefined): { backend: string; backendDetail: string } {
  if (!b) return { backend: '', backendDetail: '' };
  if (b.kind === 'webgpu')
    return { backend: `WebGPU · ${b.name}${b.fallbackAdapter ? ' (software)' : ''}`, backendDetail: b.message };
  const { label, reason } = splitBackendName(b.name);
  return { backend: label, backendDetail: reason ? `${b.name}. ${b.message}` : b.message };
}
