// The headless runner's code path (scripts/train.ts main), on an example config and on bad input.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, UsageError } from './train';

async function runCli(argv: string[]) {
  const lines: string[] = [];
  const code = await main(argv, (l) => lines.push(l));
  return { code, records: lines.map((l) => JSON.parse(l)) };
}

function tempConfig(json: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'descent-train-'));
  const path = join(dir, 'cfg.json');
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
  return path;
}

describe('npm run train', () => {
  it('examples/xor.json: one JSON line per epoch, then a summary; XOR is learned', async () => {
    const { code, records } = await runCli(['--config', 'examples/xor.json']);
    expect(code).toBe(0);
    const epochs = records.filter((r) => r.type === 'epoch');
    const summary = records[records.length - 1];
    expect(epochs.length).toBe(100);
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(summary.type).toBe('summary');
    expect(summary.status).toBe('finished');
    expect(summary.steps).toBe(epochs[99].step);
    expect(summary.final.valAcc).toBeGreaterThanOrEqual(0.95);
    expect(summary.final.valLoss).toBeCloseTo(epochs[99].valLoss, 5);
  });

  it('the same config and seed reproduce the same numbers; --seed changes them', async () => {
    const a = await runCli(['--config', 'examples/xor.json', '--max-epochs', '3']);
    const b = await runCli(['--config', 'examples/xor.json', '--max-epochs', '3']);
    const c = await runCli(['--config', 'examples/xor.json', '--max-epochs', '3', '--seed', '7']);
    const losses = (r: typeof a) => r.records.filter((x) => x.type === 'epoch').map((x) => x.valLoss);
    expect(losses(a)).toHaveLength(3);
    expect(losses(b)).toEqual(losses(a));
    expect(losses(c)).not.toEqual(losses(a));
  });

  it('a partial config is completed with the defaults', async () => {
    const path = tempConfig({ data: { name: 'circle' }, maxEpochs: 2 });
    const { records } = await runCli(['--config', path]);
    expect(records[records.length - 1]).toMatchObject({ status: 'finished', epochs: 2, network: '2-8-8-2 (P = 114)' });
  });

  it('bad input is refused with a message naming the field', async () => {
    const bad = tempConfig({ optimizer: { lr: -1 }, modle: {}, maxEpochs: 2 });
    await expect(main(['--config', bad], () => {})).rejects.toThrow(/optimizer\.lr: -1 is below the minimum/);
    await expect(main(['--config', bad], () => {})).rejects.toThrow(/modle: unknown field/);
    await expect(main(['--config', tempConfig('{ not json')], () => {})).rejects.toThrow(/not valid JSON/);
    await expect(main(['--config', tempConfig({ maxEpochs: 0 })], () => {})).rejects.toThrow(/maxEpochs is 0/);
    await expect(main([], () => {})).rejects.toThrow(UsageError);
    await expect(main(['--config', 'x.json', '--max-epochs', 'ten'], () => {})).rejects.toThrow(/--max-epochs must be/);
  });
});
