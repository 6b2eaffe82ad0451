// Imported points through the worker's service, as the page sends them (CreateOptions.points):
// the runs train on the file's points, rebuilds keep them, and bad points are refused by field.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/engine';
import { parsePointsCsv } from '../src/engine/data/points';
import { lossesOf, serviceWithLog } from './testDoubles';

function ring(n: number): string {
  // Inner disc labelled "in", outer ring "out": not linearly separable, like the circle set.
  const rows = ['x,y,label'];
  for (let i = 0; i < n; i++) {
    const a = i * 2.399;
    const r = i % 2 === 0 ? 0.3 + 0.2 * ((i * 7) % 5) * 0.1 : 1.2 + 0.1 * ((i * 3) % 4);
    rows.push(`${(r * Math.cos(a)).toFixed(4)},${(r * Math.sin(a)).toFixed(4)},${i % 2 === 0 ? 'in' : 'out'}`);
  }
  return rows.join('\n');
}

describe('imported points in the worker', () => {
  it('trains on the points, keeps them across a rebuild, and refuses malformed ones naming data.points', async () => {
    const parsed = parsePointsCsv(ring(300));
    if (!parsed.ok) throw new Error('fixture did not parse');
    const { svc, updates } = serviceWithLog();
    const cfg = defaultConfig();
    cfg.optimizer.name = 'adam';
    cfg.optimizer.lr = 0.03;
    const r = await svc.create([cfg], { backend: 'cpu', points: parsed.points });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.dataset).toMatchObject({ name: 'custom', classes: 2, nTrain: 210, nVal: 90 });
    await svc.step(400);
    const losses = lossesOf(updates, 0, r.value.generation);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-40))).toBeLessThan(0.5 * mean(losses.slice(0, 10)));
    // An architecture change rebuilds: still the imported points, not the circle generator.
    const wider = structuredClone(cfg);
    wider.model.hidden[0].units = 12;
    const rebuilt = await svc.setConfigs([wider]);
    expect(rebuilt.ok && rebuilt.value.setup?.dataset.name).toBe('custom');
    // Points that crossed postMessage damaged: refused as a value, and the old runs keep their data.
    const bad = { ...parsed.points, labels: parsed.points.labels.map((l) => l * 5) };
    const refused = await svc.create([cfg], { backend: 'cpu', points: bad });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.problems[0].field).toBe('data.points');
    const again = await svc.setConfigs([cfg]);
    expect(again.ok && again.value.setup?.dataset.name).toBe('custom');
    // A create without points goes back to the generated set.
    const plain = await svc.create([cfg], { backend: 'cpu' });
    expect(plain.ok && plain.value.dataset.name).toBe('circle');
    await svc.dispose();
  });
});
