// The GPU buffers of one model build (allocated once, from the pool) and the small helpers that
// record dispatches ("ops") against them. An op is a pipeline, its bind group 0 and a grid; group 1
// is always the step uniform, bound at the op's slot with a dynamic offset when encoded.
import type { Dataset } from '../../src/engine/data/dataset';
import type { LayerLayout } from '../../src/engine/layout';
import type { BufferPool } from './buffers';
import { type DimsKernel, type DimsOf, type KernelName, packUniform } from './kernels';
import { type Constants, type Pipeline, type PipelineCache, STEP_SLOT_BYTES } from './pipelines';
import type { GpuPlan } from './plan';

export interface Op {
  name: KernelName;
  pipe: Pipeline;
  group: GPUBindGroup;
  wg: [number, number, number];
}

export interface DataBuffers {
  xTrain: GPUBuffer;
  yTrain: GPUBuffer;
  xVal: GPUBuffer;
  yVal: GPUBuffer;
}

/** Everything a model build owns on the GPU. */
export interface Resources {
  device: GPUDevice;
  pool: BufferPool;
  pipes: PipelineCache;
  plan: GpuPlan;
  /** The engine's per-layer offsets in theta (W, b, gamma, beta) and in the running stats. */
  lw: LayerLayout[];
  data: DataBuffers;
  state: GPUBuffer;
  acts: GPUBuffer;
  dacts: GPUBuffer;
  hyper: GPUBuffer;
  segs: GPUBuffer;
  partials: GPUBuffer;
  rec: GPUBuffer;
  /** Batch rows [R, slots * B] (u32 indices into the training split). */
  rows: GPUBuffer;
  /** Pre-augmented batches [R|1, slots * B, D] when augmentation is on, else a 4-byte stand-in. */
  aug: GPUBuffer;
  /** Muon's Newton-Schulz scratch [R, plan.nsRun] when a run uses Muon, else a 1-float stand-in (GpuModel.nsBuffer). */
  ns: GPUBuffer;
  step: GPUBuffer;
  stepGroup: GPUBindGroup;
  stepSlots: number;
}

/** Labels as u32 class ids, or the bits of f32 regression targets (the loss kernel reads both). */
export function labelWords(y: Int32Array | Float32Array): Uint32Array {
  return new Uint32Array(y.buffer, y.byteOffset, y.length);
}

export function uploadData(pool: BufferPool, ds: Dataset): DataBuffers {
  return {
    xTrain: pool.upload(ds.xTrain, 'xTrain'),
    yTrain: pool.upload(labelWords(ds.yTrain), 'yTrain'),
    xVal: pool.upload(ds.nVal > 0 ? ds.xVal : new Float32Array(1), 'xVal'),
    yVal: pool.upload(ds.nVal > 0 ? labelWords(ds.yVal) : new Uint32Array(1), 'yVal'),
  };
}

/** A uniform buffer holding u32 words (f32 fields written as their bits by the caller). */
export function uniformOf(device: GPUDevice, pool: BufferPool, words: number[], label: string): GPUBuffer {
  const n = Math.max(4, Math.ceil(words.length / 4) * 4);
  const u = new Uint32Array(n);
  words.forEach((w, i) => {
    u[i] = w >>> 0;
  });
  const buf = pool.uniform(u.byteLength, label);
  device.queue.writeBuffer(buf, 0, u);
  return buf;
}

export const cdiv = (a: number, b: number) => Math.ceil(a / b);

interface OpSpec {
  name: KernelName;
  constants: Constants;
  dims: number[];
  buffers: GPUBuffer[];
  wg: [number, number, number];
}

/**
 * Records ops for one purpose. Pipelines are looked up when `ops` is first read, so a caller can
 * first compile every variant in parallel (`pipes.warm(builder.pipelines)`); every uniform it
 * creates is released with `release()`.
 */
export class OpBuilder {
  private readonly specs: OpSpec[] = [];
  private built: Op[] | null = null;
  private readonly uniforms: GPUBuffer[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly pool: BufferPool,
    private readonly pipes: PipelineCache,
  ) {}

  /** One dispatch of kernel `name`; its uniform from named values (kernels.ts packUniform). */
  add<K extends DimsKernel>(
    name: K,
    constants: Constants,
    dims: DimsOf<K>,
    buffers: GPUBuffer[],
    wg: [number, number, number],
  ): void {
    this.specs.push({ name, constants, dims: packUniform(name, dims), buffers, wg });
  }

  /** (kernel, constants) of every op, for PipelineCache.warm(). */
  get pipelines(): [KernelName, Constants][] {
    return this.specs.map((s) => [s.name, s.constants]);
  }

  get ops(): Op[] {
    if (!this.built) {
      this.built = this.specs.map((s) => {
        const u = uniformOf(this.device, this.pool, s.dims, s.name);
        this.uniforms.push(u);
        const pipe = this.pipes.get(s.name, s.constants);
        return { name: s.name, pipe, group: this.pipes.bind(pipe, [u, ...s.buffers], s.name), wg: s.wg };
      });
    }
    return this.built;
  }

  release(): void {
    for (const u of this.uniforms) this.pool.release(u);
    this.uniforms.length = 0;
    this.built = null;
  }
}

/** Encode ops at step slot `slot` (group 1 offset) into an open compute pass. */
export function encodeOps(pass: GPUComputePassEncoder, ops: Op[], stepGroup: GPUBindGroup, slot: number): number {
  for (const op of ops) {
    pass.setPipeline(op.pipe.pipeline);
    pass.setBindGroup(0, op.group);
    pass.setBindGroup(1, stepGroup, [slot * STEP_SLOT_BYTES]);
    pass.dispatchWorkgroups(op.wg[0], op.wg[1], op.wg[2]);
  }
  return ops.length;
}
