// Types of testCounts.mjs (plain JavaScript so `npm test` needs only node).
export interface Counts {
  passed: number;
  failed: number;
  notes: string[];
}
export function countUnit(report: unknown): Counts;
export function countBrowser(report: unknown): Counts;
export function countAll(r: { unit: unknown; e2e: unknown; stages: [string, boolean][] }): Counts;
