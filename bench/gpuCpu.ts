// Development probe (not part of `npm test` or `npm run bench`): CPU time of the GPU process per
// training step of the parity page's probe sets (workers/gpu/parity/probes.ts openSet/trainSet),
// with builds or forced backend options interleaved round by round, so a before/after pair is
// measured in one load. CPU time (utime + stime from /proc) instead of wall time: the machine is
// shared. The GPU process is looked up among the descendants of the browser this script launched
// (never by name alone: other engineers' and CI's Chromiums run beside it), and its threads are
// reported (THREADS=1) to show where the time goes (SwiftShader runs workgroups on worker threads).
// The renderers' CPU time (the page's main thread runs GpuBackend: planning, submission, readback,
// replay) is reported beside it, and with THREADS=1 each GPU thread's run and run-queue wait per
// step (schedstat): wall per step = the slower SwiftShader thread's run + wait + the serial gap of
// each train() call, so a wall figure can be split into kernel work, host work and the load's share.
// Each build gets its own server on a free port: a port still served by an earlier run would
// silently give the page that run's build (the script exits instead).
//
//   E2E_PAGES=1 npx vite build --outDir /tmp/a   (one build per variant, the e2e pages included)
//   npx tsx bench/gpuCpu.ts /tmp/a,/tmp/b PORT ROUNDS 0@e 1@e '0@c:{"fusedGroups":1}' ...
// A set is [build index@]name[:GpuBackendOptions JSON]; names: a-sgd, a-adam, c, e, sgd*N, adam*N.
// Build i > 0 is served on PORT2 when set (one extra port), else on PORT + i. K=steps per train() call (default 128). TIMESTAMPS=1 also reports the GPU-side time of each compute
// pass (timestamp-query, patched into the page's WebGPU prototypes before the backend makes its
// device; on SwiftShader a timestamp is the CPU clock when the pass starts and ends). Linux only.
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium';

/** utime + stime in ms of a process or thread stat file. */
function statMs(path: string): number {
  const raw = readFileSync(path, 'utf8');
  const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** pid and every descendant of it. */
function tree(root: number): number[] {
  const rows = execSync('ps -eo pid,ppid').toString().trim().split('\n').slice(1);
  const kids = new Map<number, number[]>();
  for (const row of rows) {
    const [p, pp] = row.trim().split(/\s+/).map(Number);
    kids.set(pp, [...(kids.get(pp) ?? []), p]);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop() as number;
    out.push(p);
    stack.push(...(kids.get(p) ?? []));
  }
  return out;
}

/**
 * Per thread of a process: ms on a CPU and ms runnable but waiting for one (/proc/.../schedstat,
 * ns precision, so a short window is timed better than by utime's 10 ms ticks). The wait is what
 * other processes on the shared cores cost a thread.
 */
function schedMs(pid: number): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const raw = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      const name = raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')'));
      const [run, wait] = readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ').map(Number);
      m.set(`${name}#${t}`, [run / 1e6, wait / 1e6]);
    } catch {}
  }
  return m;
}

/** Per-step run / wait ms of the threads that ran (ids kept: SwiftShader's Thread<00> / <01>). */
function perSched(a: Map<string, [number, number]>, b: Map<string, [number, number]>, steps: number): string {
  const out: string[] = [];
  for (const [k, [run, wait]] of b) {
    const [r0, w0] = a.get(k) ?? [0, 0];
    if ((run - r0) / steps >= 0.005)
      out.push(`${k.split('#')[0]} run ${((run - r0) / steps).toFixed(3)} wait ${((wait - w0) / steps).toFixed(3)}`);
  }
  return out.join(', ');
}

/** The launched browser's descendants of one --type (gpu-process, renderer). */
function processesOfType(root: number, type: string): number[] {
  const out: number[] = [];
  for (const pid of tree(root)) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`--type=${type}`)) out.push(pid);
    } catch {}
  }
  return out;
}

function gpuProcess(root: number): number {
  const [pid] = processesOfType(root, 'gpu-process');
  if (pid === undefined) throw new Error('gpuCpu: no GPU process under the launched browser');
  return pid;
}

/** CPU ms of every renderer, and per thread name summed over them (the page's main thread is CrRendererMain). */
function rendererMs(root: number): { total: number; threads: Map<string, number> } {
  let total = 0;
  const threads = new Map<string, number>();
  for (const pid of processesOfType(root, 'renderer')) {
    try {
      total += statMs(`/proc/${pid}/stat`);
      for (const [k, v] of threadMs(pid)) threads.set(`${pid}:${k}`, v);
    } catch {}
  }
  return { total, threads };
}

