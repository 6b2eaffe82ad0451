// Counts compute dispatches and queue submissions made by anything in this page (TF.js or
// Descent), by wrapping the WebGPU prototypes before either library runs. Counting beats quoting:
// a library's own counter can miss work it does not think of as "a step" (uploads, readbacks,
// deferred submissions of the previous step).

export interface GpuCounts {
  dispatches: number;
  submits: number;
}

const counts: GpuCounts = { dispatches: 0, submits: 0 };
let installed = false;

export function installGpuCounters(): boolean {
  if (installed) return true;
  if (typeof GPUComputePassEncoder === 'undefined' || typeof GPUQueue === 'undefined') return false;
  const pass = GPUComputePassEncoder.prototype;
  const dispatch = pass.dispatchWorkgroups;
  const dispatchIndirect = pass.dispatchWorkgroupsIndirect;
  pass.dispatchWorkgroups = function (this: GPUComputePassEncoder, x: number, y?: number, z?: number) {
    counts.dispatches++;
    return dispatch.call(this, x, y, z);
  };
  pass.dispatchWorkgroupsIndirect = function (this: GPUComputePassEncoder, buffer: GPUBuffer, offset: number) {
    counts.dispatches++;
    return dispatchIndirect.call(this, buffer, offset);
  };
  const queue = GPUQueue.prototype;
  const submit = queue.submit;
  queue.submit = function (this: GPUQueue, buffers: Iterable<GPUCommandBuffer>) {
    counts.submits++;
    return submit.call(this, buffers);
  };
  installed = true;
  return true;
}

/** A snapshot; subtract two of them to count the work in between. */
export function gpuCounts(): GpuCounts {
  return { ...counts };
}
