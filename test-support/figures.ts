// The figures the hardening suite proves itself with (inputs tried and outcomes, faults injected
// and survived, memory at the start and end of each soak). Every robust test records its
// figures here: printed at once, and written to test-results/robust/<scale>/<name>.json so
// that `npm run test:robust` (scripts/robust.ts) can print one summary after all stages (only
// the groups written since it started: other test runs in the same checkout write there too).
// Node only (tests and scripts); the browser specs write the same files from Playwright.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** 'full' under `npm run test:robust` (ROBUST_SCALE=full): long soaks, more fuzz inputs. */
export type RobustScale = 'fast' | 'full';

export function robustScale(): RobustScale {
  return process.env.ROBUST_SCALE === 'full' ? 'full' : 'fast';
}

/** Where this scale's figures go. */
export const figuresDir = (scale: RobustScale = robustScale()) => join(process.cwd(), 'test-results', 'robust', scale);

/** Picks the fast or the full size of a test by the current scale. */
export function scaled(fast: number, full: number): number {
  return robustScale() === 'full' ? full : fast;
}

export type Figures = Record<string, unknown>;

/** Prints and stores one group of figures, e.g. recordFigures('config-fuzz', { tried: 1200, ... }). */
export function recordFigures(name: string, figures: Figures): void {
  const entry = { name, scale: robustScale(), at: new Date().toISOString(), figures };
  console.log(`[figures] ${name}: ${JSON.stringify(figures)}`);
  try {
    mkdirSync(figuresDir(), { recursive: true });
    writeFileSync(join(figuresDir(), `${name}.json`), `${JSON.stringify(entry, null, 2)}\n`);
  } catch (e) {
    // The figures were printed above; a read-only checkout only loses the summary file.
    console.log(`[figures] could not write ${name}.json: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export interface StoredFigures {
  name: string;
  scale: RobustScale;
  at: string;
  figures: Figures;
}

/** Every group recorded at this scale since `since` (ISO time), for the summary of scripts/robust.ts. */
export function readAllFigures(since = '', dir = figuresDir()): StoredFigures[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as StoredFigures)
    .filter((g) => g.at >= since);
}
