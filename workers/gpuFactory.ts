// How the worker gets a WebGPU backend: null when this browser has no navigator.gpu at all
// (the status then says "no WebGPU in this browser"), else a factory that loads the GPU code on
// first use (a separate chunk: a CPU-only session never downloads it) and requests a device.
// GpuBackend.create() throws GpuUnavailableError with `reason` when no adapter/device is had.
import type { TrainingBackend } from './backend';

export function gpuFactory(): (() => Promise<TrainingBackend>) | null {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  connectEarly(gpu);
  return async () => {
    const { GpuBackend } = await import('./gpu/backend');
    return GpuBackend.create();
  };
}

/**
 * A worker's first WebGPU call blocks its thread until the page's main thread has set up the GPU
 * connection (Chromium: CreateWebGPUGraphicsContextOnMainThread, a synchronous round trip; traced at
 * 26 ms of wall time, 1.5 ms of CPU, on a loaded machine). Made by the 'auto' probe right after
 * create(), it held up a Play sent at that moment. So the connection is made now, when the worker
 * starts (gpuFactory runs once, in workerEnv.ts): an adapter is asked for and dropped; the probe's
 * own request later finds the connection up. A failure here is the probe's to report, not ours.
 */
function connectEarly(gpu: GPU): void {
  try {
    gpu.requestAdapter().catch(() => null);
  } catch {
    // the probe's own request meets the same problem and reports it
  }
}
