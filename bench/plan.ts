// Which tasks `npm run bench` runs, and in which order (bench/run.ts parses the flags with it).
import { IMPLS, type Impl, MATMUL_SIZES, type Task, WORKLOADS } from './tasks';

/**
 * Every task once per round. Within a round the tasks go group by group (the matmuls, then each
 * workload; the group order reversed on odd rounds), and inside a group the implementations start
 * one place further along each round, so no implementation always runs first, last, or right
 * after the same neighbour while the machine's load drifts.
 */
export function planTasks(argv: string[] = process.argv): { tasks: Task[]; filtered: boolean; rounds: number } {
  const arg = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const impls = (arg('impl')?.split(',') ?? [...IMPLS]) as Impl[];
  for (const i of impls) if (!IMPLS.includes(i)) throw new Error(`--impl: unknown implementation '${i}'`);
  const kind = arg('kind');
  if (kind && kind !== 'matmul' && kind !== 'train') throw new Error(`--kind: expected matmul or train, got '${kind}'`);
  const ids = arg('workload')?.split(',');
  for (const id of ids ?? [])
    if (!WORKLOADS.some((w) => w.id === id)) throw new Error(`--workload: unknown workload '${id}'`);
  const workloads = WORKLOADS.filter((w) => !ids || ids.includes(w.id));
  const budgetMs = Number(arg('budget') ?? 2500);
  if (!(budgetMs > 0)) throw new Error(`--budget: expected a positive number of milliseconds`);
  const rounds = Number(arg('rounds') ?? 3);
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`--rounds: expected a whole number >= 1`);
  const cpu = arg('cpu') ?? 'engine';
  const groups: ((impl: Impl, round: number) => Task)[] = [];
  if (kind !== 'train')
    groups.push((impl, round) => ({ kind: 'matmul', impl, round, cpu, sizes: MATMUL_SIZES, budgetMs: budgetMs / 2 }));
  if (kind !== 'matmul')
    for (const workload of workloads)
      groups.push((impl, round) => ({ kind: 'train', impl, round, cpu, workload, warmupMs: budgetMs / 5, budgetMs }));
  const tasks: Task[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? groups : [...groups].reverse();
    const shift = round % impls.length;
    const rotated = [...impls.slice(shift), ...impls.slice(0, shift)];
    for (const g of order)
      for (const impl of rotated) {
        const t = g(impl, round);
        // the app's path trains; it has no matmul of its own; the sweep workload is the backends' own
        if (impl === 'descent-play' && t.kind === 'matmul') continue;
        if (t.kind === 'train' && t.workload.descentOnly && (!impl.startsWith('descent') || impl === 'descent-play'))
          continue;
        if (t.kind === 'train' && t.workload.cpuSpread && impl !== 'descent-cpu') continue;
        tasks.push(t);
      }
  }
  const subset = impls.length < IMPLS.length || kind !== undefined || ids !== undefined || rounds < 3;
  // --write-results: a reduced run (fewer rounds, a shorter budget) may still write results.json/md
  const filtered = subset && !argv.includes('--write-results');
  return { tasks, filtered, rounds };
}
