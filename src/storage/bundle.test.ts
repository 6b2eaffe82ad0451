// The run bundle (bundle.ts): a kept run written to a file and read back is the same kept run
// (NaN losses, float32 weights and batch-norm statistics, notes, points, mid-run changes), and a
// bad file is refused whole with every problem named by its path in the file and why.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../engine/defaults';
import { BUNDLE_VERSION, bundleText, problemsText, readBundle } from './bundle';
import type { KeptRun } from './keptRuns';

function kept(): KeptRun {
  const config = defaultConfig();
  config.optimizer.name = 'adam';
  const start = structuredClone(config);
  start.optimizer.lr = 0.05;
  return {
    id: 'x',
    label: 'Adam · XOR',
    keptAt: 1_700_000_000_000,
    config,
    status: { state: 'diverged', step: 300, epoch: 17.1, statusStep: 299, bestValLoss: 0.21, bestEpoch: 16 },
    steps: {
      step: Float64Array.from({ length: 300 }, (_, i) => i),
      loss: Float64Array.from({ length: 300 }, (_, i) => (i === 299 ? Number.NaN : Math.fround(1 / (i + 1)))),
    },
    epochs: { epoch: Float64Array.of(1, 2), valLoss: Float64Array.of(0.5, Number.NaN) },
    params: Float32Array.from({ length: 114 }, (_, i) => Math.sin(i) * 1e-3),
    bnStats: Float32Array.of(0.1, -0.2, 1.5, 0.75),
    points: { x: Float32Array.of(0, 0.5, 1, -1), labels: Int32Array.of(0, 1), classes: 2, classNames: ['a', 'b'] },
    notes: 'lr too high after step 200',
    start,
    changes: [{ step: 120, config }],
  };
}

const refused = (text: string) => {
  const r = readBundle(text);
  if (r.ok) throw new Error('accepted a bad bundle');
  return r.problems;
};
const edited = (f: (b: { format: string; version: number; run: Record<string, unknown> }) => void) => {
  const b = JSON.parse(bundleText(kept()));
  f(b);
  return JSON.stringify(b);
};

describe('run bundle', () => {
  it('round-trips a kept run exactly (NaN as null, float32 weights, notes, points, changes)', () => {
    const k = kept();
    const text = bundleText(k);
    expect(JSON.parse(text)).toMatchObject({ format: 'descent-run', version: BUNDLE_VERSION });
    expect(JSON.parse(text).run.steps.loss[299]).toBeNull();
    const r = readBundle(text);
    if (!r.ok) throw new Error(problemsText(r.problems));
    expect(r.run.id).not.toBe(k.id); // a new kept run, never overwriting one
    expect({ ...r.run, id: k.id }).toEqual(k);
    expect(r.run.params).toEqual(k.params); // bit for bit: float32 -> shortest decimal -> float32
  });

  it('refuses what is not a bundle, naming why', () => {
    expect(refused('{"format": "descent-run", ')[0]).toMatchObject({
      path: 'file',
      reason: expect.stringMatching(/^not JSON/),
    });
    expect(refused('[1, 2]')).toEqual([{ path: 'file', reason: 'expected an object, found a list' }]);
    expect(
      refused(
        edited((b) => {
          b.format = 'tensorboard';
        }),
      )[0].path,
    ).toBe('format');
    expect(
      refused(
        edited((b) => {
          b.version = 2;
        }),
      ),
    ).toEqual([{ path: 'version', reason: '2 is newer than this Descent reads (1); update the page' }]);
  });

  it('names every bad field by its path: config, columns, weights, points, changes', () => {
    const problems = refused(
      edited((b) => {
        // biome-ignore lint/suspicious/noExplicitAny: a file being damaged field by field
        const run = b.run as Record<string, any>;
        run.config.optimizer.lr = -1;
        run.steps.loss[12] = 'big';
        run.steps.wobble = [1];
        run.epochs.valLoss = [0.5];
        run.epochs.epoch = [1, 2, 3];
        run.params[3] = null;
        run.points.labels[1] = 7;
        run.changes[0].step = 1.5;
        run.label = 42;
      }),
    );
    expect(problems.map((p) => p.path)).toEqual([
      'run.label',
      'run.config.optimizer.lr',
      'run.steps.loss[12]',
      'run.steps.wobble',
      'run.epochs.valLoss',
      'run.params[3]',
      'run.points.labels[1]',
      'run.changes[0].step',
    ]);
    const text = problemsText(problems);
    expect(text).toMatch(/^run\.label: expected text, found number; run\.config\.optimizer\.lr: -1 is below/);
    expect(text).toMatch(/and 4 more$/);
    expect(problems.find((p) => p.path === 'run.epochs.valLoss')?.reason).toBe('has 1 values, the other columns 3');
  });

  it('needs the step and loss columns', () => {
    expect(
      refused(
        edited((b) => {
          delete (b.run.steps as Record<string, unknown>).loss;
        }),
      ).map((p) => p.path),
    ).toEqual(['run.steps.loss']);
  });
});
