// Which config changes need a new Run (a rebuild) and which a live Run.setHyper takes: apart from
// trainer.ts so the page's first screen can ask it without the Run and its numerics.
import type { TrainConfig } from './types';

/**
 * True when going from config a to b needs a new Run (new layout, weights or data): the data
 * config except augmentation and shuffle (data.order re-orders the rows: a rebuild), the architecture (layer count, units, activation,
 * batch norm), init scheme and scale, the loss, or the master seed. Everything else (optimizer,
 * learning rate, schedule, regularization, dropout rates and kind, batch size, clipping, early
 * stopping, maxEpochs, batch-norm momentum/eps) is live through Run.setHyper.
 */
export function needsRebuild(a: TrainConfig, b: TrainConfig): boolean {
  const { augmentNoise: _an, augmentAffine: _aa, shuffle: _s, ...da } = a.data;
  const { augmentNoise: _bn, augmentAffine: _ba, shuffle: _bs, ...db } = b.data;
  if (JSON.stringify(da) !== JSON.stringify(db)) return true;
  if (a.seed !== b.seed) return true;
  const ma = a.model;
  const mb = b.model;
  if (ma.init !== mb.init || ma.initScale !== mb.initScale || ma.loss !== mb.loss) return true;
  if (ma.initSeed !== mb.initSeed) return true;
  if (ma.hidden.length !== mb.hidden.length) return true;
  return ma.hidden.some(
    (h, i) =>
      h.units !== mb.hidden[i].units ||
      h.activation !== mb.hidden[i].activation ||
      h.batchNorm !== mb.hidden[i].batchNorm,
  );
}
