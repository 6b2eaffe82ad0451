// How the worker gets a WebGPU backend: null when this browser has no navigator.gpu at all
// (the status then says "no WebGPU in this browser"), else a factory that loads the GPU code on
// first use (a separate chunk: a CPU-only session never downloads it) and requests a device.
// GpuBackend.create() throws GpuUnavailableError with `reason` when no adapter/device is had.
import type { TrainingBackend } from './backend';

export function gpuFactory(): (() => Promise<TrainingBackend>) | null {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  return async () => {
    const { GpuBackend } = await import('./gpu/backend');
    return GpuBackend.create();
  };
}
