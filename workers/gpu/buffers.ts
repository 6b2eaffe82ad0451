// GPU buffer pool keyed by size and usage (tfjs-backend-webgpu's buffer_manager idea).
// A model build acquires every buffer it needs once; a rebuild releases them into the pool and
// acquires again, so the same shapes reuse the same GPUBuffers; `dispose()` destroys all of them.
// `live`/`bytes` count every GPUBuffer this pool has created and not yet destroyed, so a test can
// assert there is no growth over a long run.

const F32 = 4;

export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private readonly all = new Set<GPUBuffer>();
  private liveBytes = 0;

  constructor(private readonly device: GPUDevice) {}

  /** A buffer of at least `size` bytes (rounded up to 16) with exactly `usage`. Contents are undefined when reused. */
  acquire(size: number, usage: GPUBufferUsageFlags, label = ''): GPUBuffer {
    const bytes = Math.max(16, Math.ceil(size / 16) * 16);
    const key = `${bytes}_${usage}`;
    const reused = this.free.get(key)?.pop();
    if (reused) return reused;
    const buf = this.device.createBuffer({ size: bytes, usage, label });
    this.all.add(buf);
    this.liveBytes += bytes;
    return buf;
  }

  /** Storage buffer for `n` 32-bit words, copyable both ways. */
  storage(n: number, label = ''): GPUBuffer {
    return this.acquire(n * F32, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, label);
  }

  /** Uniform buffer of `bytes` bytes, writable from the CPU. */
  uniform(bytes: number, label = ''): GPUBuffer {
    return this.acquire(bytes, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label);
  }

  /** Staging buffer the CPU maps to read results. */
  readback(bytes: number, label = ''): GPUBuffer {
    return this.acquire(bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label);
  }

  /** A storage buffer holding `data` (uploaded through the queue). */
  upload(data: Float32Array | Int32Array | Uint32Array, label = ''): GPUBuffer {
    const buf = this.storage(Math.max(1, data.length), label);
    this.device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
    return buf;
  }

  /** Give a buffer back for reuse by a later acquire of the same size and usage. */
  release(buf: GPUBuffer): void {
    if (!this.all.has(buf)) return;
    const key = `${buf.size}_${buf.usage}`;
    const list = this.free.get(key) ?? [];
    if (!list.includes(buf)) list.push(buf);
    this.free.set(key, list);
  }

  /** Destroy every buffer this pool ever created (in use or free). */
  dispose(): void {
    for (const b of this.all) b.destroy();
    this.all.clear();
    this.free.clear();
    this.liveBytes = 0;
  }

  get live(): number {
    return this.all.size;
  }

  get bytes(): number {
    return this.liveBytes;
  }
}

/** Copy `bytes` from a GPU buffer to the CPU (one-off reads: parameters, tests). Not for per-step metrics. */
export async function readBuffer(
  device: GPUDevice,
  pool: BufferPool,
  src: GPUBuffer,
  offset: number,
  bytes: number,
): Promise<ArrayBuffer> {
  const staging = pool.readback(bytes, 'read-once');
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, offset, staging, 0, Math.ceil(bytes / 4) * 4);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ, 0, Math.ceil(bytes / 4) * 4);
  const out = staging.getMappedRange(0, Math.ceil(bytes / 4) * 4).slice(0, bytes);
  staging.unmap();
  pool.release(staging);
  return out;
}
