// The lesson runner over the worker's service (CPU engine): live changes land exactly at their epoch
// boundary, presets that cannot share a compare set train in sets of their own with their own
// architecture, and a stop ends the demo at the next training call.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine';
import type { TrainConfig } from '../../src/engine/types';
import { CpuBackend } from '../cpu/backend';
import type { LessonJob } from '../protocol';
import { TrainerService } from '../service';
import { epochCol, stepLr } from './measures';
import { type LessonRunOptions, presetById, runLesson } from './runner';

const small = (patch: (c: TrainConfig) => void = () => {}): TrainConfig => {
  const c = defaultConfig();
  c.data.name = 'xor';
  c.data.samples = 200;
  c.batchSize = 20;
  c.optimizer = { ...c.optimizer, name: 'sgd', lr: 0.1 };
  patch(c);
  return c;
};

async function run(job: LessonJob, opts: Partial<LessonRunOptions> = {}) {
  const svc = new TrainerService({ factories: { cpu: () => new CpuBackend(), gpu: null } });
  const r = await runLesson(svc, job, { subscribe: (fn) => svc.subscribe(fn), backend: 'cpu', sliceMs: 5, ...opts });
  await svc.dispose();
  return r;
}

describe('lesson runner', () => {
  it('applies a live change exactly at its epoch boundary, and only to its preset', async () => {
    const job: LessonJob = {
      id: 't',
      epochs: 5,
      presets: [
        { id: 'keep', label: 'keep', color: '#000000', config: small() },
        {
          id: 'drop',
          label: 'drop',
          color: '#111111',
          config: small(),
          phases: [{ atEpoch: 2, note: 'lr / 10', config: { optimizer: { lr: 0.01 } } }],
        },
      ],
    };
    const r = await run(job);
    expect(r.done).toBe(true);
    const drop = presetById(r, 'drop');
    const spe = drop.stepsPerEpoch;
    expect(spe).toBe(Math.floor(drop.dataset.nTrain / 20));
    const lr = stepLr(drop);
    expect(lr.length).toBe(5 * spe); // every step streamed, none twice
    expect(lr.slice(0, 2 * spe).every((x) => x === Math.fround(0.1))).toBe(true);
    expect(lr.slice(2 * spe).every((x) => x === Math.fround(0.01))).toBe(true);
    expect(new Set(stepLr(presetById(r, 'keep')))).toEqual(new Set([Math.fround(0.1)]));
    expect(drop.cfg.optimizer.lr).toBe(0.01);
    // the same run until the change
    expect(epochCol(drop, 'trainLoss').slice(0, 2)).toEqual(epochCol(presetById(r, 'keep'), 'trainLoss').slice(0, 2));
  });

  it('trains presets of another architecture as a set of their own', async () => {
    const job: LessonJob = {
      id: 't',
      epochs: 3,
      presets: [
        { id: 'a', label: 'a', color: '#000000', config: small() },
        { id: 'wide', label: 'wide', color: '#111111', config: small((c) => (c.model.hidden[0].units = 12)) },
        { id: 'b', label: 'b', color: '#222222', config: small((c) => (c.optimizer.lr = 0.3)) },
      ],
    };
    const r = await run(job);
    expect(r.presets.map((p) => [p.preset.id, p.group, p.run])).toEqual([
      ['a', 0, 0],
      ['wide', 1, 0],
      ['b', 0, 1],
    ]);
    expect(presetById(r, 'wide').layers[0].units).toBe(12);
    for (const p of r.presets) {
      expect(p.state).toBe('finished');
      expect(p.epochs.n).toBe(3);
      expect(p.params?.length).toBeGreaterThan(0);
      expect(p.finalVal?.loss).toBeGreaterThan(0);
    }
  });

  it('a stop ends the demo at the next training call', async () => {
    const job: LessonJob = {
      id: 't',
      epochs: 500,
      presets: [{ id: 'a', label: 'a', color: '#000000', config: small() }],
    };
    let calls = 0;
    const r = await run(job, { onProgress: () => calls++, cancelled: () => calls >= 3 });
    expect(r.done).toBe(false);
    const p = presetById(r, 'a');
    expect(p.steps.n).toBeGreaterThan(0);
    expect(p.steps.n).toBeLessThan(500 * p.stepsPerEpoch);
  });
});
