// What `npm test` needs beyond node_modules, checked before any test runs (test-all.mjs):
//   chromium        the browser tests run in headless Chromium (found as e2e/chromium.ts says:
//                   $CHROMIUM_PATH, Playwright's own browser, then Debian's /usr/bin/chromium)
//   python3-torch   the PyTorch parity test runs the exported training scripts in PyTorch, with
//                   Debian's own /usr/bin/python3 (the first python3 on PATH may be another one)
// When some are missing and the command runs as root where apt-get exists (Debian, CI), it
// installs them itself: one `apt-get update`, one `apt-get install -y <all missing>`, saying what
// and why. Otherwise it stops at once and prints the exact command to run.
//
// DESCENT_TREAT_AS_MISSING=chromium,python3-torch makes the first check treat those packages as
// missing (to exercise the install path on a machine that has them: installing an installed
// package is a no-op); the check after installing is always the real one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function findChromium() {
  const env = process.env.CHROMIUM_PATH;
  if (env && existsSync(env)) return env;
  try {
    // Loaded here, not imported: without node_modules the check still runs (and says what is missing).
    const own = require('playwright-core').chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // playwright-core absent, or without a downloaded browser: fall through.
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null;
}

export const DEBIAN_PYTHON = '/usr/bin/python3';

function torchImports() {
  if (!existsSync(DEBIAN_PYTHON)) return false;
  return spawnSync(DEBIAN_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

/** The system packages `npm test` needs, each with why and how to tell it is there. */
export const SYSTEM_PACKAGES = [
  { pkg: 'chromium', why: 'the browser tests run in headless Chromium', present: () => findChromium() !== null },
  {
    pkg: 'python3-torch',
    why: `the PyTorch parity test runs the exported scripts in PyTorch with ${DEBIAN_PYTHON}`,
    present: torchImports,
  },
];

/**
 * The decision, pure: nothing missing -> 'none'; root with apt-get -> 'install' (update once,
 * then install all); else 'fail' with the exact command.
 * @param {{ missing: { pkg: string, why: string }[], isRoot: boolean, hasAptGet: boolean }} s
 */
export function planPrereqs({ missing, isRoot, hasAptGet }) {
  if (missing.length === 0) return { action: 'none' };
  const names = missing.map((m) => m.pkg);
  if (isRoot && hasAptGet)
    return {
      action: 'install',
      packages: names,
      commands: [
        ['apt-get', ['update']],
        ['apt-get', ['install', '-y', ...names]],
      ],
    };
  const command = `sudo apt-get update && sudo apt-get install -y ${names.join(' ')}`;
  const why = missing.map((m) => `  ${m.pkg}: ${m.why}`);
  const how = hasAptGet
    ? `Run:\n  ${command}\nthen npm test again.`
    : `On Debian: ${command}\n(without apt-get, install Chromium and PyTorch for ${DEBIAN_PYTHON} your own way; ` +
      'CHROMIUM_PATH may name a Chromium binary).';
  return {
    action: 'fail',
    command,
    message: `npm test needs system packages that are missing:\n${why.join('\n')}\n${how}`,
  };
}

/**
 * Checks, installs if it may, checks again. Returns true when everything is there.
 * @param {{ env?: NodeJS.ProcessEnv, log?: (s: string) => void, run?: (cmd: string, args: string[]) => boolean,
 *           packages?: typeof SYSTEM_PACKAGES, isRoot?: boolean, hasAptGet?: boolean }} o
 */
export function ensurePrereqs(o = {}) {
  const env = o.env ?? process.env;
  const log = o.log ?? console.log;
  const packages = o.packages ?? SYSTEM_PACKAGES;
  const run =
    o.run ??
    ((cmd, args) =>
      spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status ===
      0);
  const treat = new Set((env.DESCENT_TREAT_AS_MISSING ?? '').split(',').filter(Boolean));
  const missing = packages.filter((p) => treat.has(p.pkg) || !p.present());
  const plan = planPrereqs({
    missing,
    isRoot: o.isRoot ?? process.getuid?.() === 0,
    hasAptGet: o.hasAptGet ?? spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0,
  });
  if (plan.action === 'none') return true;
  if (plan.action === 'fail') {
    log(plan.message);
    return false;
  }
  for (const m of missing) log(`installing ${m.pkg} (missing): ${m.why}`);
  for (const [cmd, args] of plan.commands) {
    log(`$ ${cmd} ${args.join(' ')}`);
    if (!run(cmd, args)) {
      log(
        `${cmd} ${args.join(' ')} failed; install by hand: apt-get update && apt-get install -y ${plan.packages.join(' ')}`,
      );
      return false;
    }
  }
  const still = missing.filter((p) => !p.present());
  for (const p of still) log(`${p.pkg} is still missing after apt-get install: ${p.why}`);
  return still.length === 0;
}
