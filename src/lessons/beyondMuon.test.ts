// The Muon demo's arena claim (beyondMuon.ts) from engine/arena.ts's own steps; its training claims
// are the lesson checks (workers/lessons/checks.ts 'muon'), run for three seeds by lessons.test.ts.
import { describe, expect, it } from 'vitest';
import { runArena } from '../engine/arena';
import { makeTestFunction } from '../engine/data/testFunctions';
import { DEFAULT_CONFIG } from '../engine/defaults';
import type { OptimizerConfig } from '../engine/types';
import { BEYOND_MUON } from './beyondMuon';
import { presetConfigChecked } from './presetConfig';

describe('Beyond the lecture: Muon', () => {
  it('has valid presets under the URL schema', () => {
    for (const p of BEYOND_MUON.presets) expect(presetConfigChecked(p).notices, p.id).toEqual([]);
  });

  it('in the arena every Muon step is 0.70 lr long (to 0.1%) while the gradient shrinks a hundredfold', () => {
    const a = BEYOND_MUON.arena!;
    const fn = makeTestFunction(a.fn, a.params);
    const run = a.runs.find((x) => x.optimizer.name === 'muon')!;
    const cfg = { ...DEFAULT_CONFIG.optimizer, ...run.optimizer } as OptimizerConfig;
    const p = runArena(fn, cfg, a.start, a.steps);
    expect(p.diverged).toBe(false);
    let phi = 1; // the Newton-Schulz quintic iterated 5 times on the unit singular value
    for (let i = 0; i < 5; i++) phi = 3.4445 * phi - 4.775 * phi ** 3 + 2.0315 * phi ** 5;
    const grads = p.terms.map((_, k) => Math.hypot(...fn.grad(p.x[k], p.y[k])));
    // to 0.1%: the normalisation's +1e-7 shortens a step by ~1e-7 / |u| (|u| ~ 1e-4 near the minimum)
    const dev = Math.max(...p.terms.map((t) => Math.abs(Math.hypot(...t.total) / (phi * cfg.lr) - 1)));
    expect(dev).toBeLessThan(1e-3);
    expect(Math.max(...grads) / Math.min(...grads)).toBeGreaterThan(100);
    expect(p.f[p.f.length - 1]).toBeLessThan(1e-3 * p.f[0]);
  });
});
