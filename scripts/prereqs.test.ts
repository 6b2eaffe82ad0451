// npm test on a fresh machine (issue 11 §7): the decision (nothing to do, install with apt-get,
// or stop with the exact command) and the install run, with fake packages and a fake apt-get.
import { describe, expect, it } from 'vitest';
import { ensurePrereqs, findChromium, planPrereqs, SYSTEM_PACKAGES } from './prereqs.mjs';

const chromium = { pkg: 'chromium', why: 'browser tests' };
const torch = { pkg: 'python3-torch', why: 'PyTorch parity' };

describe('planPrereqs', () => {
  it('nothing missing: nothing to do', () => {
    expect(planPrereqs({ missing: [], isRoot: false, hasAptGet: false })).toEqual({ action: 'none' });
  });

  it('root with apt-get: one update, then one install of everything missing', () => {
    expect(planPrereqs({ missing: [chromium, torch], isRoot: true, hasAptGet: true })).toEqual({
      action: 'install',
      packages: ['chromium', 'python3-torch'],
      commands: [
        ['apt-get', ['update']],
        ['apt-get', ['install', '-y', 'chromium', 'python3-torch']],
      ],
    });
  });

  it('not root, or no apt-get: fail with the exact command and why each package is needed', () => {
    for (const [isRoot, hasAptGet] of [
      [false, true],
      [true, false],
      [false, false],
    ]) {
      const p = planPrereqs({ missing: [torch], isRoot, hasAptGet });
      expect(p.action).toBe('fail');
      if (p.action !== 'fail') return;
      expect(p.command).toBe('sudo apt-get update && sudo apt-get install -y python3-torch');
      expect(p.message).toContain(p.command);
      expect(p.message).toContain('python3-torch: PyTorch parity');
    }
  });
});

describe('ensurePrereqs', () => {
  /** Fake packages whose presence flips when the fake apt-get installs them. */
  function machine(installed: string[], aptWorks = true, aptInstalls = aptWorks) {
    const have = new Set(installed);
    const calls: string[] = [];
    const packages = SYSTEM_PACKAGES.map((p) => ({ ...p, present: () => have.has(p.pkg) }));
    const run = (cmd: string, args: string[]) => {
      calls.push(`${cmd} ${args.join(' ')}`);
      if (aptInstalls && args[0] === 'install') for (const a of args.slice(2)) have.add(a);
      return aptWorks;
    };
    const log: string[] = [];
    return { packages, run, calls, log, logFn: (s: string) => log.push(s) };
  }

  it('installs what is missing as root, saying what and why, then checks again', () => {
    const m = machine(['chromium']);
    const ok = ensurePrereqs({
      env: {},
      packages: m.packages,
      run: m.run,
      log: m.logFn,
      isRoot: true,
      hasAptGet: true,
    });
    expect(ok).toBe(true);
    expect(m.calls).toEqual(['apt-get update', 'apt-get install -y python3-torch']);
    expect(m.log[0]).toMatch(/^installing python3-torch \(missing\): the PyTorch parity test/);
  });

  it('DESCENT_TREAT_AS_MISSING exercises the install path on a machine that has everything', () => {
    const m = machine(['chromium', 'python3-torch']);
    const env = { DESCENT_TREAT_AS_MISSING: 'chromium,python3-torch' };
    expect(ensurePrereqs({ env, packages: m.packages, run: m.run, log: m.logFn, isRoot: true, hasAptGet: true })).toBe(
      true,
    );
    expect(m.calls).toEqual(['apt-get update', 'apt-get install -y chromium python3-torch']);
    // and nothing is run when nothing is missing
    const n = machine(['chromium', 'python3-torch']);
    expect(
      ensurePrereqs({ env: {}, packages: n.packages, run: n.run, log: n.logFn, isRoot: true, hasAptGet: true }),
    ).toBe(true);
    expect(n.calls).toEqual([]);
  });

  it('not root: runs nothing and fails at once with the command', () => {
    const m = machine([]);
    const ok = ensurePrereqs({
      env: {},
      packages: m.packages,
      run: m.run,
      log: m.logFn,
      isRoot: false,
      hasAptGet: true,
    });
    expect(ok).toBe(false);
    expect(m.calls).toEqual([]);
    expect(m.log.join('\n')).toContain('sudo apt-get update && sudo apt-get install -y chromium python3-torch');
  });

  it('a failing apt-get, or a package still missing after it, fails', () => {
    const m = machine([], false);
    expect(
      ensurePrereqs({ env: {}, packages: m.packages, run: m.run, log: m.logFn, isRoot: true, hasAptGet: true }),
    ).toBe(false);
    expect(m.calls).toEqual(['apt-get update']); // stops at the first failure
    expect(m.log.at(-1)).toMatch(/apt-get update failed; install by hand/);
    const n = machine(['chromium'], true, false); // apt-get succeeds but torch still does not import
    expect(
      ensurePrereqs({ env: {}, packages: n.packages, run: n.run, log: n.logFn, isRoot: true, hasAptGet: true }),
    ).toBe(false);
    expect(n.log.at(-1)).toMatch(/^python3-torch is still missing after apt-get install/);
  });

  it('the real checks find this machine’s Chromium and PyTorch', () => {
    // The test machine has both (README): a check that cannot find them would install on every run.
    expect(findChromium()).not.toBeNull();
    for (const p of SYSTEM_PACKAGES) expect(p.present(), p.pkg).toBe(true);
  });
});
