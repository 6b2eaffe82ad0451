import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/defaults';
import { buildLayout } from '../../src/engine/layout';
import {
  makePlan,
  NS_RED,
  nsRegion,
  REC,
  recordFields,
  recordLayout,
  SEG_WORDS,
  segmentTable,
  TRACK_WORDS,
} from './plan';

function bnNet() {
  const c = defaultConfig();
  c.model.hidden = [
    { units: 7, activation: 'relu', dropout: 0.2, batchNorm: true },
    { units: 5, activation: 'tanh', dropout: 0, batchNorm: false },
  ];
  return buildLayout(c.model, 3, 4);
}

/** [start, end) intervals must not overlap and must stay below `limit`. */
function expectDisjoint(spans: [number, number][], limit: number) {
  const s = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < s.length; i++) expect(s[i][0]).toBeGreaterThanOrEqual(s[i - 1][1]);
  for (const [, b] of s) expect(b).toBeLessThanOrEqual(limit);
}

describe('makePlan', () => {
  it('gives each hidden W (3-7-5-4: W[7, 3], W[5, 7]) its own Newton-Schulz region, named in the segment table', () => {
    const p = makePlan(bnNet(), 2, 10, 4);
    // red | X, Y [n, k] | A, B [n, n], n = min(rows, cols)
    expect(nsRegion(7, 3)).toBe(NS_RED + 2 * 21 + 2 * 9);
    expect(nsRegion(5, 7)).toBe(NS_RED + 2 * 35 + 2 * 25);
    expect(p.layers.map((l) => l.ns)).toEqual([0, nsRegion(7, 3), -1]);
    expect(p.nsRun).toBe(nsRegion(7, 3) + nsRegion(5, 7));
    const t = segmentTable(p);
    const W = p.segments.flatMap((s, k) => (s.kind === 'W' ? [k] : []));
    // hidden W: rows O in word 5 and the region in word 7; the output W has none (-1 as u32)
    expect(W.map((k) => [t[k * SEG_WORDS + 5], t[k * SEG_WORDS + 7]])).toEqual([
      [7, 0],
      [5, nsRegion(7, 3)],
      [0, 0xffffffff],
    ]);
  });

  it('gives every activation and gradient region of a run its own span', () => {
    const p = makePlan(bnNet(), 3, 10, 4);
    const acts: [number, number][] = [];
    const grads: [number, number][] = [];
    for (const l of p.layers) {
      const n = p.rows * l.O;
      for (const off of [l.z, l.u, l.h, l.o]) if (off >= 0) acts.push([off, off + n]);
      if (l.bnStats >= 0) acts.push([l.bnStats, l.bnStats + 3 * l.O]);
      grads.push([l.dZ, l.dZ + n]);
      if (l.dU >= 0) grads.push([l.dU, l.dU + n]);
    }
    expectDisjoint(acts, p.aRun);
    expectDisjoint(grads, p.dRun);
    expect(p.layers[0].u).toBeGreaterThanOrEqual(0);
    expect(p.layers[2].h).toBe(-1); // the output layer keeps logits only
  });

  it('lays out the state sections for R runs back to back', () => {
    const layout = bnNet();
    const p = makePlan(layout, 2, 8, 4);
    const { P, SS } = p;
    expect([p.theta, p.grad, p.m, p.v, p.prev, p.stats, p.prevStats]).toEqual([
      0,
      2 * P,
      4 * P,
      6 * P,
      8 * P,
      10 * P,
      10 * P + 2 * SS,
    ]);
    expect(p.stateSize).toBe(10 * P + 4 * SS);
  });

  it('cuts theta into parameter segments that cover it exactly once, then activation segments', () => {
    const layout = bnNet();
    const p = makePlan(layout, 1, 6, 2);
    const params = p.segments.slice(0, p.nParamSeg);
    expect(params.reduce((s, x) => s + x.len, 0)).toBe(layout.size);
    expectDisjoint(
      params.map((s) => [s.off, s.off + s.len]),
      layout.size,
    );
    expect(p.segments.slice(p.nParamSeg).map((s) => s.kind)).toEqual(['h', 'h']);
    const gamma = params.find((s) => s.kind === 'gamma')!;
    expect(gamma.batchStats).toBe(p.layers[0].bnStats);
    const t = segmentTable(p);
    expect(t.length).toBe(p.segments.length * SEG_WORDS);
    expect(Array.from(t.subarray(0, 4))).toEqual([0, params[0].off, params[0].len, 0]);
  });

  it('places records, the divergence track and the weight flags one after another', () => {
    const p = makePlan(bnNet(), 3, 4, 5);
    expect(p.M).toBe(recordLayout(p.L).M);
    expect(p.trackOff).toBe(5 * 3 * p.M);
    expect(p.flagsOff).toBe(p.trackOff + 3 * TRACK_WORDS);
    expect(p.recSize).toBe(p.flagsOff + 3 * p.nParamSeg);
  });

  it('derives the step record from the metrics table at the words the kernels write', () => {
    // loss.wgsl / fused_mlp.wgsl: dataLoss at +1, correct at +2, eval sums at recWord 4 (train) and 6 (val);
    // update.wgsl / fused/update.wgsl: loss at +0, gradNorm at +8 + layer, updateRatio at +8 + L + layer
    const p = makePlan(bnNet(), 2, 4, 3);
    expect(p.L).toBe(3);
    const header = { loss: 0, dataLoss: 1, correct: 2, trainLoss: 4, trainCorrect: 5, valLoss: 6, valCorrect: 7 };
    expect(p.rec).toMatchObject({ ...header, gradNorm: 8, updateRatio: 8 + p.L });
    expect(REC).toMatchObject(header);
    // every word belongs to one field: scalar fields 1 word, per-layer fields L words
    const fields = recordFields();
    expect(p.M).toBe(fields.reduce((m, f) => m + (f.perLayer ? p.L : 1), 0));
    const words = fields.flatMap((f) => Array.from({ length: f.perLayer ? p.L : 1 }, (_, j) => p.rec[f.name] + j));
    expect(words).toEqual(Array.from({ length: p.M }, (_, w) => w));
  });

  it('rejects empty shapes with the values named', () => {
    expect(() => makePlan(bnNet(), 0, 4, 4)).toThrow(/R, rows and slots/);
  });
});
