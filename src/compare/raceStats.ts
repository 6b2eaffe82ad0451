// The live race table's numbers, from one run's metric columns (pure, so they are tested
// without a worker): the best validation accuracy so far, and the first step at which the loss
// on the whole training set reached the chosen target. The target is checked on the per-epoch
// training loss, measured on every training point with the weights of that moment, not on the
// noisy minibatch loss, so "reached" is never a lucky batch; the step is that epoch's last step.

/** Largest finite value of a column (NaN when there is none: regression has no accuracy). */
export function bestOf(column: ArrayLike<number>): number {
  let best = Number.NaN;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (Number.isFinite(v) && !(v <= best)) best = v;
  }
  return best;
}

/** First steps[i] with loss[i] <= target, or -1 if the loss never got there. */
export function firstStepAtOrBelow(loss: ArrayLike<number>, steps: ArrayLike<number>, target: number): number {
  const n = Math.min(loss.length, steps.length);
  for (let i = 0; i < n; i++) if (loss[i] <= target) return steps[i];
  return -1;
}

/**
 * Rows holding the best finite value of a column (every one of them when several tie, none when
 * no row has a value): the leaders the table shows in bold.
 */
export function leaders(values: readonly number[], better: 'min' | 'max'): Set<number> {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return new Set();
  const best = better === 'min' ? Math.min(...finite) : Math.max(...finite);
  return new Set(values.flatMap((v, i) => (v === best ? [i] : [])));
}
