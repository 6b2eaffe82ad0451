// WebGPU adapter and device: one place that asks the browser for a GPU, describes it, and
// notices when it goes away. Works in a page and in a module worker (both have navigator.gpu
// on a secure origin).
//
// Device loss (driver reset, tab backgrounded on some systems, or the test hook below) is
// reported through `onLost`; the owner (the backend, then the worker) decides whether to call
// `createGpuDevice()` again and rebuild from its last parameters, or to fall back to the CPU.

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for software adapters such as SwiftShader. */
  isFallbackAdapter: boolean;
}

export interface GpuDevice {
  readonly device: GPUDevice;
  readonly adapter: AdapterDescription;
  /** Device limits the kernels size themselves against (invocations, workgroup memory, storage buffers). */
  readonly limits: GPUSupportedLimits;
  /** Resolves when the device is lost, with the reason the browser gave ('destroyed' for our own destroy()). */
  readonly lost: Promise<GPUDeviceLostInfo>;
  /** True once `lost` has resolved. */
  isLost(): boolean;
  /** Test hook: simulate a device loss exactly as the browser would report one. */
  simulateLoss(): void;
}

/** Why no device could be had: shown to the user verbatim. */
export class GpuUnavailableError extends Error {
  constructor(
    message: string,
    readonly reason: 'no-webgpu' | 'no-adapter' | 'device-request-failed',
  ) {
    super(message);
    this.name = 'GpuUnavailableError';
  }
}

export function describeAdapter(info: GPUAdapterInfo | undefined): AdapterDescription {
  const i = info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined;
  return {
    vendor: i?.vendor ?? '',
    architecture: i?.architecture ?? '',
    device: i?.device ?? '',
    description: i?.description ?? '',
    isFallbackAdapter: i?.isFallbackAdapter === true,
  };
}

/** "google swiftshader (fallback)": a one-line name for the UI. */
export function adapterName(a: AdapterDescription): string {
  const parts = [a.vendor, a.architecture, a.device || a.description].filter((s) => s.length > 0);
  const name = parts.length > 0 ? parts.join(' ') : 'unknown adapter';
  return a.isFallbackAdapter ? `${name} (fallback)` : name;
}

// Limits we raise above the spec defaults when the adapter allows it: the fused small-net kernel
// keeps activations in workgroup memory, and the backward kernels bind up to 10 storage buffers.
const WANTED_LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxStorageBuffersPerShaderStage',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
] as const;

/** The adapter asked for (the worker's early connection, gpuFactory.ts, asks for the same one). */
export const POWER_PREFERENCE: GPUPowerPreference = 'high-performance';

/** Request an adapter and a device with the limits the kernels want. Throws GpuUnavailableError. */
export async function createGpuDevice(powerPreference: GPUPowerPreference = POWER_PREFERENCE): Promise<GpuDevice> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) throw new GpuUnavailableError('This browser has no WebGPU (navigator.gpu is missing).', 'no-webgpu');
  const adapter = await gpu.requestAdapter({ powerPreference });
  if (!adapter)
    throw new GpuUnavailableError('WebGPU is present but requestAdapter() returned no adapter.', 'no-adapter');
  const requiredLimits: Record<string, number> = {};
  for (const k of WANTED_LIMITS) requiredLimits[k] = adapter.limits[k];
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits });
  } catch (e) {
    throw new GpuUnavailableError(`requestDevice() failed: ${(e as Error).message}`, 'device-request-failed');
  }
  let lostFlag = false;
  const lost = device.lost.then((info) => {
    lostFlag = true;
    return info;
  });
  return {
    device,
    adapter: describeAdapter(adapter.info),
    limits: device.limits,
    lost,
    isLost: () => lostFlag,
    simulateLoss: () => device.destroy(),
  };
}
