// fast-check generators built from the field table: valid configs (for round trips) and
// mangled ones (for "never throws, names the bad field"). Test-only: the app never imports this.
import fc from 'fast-check';
import { FIELDS, type Field, LAYER_FIELDS, MAX_HIDDEN_LAYERS, REGRESSION_DATASETS } from '../src/config/fields';
import { CONFIG_VERSION } from '../src/config/schema';
import type { LayerConfig, TrainConfig } from '../src/engine/types';

export function validValue(f: Field): fc.Arbitrary<unknown> {
  if (f.kind === 'boolean') return fc.boolean();
  if (f.kind === 'enum') return fc.constantFrom(...f.values);
  if (f.integer) return fc.integer({ min: f.min, max: f.max });
  return fc.oneof(
    fc.double({ min: f.min, max: f.max, noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(f.min, f.max),
  );
}

function record(fields: readonly Field[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(...fields.map(validValue)).map((values) => {
    const out: Record<string, unknown> = {};
    fields.forEach((f, i) => {
      const parts = f.path.split('.');
      let cur = out;
      for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
      cur[parts[parts.length - 1]] = values[i];
    });
    return out;
  });
}

export const validLayer: fc.Arbitrary<LayerConfig> = record(
  LAYER_FIELDS,
) as fc.Arbitrary<unknown> as fc.Arbitrary<LayerConfig>;

/** Any config the schema accepts without a notice. */
export const validConfig: fc.Arbitrary<TrainConfig> = fc
  .tuple(record(FIELDS), fc.array(validLayer, { maxLength: MAX_HIDDEN_LAYERS }))
  .map(([r, hidden]) => {
    const cfg = { version: CONFIG_VERSION, ...r } as unknown as TrainConfig;
    cfg.model.hidden = hidden;
    // The cross-field rules: regression data needs the MSE loss; Schedule-Free needs β₁ > 0.
    if (REGRESSION_DATASETS.includes(cfg.data.name)) cfg.model.loss = 'mse';
    if (cfg.optimizer.name === 'schedulefree' && !(cfg.optimizer.beta1 > 0)) cfg.optimizer.beta1 = 0.9;
    return cfg;
  });

/** Values that are wrong for most fields: wrong types, non-finite, huge, negative, markup. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -1,
    1e9,
    -0.5,
    null,
    '',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '__proto__',
    [],
    {},
    { __proto__: { polluted: true } },
  ),
  fc.anything({ maxDepth: 3 }),
  fc.double(),
  fc.string({ maxLength: 30 }),
);
