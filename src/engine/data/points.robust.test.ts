// CSV import of labelled 2D points: exact reading of good files, every bad row reported with its
// line number and nothing imported, and a Dataset that the engine trains on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordFigures, scaled } from '../../../test-support/figures';
import { defaultConfig, Run } from '..';
import { datasetFromPoints } from './customDataset';
import { csvErrorText, MAX_POINTS, parsePointsCsv } from './points';

/** Two Gaussian clusters at (-1, -1) and (1, 1), labelled a and b, as a file. */
function twoClusters(n: number): string {
  const rows = ['x,y,label'];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const s = c === 0 ? -1 : 1;
    rows.push(`${s + 0.3 * Math.sin(i * 1.7)},${s + 0.3 * Math.cos(i * 2.3)},${c === 0 ? 'a' : 'b'}`);
  }
  return rows.join('\n');
}

describe('parsePointsCsv', () => {
  it('reads headers in any order, quotes, separators, decimal commas, comments and a BOM', () => {
    const a = parsePointsCsv('\uFEFF# two classes\nlabel,y,x\n0,2,1\n1,4,3\n\n"1","6","5"\n');
    const b = parsePointsCsv('x;y;label\n1,0;2;cat\n3;4;"dog"\n5;6;cat\n');
    const c = parsePointsCsv('1\t2\t7\n3\t4\t-2\n5\t6\t7\n');
    // Too few points to train, but each read correctly: check through the error-free path below.
    for (const r of [a, b, c]) expect(r.ok).toBe(false);
    const pad = (text: string, row: string) => text + `${row}\n`.repeat(20);
    const ra = parsePointsCsv(pad('label,y,x\n0,2,1\n1,4,3\n', '1,6,5'));
    expect(ra.ok && Array.from(ra.points.x.slice(0, 6))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ra.ok && ra.points.classNames).toEqual(['0', '1']);
    const rb = parsePointsCsv(pad('x;y;label\n1,5;2;cat\n3;4;"dog"\n', '5;6;cat'));
    expect(rb.ok && Array.from(rb.points.x.slice(0, 2))).toEqual([1.5, 2]);
    expect(rb.ok && rb.points.classNames).toEqual(['cat', 'dog']);
    expect(rb.ok && Array.from(rb.points.labels.slice(0, 3))).toEqual([0, 1, 0]);
    // Whole-number labels are ordered numerically, so "-2" is class 0 and "7" class 1.
    const rc = parsePointsCsv(pad('1\t2\t7\n3\t4\t-2\n', '5\t6\t7'));
    expect(rc.ok && rc.points.classNames).toEqual(['-2', '7']);
    expect(rc.ok && Array.from(rc.points.labels.slice(0, 2))).toEqual([1, 0]);
  });

  it('reports each bad row with its line number and imports nothing', () => {
    const lines = twoClusters(40).split('\n');
    lines[3] = '0.5,abc,a'; // line 4
    lines[10] = '0.5,0.5'; // line 11
    lines[15] = '"0.5,0.5,b'; // line 16
    lines[20] = 'NaN,1,a'; // line 21
    lines[25] = '1,1e999,a'; // line 26
    lines[30] = '1,1,'; // line 31
    const r = parsePointsCsv(lines.join('\n'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map(csvErrorText)).toEqual([
      'line 4: y is not a finite number: "abc"',
      'line 11: expected 3 columns (x, y, label), found 2',
      'line 16: a quote is not closed',
      'line 21: x is not a finite number: "NaN"',
      'line 26: y is not a finite number: "1e999"',
      'line 31: the label is empty',
    ]);
  });

  it('refuses whole-file problems: one class, too many classes, too few or too many points, a bad header', () => {
    const msg = (t: string) => {
      const r = parsePointsCsv(t);
      return r.ok ? 'ok' : r.errors.map(csvErrorText).join('; ');
    };
    expect(msg(twoClusters(40).replaceAll(',b', ',a'))).toMatch(/every point has the label "a"/);
    expect(msg(Array.from({ length: 30 }, (_, i) => `${i},${i},${i}`).join('\n'))).toMatch(/30 different labels/);
    expect(msg(twoClusters(5))).toMatch(/5 points; at least 20/);
    expect(msg(twoClusters(MAX_POINTS + 10))).toMatch(/more than 5000 points/);
    expect(msg(`a,b,c\n${twoClusters(30).split('\n').slice(1).join('\n')}`)).toMatch(/line 1: .*missing x, y, label/);
    expect(msg('')).toMatch(/no rows/);
  });

  it('under random damage, reports exactly the damaged lines and never throws', () => {
    const damages = ['x,abc', 'drop', 'quote', 'label', 'nan', 'huge'] as const;
    const runs = scaled(300, 3000);
    let tried = 0;
    let refused = 0;
    let imported = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 200 }),
        fc.uniqueArray(fc.nat(199), { maxLength: 12 }),
        fc.array(fc.constantFrom(...damages), { minLength: 12, maxLength: 12 }),
        (n, rows, kinds) => {
          tried++;
          const lines = twoClusters(n).split('\n');
          const hit = rows.filter((r) => r < n).map((r) => r + 1); // index in lines (0 is the header)
          hit.forEach((i, k) => {
            const [x, y, l] = lines[i].split(',');
            lines[i] = {
              'x,abc': `abc,${y},${l}`,
              drop: `${x},${y}`,
              quote: `"${x},${y},${l}`,
              label: `${x},${y},`,
              nan: `${x},NaN,${l}`,
              huge: `1e400,${y},${l}`,
            }[kinds[k]];
          });
          const r = parsePointsCsv(lines.join('\n'));
          if (hit.length === 0) {
            imported++;
            expect(r.ok).toBe(true);
            if (r.ok) expect(r.points.labels.length).toBe(n);
            return;
          }
          refused++;
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.errors.map((e) => e.line)).toEqual(hit.map((i) => i + 1).sort((a, b) => a - b));
        },
      ),
      { numRuns: runs, seed: 99 },
    );
    // Structureless garbage: never an exception, always a verdict.
    const garbage = fc.sample(fc.string({ maxLength: 400 }), { numRuns: runs, seed: 5 });
    for (const g of garbage) expect(() => parsePointsCsv(g)).not.toThrow();
    recordFigures('csv-fuzz', { damagedFilesTried: tried, refused, imported, garbageTried: garbage.length });
  });
});

