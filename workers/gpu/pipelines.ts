// Compute pipelines cached by kernel name + override constants (tfjs-backend-webgpu's
// pipelineCache, keyed by shader variant). Bind group layouts are explicit (not 'auto') so one
// layout serves every variant of a kernel and group 1 can carry a dynamic-offset "step" uniform:
// several training steps encoded into one command buffer each read their own slot of it.
import { KERNELS, type KernelName, type KernelSpec } from './kernels';

export type Constants = Record<string, number>;

export interface Pipeline {
  pipeline: GPUComputePipeline;
  /** Layout of @group(0); @group(1) (if the kernel has one) is the shared step-uniform layout. */
  group0: GPUBindGroupLayout;
}

/** Size of one slot of the step uniform (minUniformBufferOffsetAlignment is at most 256). */
export const STEP_SLOT_BYTES = 256;

export class PipelineCache {
  private readonly pipelines = new Map<string, Pipeline>();
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly layouts = new Map<KernelName, GPUBindGroupLayout>();
  /** @group(1) @binding(0): the per-step uniform, bound with a dynamic offset. */
  readonly stepLayout: GPUBindGroupLayout;
  /** Pipelines created so far (a bench reports it beside time-to-first-step). */
  compiled = 0;

  constructor(private readonly device: GPUDevice) {
    this.stepLayout = device.createBindGroupLayout({
      label: 'step-uniform',
      entries: [
        {
          binding: 0,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 16 },
        },
      ],
    });
  }

  private key(name: KernelName, constants: Constants): string {
    const c = Object.keys(constants)
      .sort()
      .map((k) => `${k}=${constants[k]}`)
      .join(',');
    return `${name}|${c}`;
  }

  /** The module of kernel `name` with its array sizes (spec.sizes) taken from `constants`. */
  private module(name: KernelName, spec: KernelSpec, constants: Constants = {}): GPUShaderModule {
    const sizes = Object.entries(spec.sizes ?? {}).map(([k, v]) => `const ${k}: u32 = ${constants[k] ?? v}u;\n`);
    const key = `${name}|${sizes.join('')}`;
    let m = this.modules.get(key);
    if (!m) {
      m = this.device.createShaderModule({ label: name, code: sizes.join('') + spec.code });
      this.modules.set(key, m);
    }
    return m;
  }

  private layout(name: KernelName, spec: KernelSpec): GPUBindGroupLayout {
    let l = this.layouts.get(name);
    if (!l) {
      l = this.device.createBindGroupLayout({
        label: name,
        entries: spec.bindings.map((kind, binding) => ({
          binding,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: kind === 'uniform' ? 'uniform' : kind === 'read' ? 'read-only-storage' : 'storage' },
        })),
      });
      this.layouts.set(name, l);
    }
    return l;
  }

  private descriptor(name: KernelName, constants: Constants): GPUComputePipelineDescriptor {
    const spec: KernelSpec = KERNELS[name];
    const group0 = this.layout(name, spec);
    const groups = spec.stepUniform ? [group0, this.stepLayout] : [group0];
    // the array sizes are in the module's text, the rest are overrides
    const overrides = Object.fromEntries(Object.entries(constants).filter(([k]) => !(k in (spec.sizes ?? {}))));
    return {
      label: this.key(name, constants),
      layout: this.device.createPipelineLayout({ bindGroupLayouts: groups }),
      compute: { module: this.module(name, spec, constants), entryPoint: 'main', constants: overrides },
    };
  }

  /** The pipeline for (name, constants), compiled synchronously on first use. */
  get(name: KernelName, constants: Constants = {}): Pipeline {
    const key = this.key(name, constants);
    let p = this.pipelines.get(key);
    if (!p) {
      p = {
        pipeline: this.device.createComputePipeline(this.descriptor(name, constants)),
        group0: this.layouts.get(name)!,
      };
      this.pipelines.set(key, p);
      this.compiled++;
    }
    return p;
  }

  /** Compile several variants in parallel (off the queue's critical path); later get() calls hit the cache. */
  async warm(list: [KernelName, Constants][]): Promise<void> {
    await Promise.all(
      list.map(async ([name, constants]) => {
        const key = this.key(name, constants);
        if (this.pipelines.has(key)) return;
        const pipeline = await this.device.createComputePipelineAsync(this.descriptor(name, constants));
        if (!this.pipelines.has(key)) {
          this.pipelines.set(key, { pipeline, group0: this.layouts.get(name)! });
          this.compiled++;
        }
      }),
    );
  }

  /** The WGSL compiler's errors for a kernel ("line:col message"), empty when it compiles. */
  async diagnose(name: KernelName): Promise<string[]> {
    const info = await this.module(name, KERNELS[name]).getCompilationInfo();
    return info.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
  }

  /** Bind group 0 for a kernel from its buffers, in binding order. */
  bind(p: Pipeline, buffers: GPUBuffer[], label = ''): GPUBindGroup {
    return this.device.createBindGroup({
      label,
      layout: p.group0,
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  /** Bind group 1: one STEP_SLOT_BYTES slot of `stepBuffer`, selected per dispatch by a dynamic offset. */
  bindStep(stepBuffer: GPUBuffer): GPUBindGroup {
    return this.device.createBindGroup({
      label: 'step',
      layout: this.stepLayout,
      entries: [{ binding: 0, resource: { buffer: stepBuffer, size: STEP_SLOT_BYTES } }],
    });
  }
}
