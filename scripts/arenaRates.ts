// The measurement behind an optimizer's arena rates (its spec's `arena.lr`): for each 2D test
// function, a sweep of constant rates over 1e-4..1 (1-2-3-5 steps per decade), 300 steps of the
// engine's arena (runArena, no gradient noise, the rule's defaults) from every suggested start point.
//   disqualified: at lr or at 2 lr (head-room for other start points and settings): diverged from
//                 some start, or a single move longer than 10% of the view box's diagonal (the race
//                 would jump instead of being drawn)
//   score:        median over the start points of the final gap f_300 - f_min
//   chosen:       the lowest score; among rates within 1% of the best score, the smallest
// The saddle has no minimum (escaping downhill is right): there the largest rate whose path stays in
// the view box for the first 150 steps from every start, so half the race is on screen.
// Usage: npx tsx scripts/arenaRates.ts schedulefree [adam ...]   (prints a table and the spec line)
import { runArena } from '../src/engine/arena';
import { makeTestFunction, TEST_FUNCTION_NAMES, type TestFunction } from '../src/engine/data/testFunctions';
import { optimizerDefaults, optimizerSpec } from '../src/engine/optimizers/registry';
import type { OptimizerConfig, OptimizerName } from '../src/engine/types';

const STEPS = 300;
const RATES = [-4, -3, -2, -1].flatMap((e) => [1, 2, 3, 5].map((k) => Number((k * 10 ** e).toPrecision(2)))).concat(1);

const inBox = (fn: TestFunction, x: number, y: number) =>
  x >= fn.bounds.xMin && x <= fn.bounds.xMax && y >= fn.bounds.yMin && y <= fn.bounds.yMax;

function measure(fn: TestFunction, cfg: OptimizerConfig) {
  const b = fn.bounds;
  const diag = Math.hypot(b.xMax - b.xMin, b.yMax - b.yMin);
  const fMin = fn.minima.length ? Math.min(...fn.minima.map((m) => m.f)) : 0;
  const gaps: number[] = [];
  let ok = true;
  let inside = Number.POSITIVE_INFINITY;
  for (const s of fn.starts) {
    const p = runArena(fn, cfg, s, STEPS);
    let jump = 0;
    let stay = p.x.length - 1;
    for (let k = 1; k < p.x.length; k++) {
      jump = Math.max(jump, Math.hypot(p.x[k] - p.x[k - 1], p.y[k] - p.y[k - 1]));
      if (stay === p.x.length - 1 && !inBox(fn, p.x[k], p.y[k])) stay = k - 1;
    }
    inside = Math.min(inside, p.diverged ? 0 : stay);
    if (fn.name !== 'saddle' && (p.diverged || jump > 0.1 * diag)) ok = false;
    gaps.push(p.f[p.f.length - 1] - fMin);
  }
  gaps.sort((a, c) => a - c);
  return { ok, score: gaps[Math.floor(gaps.length / 2)], inside };
}

function choose(name: OptimizerName): Record<string, number> {
  const out: Record<string, number> = {};
  for (const fname of TEST_FUNCTION_NAMES) {
    const fn = makeTestFunction(fname, { kappa: 20 });
    const at = (lr: number) => measure(fn, { ...optimizerDefaults(name), name, lr });
    const rows = RATES.map((lr) => {
      const m = at(lr);
      return { lr, ...m, ok: m.ok && at(2 * lr).ok };
    });
    let pick: number;
    if (fname === 'saddle') {
      pick = Math.max(...rows.filter((r) => r.inside >= 150).map((r) => r.lr));
    } else {
      const ok = rows.filter((r) => r.ok && Number.isFinite(r.score));
      const best = Math.min(...ok.map((r) => r.score));
      pick = Math.min(...ok.filter((r) => r.score <= best + 0.01 * Math.abs(best) + 1e-12).map((r) => r.lr));
    }
    out[fname] = pick;
    console.log(
      `${name} ${fname}: ${rows.map((r) => `${r.lr}:${r.ok ? r.score.toPrecision(3) : 'x'}${fname === 'saddle' ? `/${r.inside}` : ''}`).join(' ')} -> ${pick}`,
    );
  }
  return out;
}

for (const name of process.argv.slice(2) as OptimizerName[]) {
  optimizerSpec(name); // throws on an unknown name
  const r = choose(name);
  console.log(`${name} arena.lr: ${JSON.stringify(r)} (spec now ${JSON.stringify(optimizerSpec(name).arena.lr)})`);
}
