// The figures the hardening suite proves itself with (inputs tried and outcomes, faults injected
// and survived, memory at the start and end of each soak). Every robust test records its
// figures here: printed at once, and written to test-results/robust/<name>.json so that
// `npm run test:robust` (scripts/robust.ts) can print one summary after all stages.
// Node only (tests and scripts); the browser specs write the same files from Playwright.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIGURES_DIR = join(process.cwd(), 'test-results', 'robust');

/** 'full' under `npm run test:robust` (ROBUST_SCALE=full): long soaks, more fuzz inputs. */
export type RobustScale = 'fast' | 'full';

export function robustScale(): RobustScale {
  return process.env.ROBUST_SCALE === 'full' ? 'full' : 'fast';
}

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
    mkdirSync(FIGURES_DIR, { recursive: true });
    writeFileSync(join(FIGURES_DIR, `${name}.json`), `${JSON.stringify(entry, null, 2)}\n`);
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

/** Every group recorded so far (for the summary of scripts/robust.ts). */
export function readAllFigures(dir = FIGURES_DIR): StoredFigures[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as StoredFigures);
}
