// Node: where a spread race's time goes (issue 17, (c-cores)). Six runs of (a) (bench/tasks.ts (c))
// on a ShardedCpuBackend over this thread and one worker_threads sub-worker (bench/spreadShard.ts),
// as the browser's training worker spreads them, against one run (a-sgd), the one-worker race, and
// each half of the race alone in one thread (what each shard would cost without the other).
// Per mode and round: wall µs per step, and CPU µs per step of each thread (/proc/thread-self/stat);
// for the spread: each shard's busy time in train() and the coordinator's wait.
//   npx tsx bench/spreadNode.ts [--rounds=5] [--ms=1500] [--chunk=512] [--unspread=false] [--modes=one,race,half0,half1,spread]
//   npx tsx bench/spreadNode.ts --lifecycle=N   (the bench's (c-cores) task N times each way: see lifecycle())
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { buildWasm } from '../scripts/buildWasm';
import { buildLayout, initParams, Rng, streamSeed } from '../src/engine';
import type { TrainingBackend } from '../workers/backend';
import { CpuBackend } from '../workers/cpu/backend';
import { ShardedCpuBackend } from '../workers/cpu/sharded';
import { type ShardEndpoint, ShardPool } from '../workers/cpu/shardPool';
import { benchConfig, benchDataset } from './config';
import { nodeEndpoint, TimedShardHost, threadCpuMs, threadWaitMs } from './spreadShard';
import { WORKLOADS } from './tasks';

const arg = (name: string, dflt: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const rounds = Number(arg('rounds', '5'));
const windowMs = Number(arg('ms', '1500'));
const chunk = Number(arg('chunk', '512'));
const unspread = arg('unspread', 'true') !== 'false';
const modes = arg('modes', 'one,race,half0,half1,spread').split(',');

type Stats = { busy: number[]; inside: number[]; cpu: number[]; now: number; wait: number };
const local = new TimedShardHost();
let sub: (ShardEndpoint & { stats(): Promise<Stats> }) | null = null;
const pool = new ShardPool(
  () => {
    // Node 20 workers do not inherit tsx's loader: the worker registers it, then loads the shard host
    const url = new URL('./spreadShard.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
    const w = new Worker(boot, { eval: true });
    w.unref();
    const e = Comlink.wrap(nodeEndpoint(w)) as unknown as ShardEndpoint & { stats(): Promise<Stats> };
    sub = e;
    return e;
  },
  2,
  local,
);

function setup(id: 'a-sgd' | 'c', runs?: number[]) {
  const w = WORKLOADS.find((x) => x.id === id)!;
  const all = w.optimizers.map((o, r) => benchConfig(w, o, r));
  const cfgs = runs ? runs.map((r) => all[r]) : all;
  const data = benchDataset(w);
  const l = buildLayout(cfgs[0].model, data.inputDim, data.outputDim);
  const init = initParams(l, cfgs[0].model, new Rng(streamSeed(cfgs[0].seed, 'init')));
  return { cfgs, data, init };
}

async function make(mode: string): Promise<TrainingBackend> {
  const s =
    mode === 'one'
      ? setup('a-sgd')
      : setup('c', mode === 'half0' ? [0, 1, 2] : mode === 'half1' ? [3, 4, 5] : undefined);
  const be = mode === 'spread' ? new ShardedCpuBackend(pool, { unspread }) : new CpuBackend({ threads: 1 });
  await be.build(s.cfgs, s.data, s.init);
  return be;
}

interface Sample {
  wall: number;
  cpu0: number;
  cpu1: number;
  busy0: number;
  busy1: number;
  /** CPU inside each shard's train() */
  in0: number;
  in1: number;
  /** Runnable but waiting for a core, over the whole window (kept chunks or not), per kept step */
  wait0: number;
  wait1: number;
  steps: number;
}

/**
 * Trains `be` in chunks for about windowMs; per step over the chunks in which no epoch ended (an
 * epoch's end evaluates the whole split: not a step, left out as raceNode.ts and the browser bench
 * leave it out): wall, each thread's CPU, each shard's busy time in train() (µs).
 */
async function timed(be: TrainingBackend): Promise<Sample> {
  local.stats();
  const spread = be instanceof ShardedCpuBackend && be.workers > 1;
  const s0 = spread && sub ? await sub.stats() : null;
  let c = threadCpuMs();
  const w0 = threadWaitMs();
  const t0 = performance.now();
  const kept: boolean[] = [];
  let wall = 0;
  let cpu0 = 0;
  let steps = 0;
  while (performance.now() - t0 < windowMs) {
    const t = performance.now();
    const p = await be.train(chunk);
    const dt = performance.now() - t;
    const c1 = threadCpuMs();
    const keep = !p.some((r) => r.epochs.n > 0);
    kept.push(keep);
    if (keep) {
      wall += dt;
      cpu0 += c1 - c;
      steps += chunk;
    }
    c = c1;
  }
  const w1 = threadWaitMs();
  const l = local.stats();
  const s1 = spread && sub ? await sub.stats() : null;
  let busy0 = 0;
  let busy1 = 0;
  let cpu1 = 0;
  let in0 = 0;
  let in1 = 0;
  kept.forEach((k, i) => {
    if (!k) return;
    busy0 += l.busy[i] ?? 0;
    in0 += l.inside[i] ?? 0;
    if (!s1) return;
    busy1 += s1.busy[i] ?? 0;
    in1 += s1.inside[i] ?? 0;
    cpu1 += s1.cpu[i] - (i > 0 ? s1.cpu[i - 1] : (s0?.now ?? s1.cpu[i]));
  });
  const per = (ms: number) => (1000 * ms) / steps;
  return {
    wall: per(wall),
    cpu0: per(cpu0),
    cpu1: per(cpu1),
    busy0: per(busy0),
    busy1: per(busy1),
    in0: per(in0),
    in1: per(in1),
    wait0: per(w1 - w0),
    wait1: s0 && s1 ? per(s1.wait - s0.wait) : 0,
    steps,
  };
}

const med = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1];
const span = (v: number[]) => `${med(v).toFixed(1)} (${Math.min(...v).toFixed(1)}-${Math.max(...v).toFixed(1)})`;

/**
 * --lifecycle=N: N trials of the bench's (c-cores) task as bench/descentImpl.ts runs it (a new
 * spread race, 500 ms of train(4), then 2.5 s of chunks growing 4x up to ~100 ms and half an epoch,
 * the best rate of a chunk of at least 10 ms in which no epoch ended), alternating unspreadAfter 1 (main before
 * UNSPREAD_AFTER) and 3: steps/s and whether the race went back to one worker.
 */
/** bench/measure.ts's chunk cap: about half the steps of an epoch of (c) (2,045 steps here). */
const HALF_EPOCH = 1024;

async function lifecycle(trials: number) {
  const res: Record<number, { rate: number; workers: number }[]> = { 1: [], 3: [] };
  const s = setup('c');
  for (let t = 0; t < 2 * trials; t++) {
    const after = t % 4 === 0 || t % 4 === 3 ? 1 : 3; // A B B A
    const be = new ShardedCpuBackend(pool, { unspreadAfter: after });
    await be.build(s.cfgs, s.data, s.init);
    const warm = performance.now();
    while (performance.now() - warm < 500) await be.train(4);
    let k = 1;
    let best = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 2500) {
      const c0 = performance.now();
      const p = await be.train(k);
      const took = performance.now() - c0;
      if (!p.some((r) => r.epochs.n > 0) && took >= 10) best = Math.max(best, k / took);
      k = Math.max(1, Math.min(k * 4, Math.round(100 / Math.max(took / k, 1e-3)), HALF_EPOCH));
    }
    res[after].push({ rate: 1000 * best, workers: be.workers });
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    console.log(
      `trial ${t}: unspreadAfter ${after}: ${(best).toFixed(1)}k steps/s, ${be.workers} workers at the end, load ${load}`,
    );
    be.dispose();
  }
  for (const a of [1, 3]) {
    const v = res[a];
    console.log(
      `unspreadAfter ${a}: ${span(v.map((x) => x.rate / 1000))}k steps/s; went back to one worker in ${v.filter((x) => x.workers === 1).length} of ${v.length}`,
    );
  }
  process.exit(0);
}

