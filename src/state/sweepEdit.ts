// Editing the sweep from its view: every change goes through the link's validator
// (compare/sweepHash.ts parseSweepConfig), so a field refuses exactly what a link would. Loaded with
// the sweep view (it pulls in the validator), apart from sweepSlice.ts, which the first screen holds.
import type { SweepConfig } from '../compare/sweep';
import { parseSweepConfig } from '../compare/sweepHash';
import { getSweep, setSweepConfig } from './sweepSlice';

/**
 * Change part of the sweep. Returns '' when applied, else the first problem in words with its
 * field ("sweep.lrCount: 20 is not a whole number ..."), and nothing changes.
 */
export function editSweep(patch: Partial<SweepConfig>): string {
  const { sweep, notices } = parseSweepConfig({ ...getSweep().config, ...patch });
  if (notices.length > 0)
    return `${notices[0].path}: ${notices[0].message.replace(/; (using|left out|no extra).*$/, '')}`;
  setSweepConfig(sweep);
  return '';
}
