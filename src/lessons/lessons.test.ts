// Every lesson's claim, checked by training its demo headlessly the way the page trains it: the
// lesson runner over the worker's service (test-support/lessonRun.ts, CPU engine), judged by the
// same checks the demo shows under its charts (workers/lessons/checks.ts). Each claim is also
// checked for other seeds, so a lesson does not hold only by luck of one seed, and with its numbers
// moved at float32 level (lessonsRobust.test.ts). Numbers a lesson's text states (ln C, the 1e-3
// band) are the thresholds there.
import { describe, expect, it } from 'vitest';
import { runLessonHeadless, LESSON_SEEDS as SEEDS } from '../../test-support/lessonRun';
import { CHECKED_LESSONS, lessonChecks } from '../../workers/lessons/checks';
import { groupPresets, jobConfigs } from '../../workers/lessons/runner';
import { runArena } from '../engine/arena';
import { makeTestFunction } from '../engine/data/testFunctions';
import { DEFAULT_CONFIG } from '../engine/defaults';
import type { OptimizerConfig } from '../engine/types';
import { LESSONS, lessonById } from './index';
import { lessonJob } from './job';
import { presetConfigChecked } from './presetConfig';
import type { Lesson } from './types';

const lesson = (id: string): Lesson => {
  const l = lessonById(id);
  if (!l) throw new Error(`no lesson ${id}`);
  return l;
};

describe('lesson catalogue', () => {
  it('covers the ten topics of the lecture, in order, then what lies beyond (11), with unique ids', () => {
    expect(new Set(LESSONS.map((l) => l.number))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    const numbers = LESSONS.map((l) => l.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it.each(LESSONS.map((l) => [l.id, l] as const))('%s: every preset is valid under the URL schema', (_, l) => {
    expect(l.presets.length).toBeGreaterThan(0);
    expect(l.formulas.length).toBeGreaterThan(0);
    expect(l.watch.length).toBeGreaterThan(0);
    expect(new Set(l.presets.map((p) => p.id)).size).toBe(l.presets.length);
    for (const p of l.presets) {
      const { notices } = presetConfigChecked(p);
      expect(notices, `${l.id}/${p.id}`).toEqual([]);
      expect(p.color).toMatch(/^#[0-9a-f]{6}$/);
    }
    if (l.views.includes('arena')) expect(l.arena).toBeDefined();
  });

  it('every lesson makes a claim about its demo that a check judges, for several seeds', () => {
    expect(new Set(CHECKED_LESSONS)).toEqual(new Set(LESSONS.map((l) => l.id)));
    expect(new Set(Object.keys(SEEDS))).toEqual(new Set(LESSONS.map((l) => l.id)));
  });

  it('presets that differ in data, architecture or seed train in sets of their own, the others together', () => {
    const sets = (id: string) => groupPresets(jobConfigs(lessonJob(lesson(id))));
    expect(sets('batch-norm')).toEqual([[0], [1]]); // batch norm on/off: another architecture
    expect(sets('normalization')).toEqual([[0], [1], [2]]); // another preprocessing of the data
    expect(sets('momentum-off')).toEqual([[0, 1]]); // the same run until a live change
    expect(sets('adaptive')).toEqual([[0, 1, 2, 3]]);
  });
});

describe.each(LESSONS.map((l) => [l.number, l.id] as const))('%i %s', (_, id) => {
  it.each(SEEDS[id] ?? [undefined])(
    'the demo shows what the lesson says (seed %s)',
    async (seed) => {
      const r = await runLessonHeadless(lessonJob(lesson(id)), seed);
      expect(r.done).toBe(true);
      const checks = lessonChecks(r);
      expect(checks.length).toBeGreaterThan(0);
      for (const c of checks) expect(c.ok, `${id}, seed ${seed}: ${c.claim} (${c.detail})`).toBe(true);
    },
    600_000,
  );
});

const optimizer = (patch: Record<string, unknown>): OptimizerConfig =>
  ({ ...DEFAULT_CONFIG.optimizer, ...patch }) as OptimizerConfig;
function arenaFinal(l: Lesson, steps?: number): number[] {
  const a = l.arena;
  if (!a) throw new Error(`${l.id} has no arena`);
  const fn = makeTestFunction(a.fn, a.params);
  return a.runs.map((r) => {
    const p = runArena(fn, optimizer(r.optimizer), a.start, steps ?? a.steps);
    expect(p.diverged).toBe(false);
    return p.f[p.f.length - 1];
  });
}

describe('the arenas (engine alone)', () => {
  it('7 momentum: in the ravine momentum rolls to the minimum while SGD zig-zags', () => {
    const [sgd, momentum] = arenaFinal(lesson('momentum'));
    expect(momentum).toBeLessThan(1e-3 * sgd);
  });

  it('8 adaptive: tuned SGD + momentum converges to a better objective than each adaptive method', () => {
    const [momentum, ...adaptive] = arenaFinal(lesson('adaptive'));
    for (const f of adaptive) expect(momentum).toBeLessThan(1e-6 * f);
  });
});
