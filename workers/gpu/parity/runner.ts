// A small driver for running one kernel at a time in the parity suite: upload inputs, poison
// outputs with NaN (so an element the kernel forgets to write fails validation), dispatch,
// read back. The training backend encodes its own command buffers; this is for tests.
import { BufferPool } from '../buffers';
import type { GpuDevice } from '../device';
import { KERNELS, type KernelName } from '../kernels';
import { type Constants, PipelineCache, STEP_SLOT_BYTES } from '../pipelines';

export type F32 = { f: number };
/** Uniform struct words: plain numbers are u32, { f } are f32. */
export type Word = number | F32;

export function packWords(words: Word[]): Uint32Array<ArrayBuffer> {
  const n = Math.max(4, Math.ceil(words.length / 4) * 4);
  const u = new Uint32Array(n);
  const f = new Float32Array(u.buffer);
  words.forEach((w, i) => {
    if (typeof w === 'number') u[i] = w >>> 0;
    else f[i] = w.f;
  });
  return u;
}

export interface StepSlot {
  s: number;
  rowBase: number;
  valid: number;
  /** bit 0: first chunk of an evaluation pass */
  flags?: number;
}

const SLOTS = 16;

export class KernelRunner {
  /** Buffers of the current case; endCase() destroys them. */
  pool: BufferPool;
  readonly pipes: PipelineCache;
  private readonly fixed: BufferPool;
  private readonly stepBuf: GPUBuffer;
  private readonly stepGroup: GPUBindGroup;

  constructor(readonly gpu: GpuDevice) {
    this.pool = new BufferPool(gpu.device);
    this.fixed = new BufferPool(gpu.device);
    this.pipes = new PipelineCache(gpu.device);
    this.stepBuf = this.fixed.uniform(SLOTS * STEP_SLOT_BYTES, 'step');
    this.stepGroup = this.pipes.bindStep(this.stepBuf);
  }

  /** Destroy the current case's buffers. */
  endCase(): void {
    this.pool.dispose();
    this.pool = new BufferPool(this.gpu.device);
  }

  get device(): GPUDevice {
    return this.gpu.device;
  }

  upload(data: Float32Array | Int32Array | Uint32Array): GPUBuffer {
    return this.pool.upload(data);
  }

  /** A storage buffer of n words, every one NaN. */
  poisoned(n: number): GPUBuffer {
    return this.pool.upload(new Float32Array(n).fill(Number.NaN));
  }

  uniform(words: Word[]): GPUBuffer {
    const data = packWords(words);
    const buf = this.pool.uniform(data.byteLength);
    this.device.queue.writeBuffer(buf, 0, data);
    return buf;
  }

  /** Set step-uniform slot `slot` (lib/step.wgsl Step). */
  setStep(slot: number, v: StepSlot): void {
    this.device.queue.writeBuffer(
      this.stepBuf,
      slot * STEP_SLOT_BYTES,
      new Uint32Array([v.s, v.rowBase, v.valid, v.flags ?? 0]),
    );
  }

  /** Encode and submit one dispatch; errors (validation, out of memory) reject with the browser's message. */
  async dispatch(
    name: KernelName,
    constants: Constants,
    buffers: GPUBuffer[],
    workgroups: [number, number, number],
    slot = 0,
  ): Promise<void> {
    this.device.pushErrorScope('validation');
    const p = this.pipes.get(name, constants);
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(p.pipeline);
    pass.setBindGroup(0, this.pipes.bind(p, buffers, name));
    if (KERNELS[name].stepUniform) pass.setBindGroup(1, this.stepGroup, [slot * STEP_SLOT_BYTES]);
    pass.dispatchWorkgroups(...workgroups);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    const err = await this.device.popErrorScope();
    if (err) throw new Error(`${name}: ${err.message}`);
  }

  /** `reps` dispatches of one kernel in one compute pass and one submission (timing). */
  async dispatchMany(
    name: KernelName,
    constants: Constants,
    buffers: GPUBuffer[],
    workgroups: [number, number, number],
    reps: number,
  ): Promise<void> {
    const p = this.pipes.get(name, constants);
    const group = this.pipes.bind(p, buffers, name);
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(p.pipeline);
    pass.setBindGroup(0, group);
    if (KERNELS[name].stepUniform) pass.setBindGroup(1, this.stepGroup, [0]);
    for (let i = 0; i < reps; i++) pass.dispatchWorkgroups(...workgroups);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  async readF32(buf: GPUBuffer, n: number, offsetWords = 0): Promise<Float32Array> {
    return new Float32Array(await this.readBytes(buf, offsetWords * 4, n * 4));
  }

  async readU32(buf: GPUBuffer, n: number, offsetWords = 0): Promise<Uint32Array> {
    return new Uint32Array(await this.readBytes(buf, offsetWords * 4, n * 4));
  }

  private async readBytes(buf: GPUBuffer, offset: number, bytes: number): Promise<ArrayBuffer> {
    const staging = this.pool.readback(bytes);
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(buf, offset, staging, 0, bytes);
    this.device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ, 0, bytes);
    const out = staging.getMappedRange(0, bytes).slice(0);
    staging.unmap();
    this.pool.release(staging);
    return out;
  }

  dispose(): void {
    this.pool.dispose();
    this.fixed.dispose();
  }
}