describe('datasetFromPoints', () => {
  it('splits, preprocesses and trains like a built-in 2D set', () => {
    const r = parsePointsCsv(twoClusters(200));
    if (!r.ok) throw new Error(r.errors.map(csvErrorText).join('\n'));
    const cfg = defaultConfig();
    cfg.data.valFraction = 0.25;
    cfg.data.preprocess = 'standardize';
    const ds = datasetFromPoints(r.points, cfg.data, cfg.seed);
    expect([ds.nTrain, ds.nVal, ds.classes, ds.inputDim]).toEqual([150, 50, 2, 2]);
    // Same seed, same split; every point lands in exactly one split.
    const again = datasetFromPoints(r.points, cfg.data, cfg.seed);
    expect(again.xTrainRaw).toEqual(ds.xTrainRaw);
    const all = [...ds.xTrainRaw, ...ds.xValRaw].sort((a, b) => a - b);
    expect(all).toEqual([...r.points.x].sort((a, b) => a - b));
    // Standardized with training statistics: mean 0 on the training split.
    const mean = ds.xTrain.reduce((a, v, i) => (i % 2 === 0 ? a + v : a), 0) / ds.nTrain;
    expect(Math.abs(mean)).toBeLessThan(1e-5);
    expect(ds.bounds!.xMin).toBeLessThan(-1.2);
    const run = new Run(cfg, ds);
    run.step(300);
    expect(run.status).toBe('ok');
    expect(run.evaluate('val').acc).toBeGreaterThan(0.95);
  });
});