/** Per-step CPU ms by thread name (ids dropped) between two threadMs-style snapshots. */
function perThread(a: Map<string, number>, b: Map<string, number>, steps: number): string {
  const byName = new Map<string, number>();
  for (const [k, v] of b) {
    const dv = v - (a.get(k) ?? 0);
    const name = k.split(':').pop()?.split('#')[0] ?? k;
    if (dv > 0) byName.set(name, (byName.get(name) ?? 0) + dv / steps);
  }
  return [...byName]
    .sort((x, y) => y[1] - x[1])
    .map(([k, v]) => `${k} ${v.toFixed(3)}`)
    .join(', ');
}

/** CPU ms per thread name of a process. */
function threadMs(pid: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const path = `/proc/${pid}/task/${t}/stat`;
      const raw = readFileSync(path, 'utf8');
      const name = raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')'));
      m.set(`${name}#${t}`, statMs(path));
    } catch {}
  }
  return m;
}

/**
 * Page init script: every device asks for timestamp-query, every compute pass writes its start and
 * end, and each submission's pass durations (ns) are appended to window.__passNs.
 */
function timestampPasses(): void {
  const w = window as unknown as { __passNs: number[] };
  w.__passNs = [];
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = function (desc?: GPUDeviceDescriptor) {
    const requiredFeatures: GPUFeatureName[] = [...(desc?.requiredFeatures ?? []), 'timestamp-query'];
    return requestDevice.call(this, { ...desc, requiredFeatures });
  };
  const devOf = new WeakMap<GPUCommandEncoder, GPUDevice>();
  const sets = new WeakMap<GPUCommandEncoder, GPUQuerySet[]>();
  const reads = new WeakMap<GPUCommandBuffer, GPUBuffer[]>();
  const createEncoder = GPUDevice.prototype.createCommandEncoder;
  GPUDevice.prototype.createCommandEncoder = function (d?: GPUCommandEncoderDescriptor) {
    const e = createEncoder.call(this, d);
    devOf.set(e, this);
    return e;
  };
  const begin = GPUCommandEncoder.prototype.beginComputePass;
  GPUCommandEncoder.prototype.beginComputePass = function (desc?: GPUComputePassDescriptor) {
    const dev = devOf.get(this);
    if (!dev) return begin.call(this, desc);
    const querySet = dev.createQuerySet({ type: 'timestamp', count: 2 });
    sets.set(this, [...(sets.get(this) ?? []), querySet]);
    const timestampWrites = { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 };
    return begin.call(this, { ...desc, timestampWrites });
  };
  const finish = GPUCommandEncoder.prototype.finish;
  GPUCommandEncoder.prototype.finish = function (d?: GPUCommandBufferDescriptor) {
    const dev = devOf.get(this);
    const out: GPUBuffer[] = [];
    for (const qs of (dev && sets.get(this)) || []) {
      const usage = GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC;
      const resolved = (dev as GPUDevice).createBuffer({ size: 16, usage });
      const mapped = (dev as GPUDevice).createBuffer({
        size: 16,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      this.resolveQuerySet(qs, 0, 2, resolved, 0);
      this.copyBufferToBuffer(resolved, 0, mapped, 0, 16);
      out.push(mapped);
    }
    const cb = finish.call(this, d);
    reads.set(cb, out);
    return cb;
  };
  const submit = GPUQueue.prototype.submit;
  GPUQueue.prototype.submit = function (cbs: Iterable<GPUCommandBuffer>) {
    const list = [...cbs];
    submit.call(this, list);
    for (const cb of list)
      for (const b of reads.get(cb) ?? [])
        b.mapAsync(GPUMapMode.READ).then(() => {
          const t = new BigUint64Array(b.getMappedRange());
          w.__passNs.push(Number(t[1] - t[0]));
          b.destroy();
        });
  };
}

type Harness = Record<string, (...a: unknown[]) => Promise<unknown>>;
const harness = (page: Page, fn: string, ...args: unknown[]) =>
  page.evaluate(([f, a]) => (window as unknown as { gpuParity: Harness }).gpuParity[f as string](...(a as unknown[])), [
    fn,
    args,
  ] as const);

const [distsArg, portArg, roundsArg, ...sets] = process.argv.slice(2);
if (!distsArg || sets.length === 0) {
  console.error('usage: tsx bench/gpuCpu.ts DIST[,DIST...] PORT ROUNDS SET...');
  process.exit(2);
}
const dists = distsArg.split(',');
// vite itself (not through npx, whose kill would leave it serving the port), and a port already
// served means an error: --strictPort makes a second server exit, and the page would load the
// first server's build instead of the one named
let done = false;
const vite = resolve(import.meta.dirname, '../node_modules/.bin/vite');
const servers: ChildProcess[] = dists.map((dist, i) => {
  const port = i === 0 ? portArg : String(process.env.PORT2 ?? Number(portArg) + i);
  const s = spawn(vite, ['preview', '--outDir', dist, '--port', port, '--strictPort', '--host', '127.0.0.1'], {
    stdio: 'ignore',
  });
  s.on('exit', (code) => {
    if (!done) {
      console.error(`gpuCpu: the server of ${dist} on port ${port} exited (${code}): port in use?`);
      process.exit(1);
    }
  });
  return s;
});
await new Promise((r) => setTimeout(r, 4000));
const server = await chromium.launchServer({ executablePath: findChromium() ?? undefined, args: CHROMIUM_ARGS });
const browser = await chromium.connect(server.wsEndpoint());
const root = server.process().pid as number;
const pages: Page[] = [];
for (let i = 0; i < dists.length; i++) {
  const page = await browser.newPage();
  if (process.env.TIMESTAMPS) await page.addInitScript(timestampPasses);
  await page.goto(
    `http://127.0.0.1:${i === 0 ? portArg : (process.env.PORT2 ?? Number(portArg) + i)}/e2e/pages/gpu.html`,
  );
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  pages.push(page);
}
const K = Number(process.env.K ?? 128);
const results = new Map<string, number[]>();
for (let round = 0; round < Number(roundsArg); round++) {
  for (const spec of round % 2 ? [...sets].reverse() : sets) {
    const [build, rest] = spec.includes('@') ? spec.split('@') : ['0', spec];
    const [set, opts] = rest.split(/:(.*)/s);
    const page = pages[Number(build)];
    const path = await harness(page, 'openSet', set, opts ? JSON.parse(opts) : {});
    await page.evaluate(() => {
      (window as unknown as { __passNs: number[] }).__passNs = [];
    });
    const calls = Math.max(2, Math.round((set === 'e' ? 1024 : 2048) / K));
    const gpu = gpuProcess(root);
    const [t0, c0, rd0, s0] = [threadMs(gpu), statMs(`/proc/${gpu}/stat`), rendererMs(root), schedMs(gpu)];
    const w0 = performance.now();
    const r = (await harness(page, 'trainSet', K, calls)) as { steps: number };
    const wall = (performance.now() - w0) / r.steps;
    const per = (statMs(`/proc/${gpu}/stat`) - c0) / r.steps;
    const rd1 = rendererMs(root);
    const s1 = schedMs(gpu);
    const rend = (rd1.total - rd0.total) / r.steps;
    (results.get(spec) ?? results.set(spec, []).get(spec))?.push(per);
    (results.get(`${spec} renderer`) ?? results.set(`${spec} renderer`, []).get(`${spec} renderer`))?.push(rend);
    (results.get(`${spec} wall`) ?? results.set(`${spec} wall`, []).get(`${spec} wall`))?.push(wall);
    const load = loadavg()[0].toFixed(1);
    console.log(
      `round ${round} ${spec} (${path}): GPU process ${per.toFixed(3)} ms CPU/step, renderer ${rend.toFixed(3)} ms CPU/step, wall ${wall.toFixed(3)} ms/step, load ${load}`,
    );
    if (process.env.THREADS) console.log(`  renderer threads: ${perThread(rd0.threads, rd1.threads, r.steps)}`);
    if (process.env.TIMESTAMPS) {
      await new Promise((res) => setTimeout(res, 300)); // the last pass's timestamps arrive after its map
      const ns = await page.evaluate(() => (window as unknown as { __passNs: number[] }).__passNs);
      const passMs = ns.map((x) => x / 1e6).sort((a, b) => a - b);
      const med = passMs[passMs.length >> 1];
      console.log(
        `  ${ns.length} compute passes of up to ${K} steps: min ${passMs[0]?.toFixed(2)} ms, median ${med?.toFixed(2)} ms`,
      );
    }
    if (process.env.THREADS) {
      console.log(`  GPU threads: ${perThread(t0, threadMs(gpu), r.steps)}`);
      console.log(`  GPU threads, schedstat ms/step: ${perSched(s0, s1, r.steps)}`);
    }
    await harness(page, 'closeSet');
  }
}
for (const [spec, v] of results) {
  const s = [...v].sort((a, b) => a - b);
  console.log(
    `${spec}: median ${s[s.length >> 1].toFixed(3)} (${s[0].toFixed(3)}-${s[s.length - 1].toFixed(3)}) ms ${spec.endsWith(' wall') ? 'wall' : 'CPU'}/step`,
  );
}
await browser.close();
await server.close();
done = true;
for (const s of servers) s.kill();
