// The benchmark page: bench/run.ts opens it in a fresh headless Chromium per task and calls
// window.bench.run(task). The GPU counters are installed before any library is loaded; each
// implementation (Descent, TF.js, jax-js) is imported only when its task runs, so one library never
// shares a page with another.
import { installGpuCounters } from './gpuCounters';
import type { AdapterReport, Task, TaskOutcome } from './tasks';

const countersOn = installGpuCounters();

async function adapter(): Promise<AdapterReport | null> {
  const a = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
  if (!a) return null;
  const info = a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacy = (a as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: info.isFallbackAdapter ?? legacy ?? null,
  };
}

async function run(task: Task): Promise<TaskOutcome> {
  const notes: string[] = [];
  if (!countersOn) notes.push('no WebGPU in this page: dispatch/submit counters not installed');
  try {
    if (task.impl.startsWith('tfjs-')) {
      const tfjs = await import('./tfjsImpl');
      notes.push(...(await tfjs.selectBackend(task.impl.slice(5) as 'webgpu' | 'wasm' | 'cpu')));
      if (task.kind === 'matmul')
        return { task, ok: true, notes, matmul: await tfjs.tfMatmul(task.sizes, task.budgetMs) };
      return { task, ok: true, notes, train: await tfjs.tfTrain(task.workload, task.warmupMs, task.budgetMs) };
    }
    if (task.impl.startsWith('jax-')) {
      const jax = await import('./jaxImpl');
      notes.push(...(await jax.selectDevice(task.impl.slice(4) as 'webgpu' | 'wasm')));
      if (task.kind === 'matmul')
        return { task, ok: true, notes, matmul: await jax.jaxMatmul(task.sizes, task.budgetMs) };
      return { task, ok: true, notes, train: await jax.jaxTrain(task.workload, task.warmupMs, task.budgetMs) };
    }
    if (task.impl === 'descent-play') {
      if (task.kind !== 'train') throw new Error('descent-play: training tasks only');
      const play = await import('./playImpl');
      return { task, ok: true, notes, play: await play.playFirstStep(task.workload, notes, task.cpu) };
    }
    const descent = await import('./descentImpl');
    const gpu = task.impl === 'descent-gpu';
    // descent-threads: the CPU rows with the GEMMs shared by threads (run.ts opens this page isolated)
    const cpu = task.impl === 'descent-threads' ? 'threads' : task.cpu;
    if (task.kind === 'matmul') {
      return {
        task,
        ok: true,
        notes,
        matmul: await descent.descentMatmul(gpu, task.sizes, task.budgetMs, notes, cpu),
      };
    }
    return {
      task,
      ok: true,
      notes,
      train: await descent.descentTrain(gpu, task.workload, task.warmupMs, task.budgetMs, notes, cpu),
    };
  } catch (e) {
    const err = e as Error;
    return { task, ok: false, error: `${err.name}: ${err.message}`, notes };
  }
}

declare global {
  interface Window {
    bench: { run: typeof run; adapter: typeof adapter };
  }
}
window.bench = { run, adapter };