async function main() {
  await buildWasm();
  const trials = Number(arg('lifecycle', '0'));
  if (trials > 0) return lifecycle(trials);
  const bes = new Map<string, TrainingBackend>();
  for (const m of modes) bes.set(m, await make(m));
  for (const be of bes.values()) await be.train(2000); // past the JIT's tiers
  console.log(`node ${process.version}; chunk ${chunk} steps; ${windowMs} ms per timing; unspread ${unspread}`);
  const res = new Map<string, Sample[]>(modes.map((m) => [m, []]));
  for (let r = -1; r < rounds; r++) {
    const order = r % 2 ? [...modes].reverse() : modes;
    for (const m of order) {
      const s = await timed(bes.get(m)!);
      if (r >= 0) res.get(m)!.push(s);
    }
    if (r >= 0) {
      const line = modes.map((m) => {
        const s = res.get(m)![r];
        return `${m} wall ${s.wall.toFixed(1)} cpu ${s.cpu0.toFixed(1)}${s.cpu1 ? `+${s.cpu1.toFixed(1)} busy ${s.busy0.toFixed(1)}/${s.busy1.toFixed(1)} in ${s.in0.toFixed(1)}/${s.in1.toFixed(1)}` : ''} wait ${s.wait0.toFixed(1)}${s.cpu1 ? `/${s.wait1.toFixed(1)}` : ''}`;
      });
      console.log(`round ${r}: ${line.join('; ')}`);
    }
  }
  for (const m of modes) {
    const v = res.get(m)!;
    console.log(
      `${m}: wall ${span(v.map((s) => s.wall))} µs/step; CPU main ${span(v.map((s) => s.cpu0))}` +
        (m === 'spread'
          ? `, sub ${span(v.map((s) => s.cpu1))}; busy shard0 ${span(v.map((s) => s.busy0))}, shard1 ${span(v.map((s) => s.busy1))}; CPU in train() shard0 ${span(v.map((s) => s.in0))}, shard1 ${span(v.map((s) => s.in1))}`
          : ''),
    );
  }
  const one = res.get('one');
  const sp = res.get('spread');
  if (one && sp) {
    console.log(`spread ÷ one, wall: ${span(sp.map((s, i) => s.wall / one[i].wall))}`);
  }
  const spreadBe = bes.get('spread') as ShardedCpuBackend | undefined;
  if (spreadBe) {
    console.log(
      `spread placement ${spreadBe.placement().join('')}, workers ${spreadBe.workers}, name ${spreadBe.info.name}`,
    );
    const sf = sub as unknown as { fusion(): Promise<unknown> } | null;
    const f1 = JSON.stringify(await sf?.fusion());
    console.log(`fused/alone run-steps by run set: shard 0 ${JSON.stringify(local.fusion())}, shard 1 ${f1}`);
  }
  const race = res.get('race');
  if (one && race) console.log(`race (one worker) ÷ one, wall: ${span(race.map((s, i) => s.wall / one[i].wall))}`);
  for (const be of bes.values()) be.dispose();
  process.exit(0);
}

main();
