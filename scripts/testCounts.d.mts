// Types of testCounts.mjs (plain JavaScript so `npm test` needs only node).
export interface Counts {
  passed: number;
  failed: number;
  notes: string[];
}
export function countUnit(report: unknown): Counts;
export function countBrowser(report: unknown): Counts;
export function countAll(r: { unit: unknown; e2e: unknown; stages: [string, boolean][] }): Counts;
export function filesWithFailedTests(report: unknown): string[];
// biome-ignore lint/suspicious/noExplicitAny: a Vitest JSON report, passed through
export function withRerun(first: any, rerun: unknown): any;
