// The race's fused loss and gradient (racePlan.ts) with its plan kept from step to step, against
// the engine's lossAndGrad run by run over the same kernels' per-run ops (the numbers each run gets
// trained alone; the builds differ from each other and from the TypeScript ops in the last bits):
// data loss, correct count and every gradient float bit for bit, over the changes a plan must notice: new batch
// contents in the same array and in another array, runs in another order (other weights in a
// run's slot), a run with a batch of its own (more batch slots), a run leaving, another op call of
// the same kernels between two steps (its arrays must not land on the plan), and a disposed plan.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Activation,
  buildLayout,
  decayMask,
  defaultConfig,
  initBnStats,
  initParams,
  lossAndGrad,
  Rng,
} from '../../src/engine';
import type { RaceCache, RaceLossAndGrad, RaceMember, RaceShape } from './racePlan';
import { wasmOps } from './wasmLoad';
import type { WasmKind } from './wasmOps';

const relaxedRuns = WebAssembly.validate(readFileSync(new URL('./wasm/build/dense-relaxed.wasm', import.meta.url)));
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe.each([
  ['simd', true],
  ['relaxed-simd', relaxedRuns],
] as [WasmKind, boolean][])('%s build: a race plan kept between steps', (kind, runs) => {
  it.runIf(runs)(
    'gives the engine’s loss, correct count and gradient bit for bit as the runs and batches change',
    async () => {
      const ops = (await wasmOps([kind], 1))!.ops;
      const race = ops.raceLossAndGrad as RaceLossAndGrad;
      expect(race).toBeTypeOf('function');
      const [I, C, B] = [3, 4, 16];
      const cfg = defaultConfig();
      cfg.model.loss = 'softmaxCE';
      const acts: Activation[] = ['tanh', 'relu'];
      cfg.model.hidden = [12, 9].map((units, l) => ({ units, activation: acts[l], dropout: 0, batchNorm: false }));
      const layout = buildLayout(cfg.model, I, C);
      const L = layout.layers.length;
      const shape: RaceShape = {
        widths: [I, ...layout.layers.map((l) => l.outDim)],
        acts,
        wOff: layout.layers.map((l) => l.w),
        bOff: layout.layers.map((l) => l.b),
      };
      expect(L).toBe(3);
      const rng = new Rng(5);
      const batch = () => Float32Array.from({ length: B * I }, () => rng.uniform() * 4 - 2);
      const labels = Int32Array.from({ length: B }, () => Math.floor(rng.uniform() * C));
      // four runs with weights and gradients in the kernels' memory
      const members: RaceMember[] = [0, 1, 2, 3].map((r) => {
        const theta = ops.alloc!(layout.size)!;
        theta.set(initParams(layout, cfg.model, new Rng(100 + r)));
        return { theta, grad: ops.alloc!(layout.size)!, x: new Float32Array(0), y: labels };
      });
      const [A, Bm, Cm, D] = members;
      const mask = decayMask(layout, false);
      const reg = { ...cfg.reg, l1: 0, l2: 0, l1Act: 0 };
      const cache: RaceCache = {};
      const loss = new Float64Array(4);
      const correct = new Float64Array(4);
      const check = (what: string, group: RaceMember[]) => {
        for (const m of group) m.grad.fill(Number.NaN);
        expect(race(shape, B, group, loss, correct, cache), what).toBe(true);
        group.forEach((m, r) => {
          const opts = { train: true, model: cfg.model, dropoutSeed: 0, step: 0, ops };
          const ref = lossAndGrad(layout, m.theta.slice(), initBnStats(layout), m.x, m.y, B, opts, reg, mask);
          expect(loss[r], `${what}: loss of run ${r}`).toBe(ref.dataLoss);
          expect(correct[r], `${what}: correct of run ${r}`).toBe(ref.correct);
          expect(bits(m.grad), `${what}: gradient of run ${r}`).toEqual(bits(ref.grad as Float32Array));
        });
      };
      const x1 = batch();
      for (const m of members) m.x = x1;
      check('first step', [A, Bm, Cm]);
      x1.set(batch()); // a gathered batch: the same array, new rows
      check('new rows in the same array', [A, Bm, Cm]);
      const x2 = batch();
      for (const m of members) m.x = x2;
      check('another array', [A, Bm, Cm]);
      // a call of the same ops between two steps (its arrays are laid out in the per-call scratch)
      ops.forward(batch(), batch().subarray(0, 12 * I), batch().subarray(0, 12), B, I, 12, 'tanh');
      ops.poison();
      check('after another op call', [A, Bm, Cm]);
      check('runs in another order', [Cm, A, Bm]);
      check('another run in a slot', [D, A, Bm]);
      Bm.x = batch();
      check('a run with a batch of its own', [D, A, Bm]);
      D.x = batch();
      check('two runs with batches of their own', [D, A, Bm]);
      D.x = x2;
      Bm.x = x2;
      Bm.y = Int32Array.from(labels).reverse();
      check('labels of its own', [D, A, Bm]);
      check('a run left', [D, Bm]);
      check('four runs', [A, Bm, Cm, D]);
      cache.plan?.dispose();
      // given back: the memory goes to the next alloc (first fit: where the plan began), the next step makes a new plan
      const taken = ops.alloc!(256)!;
      taken.fill(-1);
      check('after dispose', [A, Bm, Cm, D]);
      ops.release!(taken);
    },
  );
});
