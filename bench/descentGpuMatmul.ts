// Descent's forward matmul kernel (workers/gpu/kernels/matmul.wgsl, the one the training
// backend uses for layers too big for the fused small-net path) driven alone, the way
// workers/gpu/parity/cases/dense.ts drives it: Z = X W^T + b with one run (R = 1), the input read
// from the activations buffer (XSRC = 0), epilogue off (EPI = 0: Z only).
//
// Legend: M rows (batch), K input features, N output features.
//   acts: X[M, K] | Z[M, N]      theta: W[N, K] | b[N]
import { BufferPool } from '../workers/gpu/buffers';
import { createGpuDevice, type GpuDevice } from '../workers/gpu/device';
import { hyperWords } from '../workers/gpu/hyper';
import { PipelineCache, STEP_SLOT_BYTES } from '../workers/gpu/pipelines';

/** Output tile of matmul.wgsl: 32 x 32 per workgroup. */
const TILE = 32;

export interface GpuMatmul {
  /** Encodes `k` products into one command buffer and submits it. */
  issue(k: number): void;
  /** Reads Z back (waits for every product issued before). */
  read(): Promise<Float32Array>;
  dispose(): void;
  readonly gpu: GpuDevice;
}

/** Uniform words of matmul.wgsl's Dims struct (all u32). */
function dims(M: number, N: number, K: number): Uint32Array<ArrayBuffer> {
  const zOff = M * K;
  const aRun = zOff + M * N;
  // M N K layer | xOff wOff bOff P | zOff hOff oOff aRun | dataRun hasBias pad pad
  return new Uint32Array([M, N, K, 0, 0, 0, N * K, N * K + N, zOff, 0, 0, aRun, 0, 1, 0, 0]);
}

export async function gpuMatmul(
  X: Float32Array<ArrayBuffer>,
  W: Float32Array<ArrayBuffer>,
  b: Float32Array<ArrayBuffer>,
  M: number,
  K: number,
  N: number,
): Promise<GpuMatmul> {
  const gpu = await createGpuDevice();
  const { device } = gpu;
  const pool = new BufferPool(device);
  const pipes = new PipelineCache(device);
  const acts = pool.storage(M * K + M * N, 'acts');
  device.queue.writeBuffer(acts, 0, X);
  const theta = pool.storage(N * K + N, 'theta');
  device.queue.writeBuffer(theta, 0, W);
  device.queue.writeBuffer(theta, N * K * 4, b);
  const d = dims(M, N, K);
  const uniform = pool.uniform(d.byteLength, 'dims');
  device.queue.writeBuffer(uniform, 0, d);
  const step = pool.uniform(STEP_SLOT_BYTES, 'step');
  // Step slot 0: s = 0, rowBase = 0, valid = M (every row is real).
  device.queue.writeBuffer(step, 0, new Uint32Array([0, 0, M, 0]));
  // Not read with EPI = 0 and GATHER off, but bound: the kernel's layout has them.
  const data = pool.storage(4, 'data (unused)');
  const rows = pool.storage(4, 'rows (unused)');
  const hyper = pool.storage(hyperWords(1, 1), 'hyper (unused)');
  // A binding or constant that no longer matches the kernel must fail loudly, not time a no-op.
  device.pushErrorScope('validation');
  const pipe = pipes.get('matmul', { EPI: 0, XSRC: 0 });
  const group0 = pipes.bind(pipe, [uniform, data, rows, theta, acts, hyper], 'bench-matmul');
  const group1 = pipes.bindStep(step);
  const err = await device.popErrorScope();
  if (err) {
    pool.dispose();
    device.destroy();
    throw new Error(`matmul.wgsl setup: ${err.message}`);
  }
  return {
    gpu,
    issue(k) {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipe.pipeline);
      pass.setBindGroup(0, group0);
      pass.setBindGroup(1, group1, [0]);
      for (let i = 0; i < k; i++) pass.dispatchWorkgroups(Math.ceil(N / TILE), Math.ceil(M / TILE), 1);
      pass.end();
      device.queue.submit([enc.finish()]);
    },
    async read() {
      const staging = pool.readback(M * N * 4, 'z-read');
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(acts, M * K * 4, staging, 0, M * N * 4);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const z = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      pool.release(staging);
      return z;
    },
    dispose() {
      pool.dispose();
      device.destroy();
    },
  };
}
