import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { EPOCH_METRICS, fieldsOf, MetricColumns, rowsOf, STEP_METRICS, widthOf } from './metricsSchema';
import { Run } from './trainer';

describe('MetricColumns', () => {
  it('grows past its capacity and keeps every row, per-layer fields [n, L]', () => {
    const c = new MetricColumns(STEP_METRICS, 3, 2);
    for (let k = 0; k < 5; k++) {
      const i = c.addRow();
      c.cols.step[i] = k;
      c.cols.loss[i] = 0.1 * k;
      for (let l = 0; l < 3; l++) c.cols.gradNorm[i * 3 + l] = 10 * k + l;
    }
    const s = c.takeSeries();
    expect(s.n).toBe(5);
    expect(Array.from(s.step)).toEqual([0, 1, 2, 3, 4]);
    expect(s.loss[3]).toBe(0.1 * 3); // float64, exact
    expect(Array.from(s.gradNorm.subarray(6, 9))).toEqual([20, 21, 22]);
    expect(Array.from(s.updateRatio)).toEqual(Array(15).fill(0)); // a new row starts at 0
    expect(c.n).toBe(0);
  });

  it('a row taken after emptying (clear, takeSeries, takeColumns, a grow) is all 0 again, per-layer fields too', () => {
    const L = 3;
    const c = new MetricColumns(STEP_METRICS, L, 2);
    const names = fieldsOf(STEP_METRICS);
    const dirty = (rows: number) => {
      for (let r = 0; r < rows; r++) {
        const i = c.addRow();
        for (const k of names) {
          const w = widthOf(STEP_METRICS[k], L);
          c.cols[k].fill(7 + r, i * w, (i + 1) * w);
        }
      }
    };
    for (const empty of [() => c.clear(), () => c.takeSeries(), () => c.takeColumns()]) {
      dirty(5); // grows from 2 rows to 8
      empty();
      // the next rows, written partly: every field not written reads 0
      dirty(1);
      const j = c.addRow();
      c.cols.step[j] = 3;
      const s = c.takeSeries();
      expect(s.n).toBe(2);
      for (const k of names) {
        const w = widthOf(STEP_METRICS[k], L);
        const row = Array.from(s[k].subarray(w, 2 * w));
        expect(row, k).toEqual(Array(w).fill(k === 'step' ? 3 : 0));
      }
    }
  });

  it('narrows to the wire types once, and shifts step/epoch fields by the offsets (0 = none stays 0)', () => {
    const e = new MetricColumns(EPOCH_METRICS, 1);
    const i = e.addRow();
    e.cols.epoch[i] = 2;
    e.cols.step[i] = 40;
    e.cols.trainLoss[i] = 0.1;
    e.cols.bestEpoch[i] = 0;
    e.cols.improved[i] = 1;
    const j = e.addRow();
    e.cols.bestEpoch[j] = 2;
    const batch = e.takeSeries();
    const sink = new MetricColumns(EPOCH_METRICS, 1);
    sink.append(batch, { step: 100, epoch: 5 });
    const w = sink.takeColumns();
    expect(w.trainLoss).toBeInstanceOf(Float32Array);
    expect(w.trainLoss[0]).toBe(Math.fround(0.1));
    expect(w.improved).toBeInstanceOf(Uint8Array);
    expect(Array.from(w.epoch)).toEqual([7, 5]);
    expect(Array.from(w.step)).toEqual([140, 100]);
    expect(Array.from(w.bestEpoch)).toEqual([0, 7]);
    for (const k of fieldsOf(EPOCH_METRICS)) expect(w[k].length).toBe(2 * widthOf(EPOCH_METRICS[k], 1));
  });

  it('Run.train gives the columns of Run.step (rows are a view for tests only)', () => {
    const cfg = defaultConfig();
    cfg.data.name = 'xor';
    cfg.data.samples = 100;
    const a = new Run(cfg).train(30);
    const b = new Run(cfg).step(30);
    const L = 3;
    expect(rowsOf(STEP_METRICS, a.steps, L)).toEqual(b.steps);
    expect(rowsOf(EPOCH_METRICS, a.epochs, L)).toEqual(b.epochs);
    expect(b.epochs.length).toBeGreaterThan(0);
    expect(typeof b.epochs[0].improved).toBe('boolean');
    expect(b.steps[29].updateRatio).toBeInstanceOf(Float32Array);
  });
});
