// Muon's Newton-Schulz WGSL (kernels/lib/newton_schulz.wgsl through the newton_schulz5 kernel)
// against the engine's newtonSchulz5 (src/engine/optimizers/muon.ts, float64) on seeded random
// matrices: square, rows < cols, rows > cols (transposed inside), the arena's 1x2, and sizes that
// are not multiples of the 64 invocations. O's singular values sit near 1 (0.68..1.13 after the
// five quintic steps), so |O| entries are about 1/sqrt(max(rows, cols)): atol scales with that.
import { newtonSchulz5 } from '../../../../src/engine/optimizers/muon';
import { packUniform } from '../../kernels';
import { nsRegion } from '../../plan';
import { type CaseFn, newRng, randn } from '../util';
import { type Validation, validateResult } from '../validate';

const SHAPES: [number, number][] = [
  [1, 2],
  [3, 7],
  [7, 3],
  [8, 8],
  [5, 64],
  [64, 20],
  [33, 100],
  [100, 17],
  [48, 48],
];

export const newtonSchulzCase: CaseFn = async (k, seed) => {
  const out: Validation[] = [];
  const rng = newRng(seed);
  for (const [rows, cols] of SHAPES) {
    // a gradient-like matrix: a random one plus a strong rank-1 part (a spread of singular values)
    const base = randn(rng, rows * cols, 0.3);
    const a = randn(rng, rows);
    const b = randn(rng, cols);
    const u = base.map((x, i) => x + a[Math.floor(i / cols)] * b[i % cols]);
    const o = k.poisoned(rows * cols);
    await k.dispatch(
      'newton_schulz5',
      {},
      [k.uniform(packUniform('newton_schulz5', { rows, cols })), k.upload(u), k.poisoned(nsRegion(rows, cols)), o],
      [1, 1, 1],
    );
    const got = await k.readF32(o, rows * cols);
    const ref = new Float64Array(rows * cols);
    newtonSchulz5(u, rows, cols, ref);
    const scale = 1 / Math.sqrt(Math.max(rows, cols));
    out.push(validateResult(`newton_schulz5 ${rows}x${cols}`, got, ref, 2e-5 * scale, 1e-4));
    k.endCase();
  }
  return out;
};
