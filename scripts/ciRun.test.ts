// .ci/run is the README's `npm install && npm test` and ends with one line `N passed, N failed`,
// also when npm install fails (issue 11 §7). Run with a stand-in `npm` first on PATH.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'descent-ci-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs a copy of .ci/run with a fake npm whose `install` exits `installStatus`; returns its output lines. */
function ciRun(installStatus: number): { lines: string[]; status: number | null; calls: string[] } {
  const dir = mkdtempSync(join(root, 'repo-'));
  mkdirSync(join(dir, '.ci'));
  mkdirSync(join(dir, 'bin'));
  cpSync(new URL('../.ci/run', import.meta.url), join(dir, '.ci/run'));
  const npm = join(dir, 'bin/npm');
  writeFileSync(
    npm,
    `#!/bin/sh\necho "npm $*" >> "${dir}/calls"\n[ "$1" = install ] && exit ${installStatus}\n` +
      'echo "12 passed, 1 failed"; exit 1\n',
  );
  chmodSync(npm, 0o755);
  const r = spawnSync('bash', [join(dir, '.ci/run')], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` },
  });
  const calls = spawnSync('cat', [join(dir, 'calls')], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n');
  return { lines: `${r.stdout}${r.stderr}`.trim().split('\n'), status: r.status, calls };
}

describe('.ci/run', () => {
  it('runs npm install then npm test, and its last line is npm test’s count', () => {
    const r = ciRun(0);
    expect(r.calls).toEqual(['npm install', 'npm test']);
    expect(r.lines.at(-1)).toBe('12 passed, 1 failed');
    expect(r.status).toBe(1);
  });

  it('a failed npm install ends with `0 passed, 1 failed` and runs no test', () => {
    const r = ciRun(1);
    expect(r.calls).toEqual(['npm install']);
    expect(r.lines.at(-1)).toBe('0 passed, 1 failed');
    expect(r.status).toBe(1);
  });
});
