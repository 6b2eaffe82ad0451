// The top bar's backend label: the names the CPU backends really make (their own functions), cut
// at the reason, which goes to the detail with the worker's message.
import { describe, expect, it } from 'vitest';
import { CPU_NAME_TS, CPU_NAME_WASM, cpuNameThreads, cpuNameThreadsLost } from '../../workers/cpu/backend';
import { unspreadName } from '../../workers/cpu/sharded';
import type { BackendStatus } from '../../workers/protocol';
import { backendLine, splitBackendName } from './backendLabel';

const status = (name: string, kind: 'cpu' | 'webgpu' = 'cpu'): BackendStatus => ({
  kind,
  name,
  fallbackAdapter: false,
  requested: 'cpu',
  reason: 'forced',
  message: 'CPU engine: chosen by the backend switch.',
  calibration: null,
  deviceLosses: 0,
});

describe('backend label', () => {
  it('cuts a race brought back to one worker at its reason; the detail holds the whole name and the message', () => {
    const name = unspreadName(CPU_NAME_WASM, 2);
    expect(name).toBe('CPU engine (WebAssembly SIMD, 1 worker: spreading over 2 did not pay)');
    expect(backendLine(status(name))).toEqual({
      backend: 'CPU engine (WebAssembly SIMD, 1 worker)',
      backendDetail: `${name}. CPU engine: chosen by the backend switch.`,
    });
    // no longer than the spread race's own name, which the e2e checks fits the top bar
    expect(backendLine(status(name)).backend.length).toBeLessThanOrEqual(
      'CPU engine (WebAssembly SIMD, 2 workers)'.length,
    );
    expect(splitBackendName(cpuNameThreadsLost(1, 2))).toEqual({
      label: 'CPU engine (WebAssembly SIMD, 1 of 2 threads)',
      reason: 'a helper thread failed',
    });
  });

  it('leaves names without a reason whole (and WebGPU adapters, whose names may hold colons)', () => {
    for (const n of [CPU_NAME_TS, CPU_NAME_WASM, cpuNameThreads(2)])
      expect(backendLine(status(n))).toEqual({
        backend: n,
        backendDetail: 'CPU engine: chosen by the backend switch.',
      });
    const gpu = 'google (swiftshader: Subzero)';
    expect(backendLine(status(gpu, 'webgpu')).backend).toBe(`WebGPU · ${gpu}`);
  });
});
