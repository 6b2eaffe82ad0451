// How the worker gets a WebGPU backend: null when this browser has no navigator.gpu at all
// (the status then says "no WebGPU in this browser"), else a factory that loads the GPU code on
// first use (a separate chunk: a CPU-only session never downloads it) and requests a device, and
// the adapter's description without either (gpuAdapter: the 'auto' probe decides a software
// adapter on a small net from it alone).
// GpuBackend.create() throws GpuUnavailableError with `reason` when no adapter/device is had.
import type { BackendInfo, TrainingBackend } from './backend';
import { adapterName, describeAdapter, POWER_PREFERENCE } from './gpu/device';

export interface GpuFactories {
  gpu: () => Promise<TrainingBackend>;
  gpuAdapter: () => Promise<Pick<BackendInfo, 'name' | 'fallbackAdapter'> | null>;
  /** Make the GPU connection now (idempotent): create() calls it unless the CPU is forced. */
  connect: () => void;
}

export function gpuFactories(): GpuFactories | null {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  let early: Promise<GPUAdapter | null> | null = null;
  const connect = () => {
    early ??= connectEarly(gpu);
    return early;
  };
  return {
    connect: () => void connect(),
    gpu: async () => {
      const { GpuBackend } = await import('./gpu/backend');
      return GpuBackend.create();
    },
    gpuAdapter: async () => {
      const a = await connect();
      if (!a) return null;
      const d = describeAdapter(a.info);
      return { name: adapterName(d), fallbackAdapter: d.isFallbackAdapter };
    },
  };
}

/**
 * A worker's first WebGPU call blocks its thread until the page's main thread has set up the GPU
 * connection (Chromium: CreateWebGPUGraphicsContextOnMainThread, a synchronous round trip; traced at
 * 26 ms of wall time, 1.5 ms of CPU, on a loaded machine). Made by the 'auto' probe right after
 * create(), it held up a Play sent at that moment. So the connection is made when create() arrives
 * (before it builds the runs), unless the CPU engine is forced: then the worker never touches
 * WebGPU, and a GPU process busy with another page (the e2e suite shares one browser) can never
 * hold up a CPU run. An adapter is asked for (the one GpuBackend.create() gets, described by
 * gpuAdapter); the probe's own request later finds the connection up. A failure here is the
 * probe's to report, not ours (null).
 */
function connectEarly(gpu: GPU): Promise<GPUAdapter | null> {
  try {
    return gpu.requestAdapter({ powerPreference: POWER_PREFERENCE }).catch(() => null);
  } catch {
    // the probe's own request meets the same problem and reports it
    return Promise.resolve(null);
  }
}
