// The train/validation split's sizes, apart from makeDataset (dataset.ts) so that the page can
// count the training rows (the schedule preview's steps per epoch) without loading the generators,
// the preprocessing and its eigen solver: for n samples at validation fraction f, nVal =
// valCount(n, f) and nTrain = n - nVal.

/** Number of validation samples for n samples at fraction f (at least 1 train and, if f > 0, 1 val). */
export function valCount(n: number, f: number): number {
  if (f <= 0) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(n * f)));
}
