// Choosing the path of a training call: the fused small-net kernel (one dispatch per chunk) when
// the network fits it, else the general multi-kernel path; and the fused kernel's shape for the
// adapter: on a software adapter (SwiftShader) workgroups run on CPU cores, so runs are packed
// into about one workgroup per core and the scratch lives in a storage buffer (workgroup memory
// is no faster there and every KB of it costs ~0.1 s of pipeline compilation); on a GPU, one
// workgroup per run with its scratch in workgroup memory.
import type { Dataset } from '../../src/engine/data/dataset';
import type { ParamLayout } from '../../src/engine/layout';
import type { BackendInfo } from '../backend';
import { fusedLayout } from './fused';
import type { TrainVariant } from './general';
import { uniformWord } from './kernels';
import { FUSED_SLOTS, GENERAL_SLOTS, type GpuModel } from './model';
import { makePlan } from './plan';

export interface GpuBackendOptions {
  /** 'auto': the fused small-net kernel whenever the network fits it; 'off': always the general path. */
  fused?: 'auto' | 'off';
  /** Invocations per workgroup of the fused kernel (default 32 on a software adapter, else 64). */
  fusedWorkgroup?: number;
  /** Workgroups the fused kernel spreads the runs over (default: one per run on a GPU, one per CPU core on a software adapter). */
  fusedGroups?: number;
  /** Where the fused kernel keeps its scratch (default: storage on a software adapter, else workgroup memory). */
  fusedScratch?: 'workgroup' | 'storage';
  /**
   * How the fused kernel knows the hidden activations: 'auto' compiles in the one all hidden layers
   * share (else reads each layer's from the table); 'table' always reads the table, as for mixed
   * activations (forced by the parity suite so both forms are checked on the same nets).
   */
  fusedActivation?: 'auto' | 'table';
  /**
   * Choose every adapter-dependent setting (fused workgroup size, group count, scratch location) as
   * for this kind of adapter instead of the one present: lets the parity suite run what a hardware
   * GPU executes on SwiftShader. The three options above still override single settings.
   */
  adapterKind?: 'software' | 'hardware';
}

/** Which path the last train() call took, and why not the fused one. */
export interface PathInfo {
  path: 'fused' | 'general';
  reason: string;
  /** On the fused path: invocations per workgroup, workgroups, runs, and where the scratch lives. */
  fused?: { wg: number; groups: number; runs: number; scratch: 'workgroup' | 'storage' };
}

/** Encodes one chunk of S steps with the fused kernel; returns the dispatches it encoded. */
export type FusedEncode = (enc: GPUCommandEncoder, S: number, augRun: number) => number;

/** Scratch of one run of the fused kernel when it lives in storage (the same order as a GPU's workgroup memory). */
const FUSED_STORAGE_BUDGET = 64 * 1024;
/**
 * Scratch of one fused workgroup's runs together in storage: there a workgroup's runs are not
 * limited by on-chip memory, and fewer, fuller workgroups (one per core) pay the per-step barriers
 * and bookkeeping fewer times (a 64-run sweep of a 2-16-16-2 net: 2 workgroups instead of 10).
 */
const FUSED_STORAGE_PACK = 1024 * 1024;

export class PathChooser {
  constructor(
    private readonly info: BackendInfo,
    private readonly limits: GPUSupportedLimits,
    private readonly opts: GpuBackendOptions,
  ) {}

  /** A software adapter (SwiftShader), as reported or as forced by adapterKind. */
  private get software(): boolean {
    return this.opts.adapterKind ? this.opts.adapterKind === 'software' : this.info.fallbackAdapter;
  }

  private get storage(): boolean {
    return this.opts.fusedScratch ? this.opts.fusedScratch === 'storage' : this.software;
  }

  private get memLimit(): number {
    return this.storage ? FUSED_STORAGE_BUDGET : this.limits.maxComputeWorkgroupStorageSize;
  }

  /** What the runs of one workgroup may use together (workgroup memory: its limit). */
  private get packLimit(): number {
    return this.storage ? FUSED_STORAGE_PACK : this.limits.maxComputeWorkgroupStorageSize;
  }

  private get wg(): number {
    return this.opts.fusedWorkgroup ?? (this.software ? 32 : 64);
  }

  private groups(R: number): number {
    if (this.opts.fusedGroups) return this.opts.fusedGroups;
    const cores = (globalThis.navigator as Navigator | undefined)?.hardwareConcurrency ?? 2;
    return this.software ? Math.min(R, Math.max(1, cores)) : R;
  }

  /** Steps per submission for a build: many when the fused kernel can take the network. */
  slotsFor(layout: ParamLayout, ds: Dataset, R: number, B: number): number {
    if (this.opts.fused === 'off') return GENERAL_SLOTS;
    const noDropout = layout.layers.map(() => false);
    const plan = makePlan(layout, R, B, 1);
    const f = fusedLayout(layout, plan, ds, noDropout, R, this.groups(R), this.memLimit, this.packLimit);
    return typeof f === 'string' ? GENERAL_SLOTS : FUSED_SLOTS;
  }

  /** The fused encoder for this variant (its pipeline compiled), or null and why, for the general path. */
  async choose(m: GpuModel, v: TrainVariant): Promise<{ encode: FusedEncode | null; path: PathInfo }> {
    if (this.opts.fused === 'off')
      return { encode: null, path: { path: 'general', reason: 'fused path switched off' } };
    const [wg, groups, limit, storage, pack] = [this.wg, this.groups(m.R), this.memLimit, this.storage, this.packLimit];
    const table = this.opts.fusedActivation === 'table';
    await m.warmFused(v, wg, groups, limit, storage, pack, table);
    const probe = m.fusedFor(v, wg, groups, limit, storage, pack, table);
    if (typeof probe === 'string')
      return {
        encode: null,
        path: { path: 'general', reason: `the fused kernel does not take this network: ${probe}` },
      };
    const encode: FusedEncode = (enc, S, augRun) => {
      // looked up again here: uploading augmented batches may have replaced a buffer it binds
      const f = m.fusedFor(v, wg, groups, limit, storage, pack, table);
      if (typeof f === 'string') throw new Error(f);
      m.device.queue.writeBuffer(f.dims, uniformWord('fused_mlp', 'S') * 4, new Uint32Array([S]));
      m.device.queue.writeBuffer(f.dims, uniformWord('fused_mlp', 'dataRun') * 4, new Uint32Array([augRun]));
      const pass = enc.beginComputePass();
      pass.setPipeline(f.pipe.pipeline);
      pass.setBindGroup(0, f.group);
      pass.setBindGroup(1, m.res.stepGroup, [0]);
      pass.dispatchWorkgroups(f.groups);
      pass.end();
      return 1;
    };
    const fused = { wg, groups: probe.groups, runs: m.R, scratch: storage ? 'storage' : 'workgroup' } as const;
    return { encode, path: { path: 'fused', reason: '', fused } };
  }
}
