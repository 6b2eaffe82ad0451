// Bad configs the way they reach Descent: a link pasted into the address bar (hash), a config
// file picked for import (file: JSON text), a value handed to the schema in memory (object),
// and the compare set inside a link (compare). Each generator is tagged with the category of
// damage it does, so the suite can report outcomes per category:
//   malformed  - garbage, mutations, JSON that is not JSON, wrong shapes of sections
//   truncated  - a valid link or file cut short (chat clients, QR readers), fields deleted
//   oversized  - 10^9 units, 10^5 layers, megabyte strings, 10^5-deep nesting, too-long links
//   wrongType  - valid configs with fields replaced by values of other types, NaN, Infinity
//   outdated   - other versions, missing versions, links of the older TensorFlow playground
//   nasty      - a hand-picked list (markup, prototype keys, negative widths, exotic numbers)
// Test-only (fast-check); the app never imports this file.
import fc from 'fast-check';
import { encodeCompare } from '../src/compare/compareHash';
import { defaultCompareConfig } from '../src/compare/compareSet';
import { FIELDS } from '../src/config/fields';
import { encodeHash, MAX_HASH_LENGTH } from '../src/config/urlHash';
import { DEFAULT_CONFIG } from '../src/engine/defaults';
import { nastyValue, validConfig } from './arbitraries';

export type Channel = 'object' | 'file' | 'hash' | 'compare';
export type Category = 'malformed' | 'truncated' | 'oversized' | 'wrongType' | 'outdated' | 'nasty';
export const CATEGORIES: readonly Category[] = [
  'malformed',
  'truncated',
  'oversized',
  'wrongType',
  'outdated',
  'nasty',
];

export interface FuzzInput {
  channel: Channel;
  category: Category;
  /** A string for file/hash/compare, any value for object. */
  input: unknown;
}

type Obj = Record<string, unknown>;
const PATHS = FIELDS.map((f) => f.path);

function put(obj: Obj, path: string, v: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (typeof cur[p] !== 'object' || cur[p] === null) cur[p] = {};
    cur = cur[p] as Obj;
  }
  cur[parts[parts.length - 1]] = v;
}

function remove(obj: Obj, path: string): void {
  const parts = path.split('.');
  let cur: unknown = obj;
  for (const p of parts.slice(0, -1)) cur = (cur as Obj | undefined)?.[p];
  if (typeof cur === 'object' && cur !== null) delete (cur as Obj)[parts[parts.length - 1]];
}

/** An object nested `depth` levels deep, built without recursion. */
export function deepObject(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** JSON text nested `depth` arrays deep (built as text: JSON.stringify would overflow the stack). */
export const deepJsonText = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

const hugeString = (n: number) => `<script>alert(1)</script>${'x'.repeat(n)}`;

// -------------------------------------------------------------------- objects (and their JSON)

const withFields = (values: fc.Arbitrary<unknown>, maxFields: number) =>
  fc
    .tuple(validConfig, fc.array(fc.tuple(fc.constantFrom(...PATHS), values), { minLength: 1, maxLength: maxFields }))
    .map(([cfg, edits]) => {
      const o = structuredClone(cfg) as unknown as Obj;
      for (const [p, v] of edits) put(o, p, v);
      return o;
    });

const wrongTypeObject = fc.oneof(
  withFields(nastyValue, 5),
  withFields(fc.oneof(fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null), fc.array(fc.integer())), 3),
  fc.tuple(validConfig, fc.nat(7), nastyValue).map(([cfg, i, v]) => {
    const o = structuredClone(cfg) as unknown as { model: { hidden: unknown[] } };
    const layers = o.model.hidden;
    if (layers.length === 0) layers.push({ units: v, activation: 'relu' });
    else (layers[i % layers.length] as Obj)[['units', 'activation', 'dropout', 'batchNorm'][i % 4]] = v;
    return o;
  }),
);

const SECTIONS = ['data', 'model', 'reg', 'optimizer', 'schedule', 'earlyStop', 'model.hidden'];
const malformedObject = fc.oneof(
  fc.anything({ maxDepth: 4 }),
  fc.tuple(validConfig, fc.constantFrom(...SECTIONS), nastyValue).map(([cfg, s, v]) => {
    const o = structuredClone(cfg) as unknown as Obj;
    put(o, s, v);
    return o;
  }),
  fc
    .tuple(validConfig, fc.dictionary(fc.string({ maxLength: 12 }), nastyValue, { maxKeys: 8 }))
    .map(([cfg, extra]) => ({
      ...extra,
      ...cfg,
      ...extra,
    })),
);

const truncatedObject = fc.tuple(validConfig, fc.subarray([...PATHS, ...SECTIONS, 'version'])).map(([cfg, drop]) => {
  const o = structuredClone(cfg) as unknown as Obj;
  for (const p of drop) remove(o, p);
  return o;
});

const oversizedObject = fc.oneof(
  withFields(fc.constantFrom(1e9, 1e308, Number.MAX_VALUE, -1e308, 2 ** 53 + 1, 1e-320), 4),
  fc.tuple(validConfig, fc.integer({ min: 9, max: 20_000 })).map(([cfg, n]) => {
    const o = structuredClone(cfg);
    o.model.hidden = Array.from({ length: n }, () => ({ ...DEFAULT_CONFIG.model.hidden[0], units: 1e9 }));
    return o;
  }),
  fc.tuple(validConfig, fc.constantFrom(...PATHS), fc.integer({ min: 1_000, max: 200_000 })).map(([cfg, p, n]) => {
    const o = structuredClone(cfg) as unknown as Obj;
    put(o, p, hugeString(n));
    return o;
  }),
  fc.tuple(validConfig, fc.integer({ min: 10, max: 20_000 }), fc.boolean()).map(([cfg, n, hugeFirst]) => {
    const o: Obj = {};
    if (hugeFirst) o[hugeString(50_000)] = 'a key of 50,000 characters';
    for (let i = 0; i < n; i++) o[`extra${i}<b>`] = i;
    Object.assign(o, structuredClone(cfg));
    (o.optimizer as Obj)[hugeString(n)] = 'a long unknown key inside a section';
    return o;
  }),
  fc
    .tuple(validConfig, fc.constantFrom(...PATHS, ...SECTIONS), fc.integer({ min: 100, max: 100_000 }))
    .map(([cfg, p, depth]) => {
      const o = structuredClone(cfg) as unknown as Obj;
      put(o, p, deepObject(depth));
      return o;
    }),
);

/** The older TensorFlow playground's state, as someone might paste it into an import. */
const TF_PLAYGROUND = {
  activation: 'tanh',
  batchSize: 10,
  dataset: 'circle',
  learningRate: 0.03,
  regularization: null,
  regularizationRate: 0,
  noise: 0,
  networkShape: [4, 2],
  seed: '0.59',
  percTrainData: 50,
  problem: 'classification',
};

const outdatedObject = fc.oneof(
  fc
    .tuple(validConfig, fc.constantFrom(0, -1, 2, 99, '1', 1.5, null, undefined, Number.NaN, 'v1', [1]))
    .map(([cfg, v]) => {
      const o = structuredClone(cfg) as unknown as Obj;
      if (v === undefined) delete o.version;
      else o.version = v;
      return o;
    }),
  fc.constant(TF_PLAYGROUND),
  // A plausible "version 0": flat keys where v1 has sections.
  validConfig.map((c) => ({
    version: 0,
    seed: c.seed,
    dataset: c.data.name,
    lr: c.optimizer.lr,
    optimizer: c.optimizer.name,
    hidden: c.model.hidden.map((h) => h.units),
    activation: 'relu',
  })),
);

const NASTY_OBJECTS: unknown[] = [
  null,
  undefined,
  0,
  'config',
  [],
  [DEFAULT_CONFIG],
  { ...DEFAULT_CONFIG, optimizer: { ...DEFAULT_CONFIG.optimizer, lr: Number.NaN } },
  { ...DEFAULT_CONFIG, optimizer: { ...DEFAULT_CONFIG.optimizer, lr: Number.POSITIVE_INFINITY } },
  { ...DEFAULT_CONFIG, optimizer: { ...DEFAULT_CONFIG.optimizer, lr: -0.1 } },
  { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hidden: [{ units: -8, activation: 'relu' }] } },
  { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hidden: [{ units: 1e9, activation: 'relu' }] } },
  { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hidden: [{ units: 0.5, activation: 'relu' }] } },
  { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hidden: 'none' } },
  { ...DEFAULT_CONFIG, data: { ...DEFAULT_CONFIG.data, name: '<script>alert(1)</script>' } },
  { ...DEFAULT_CONFIG, data: { ...DEFAULT_CONFIG.data, name: '<img src=x onerror=alert(1)>' } },
  { ...DEFAULT_CONFIG, data: { ...DEFAULT_CONFIG.data, name: 'constructor' } },
  { ...DEFAULT_CONFIG, data: { ...DEFAULT_CONFIG.data, name: 'toString' } },
  { ...DEFAULT_CONFIG, batchSize: -0 },
  { ...DEFAULT_CONFIG, batchSize: 1e21 },
  { ...DEFAULT_CONFIG, seed: -1 },
  { ...DEFAULT_CONFIG, seed: 2 ** 32 },
  JSON.parse('{"__proto__": {"polluted": true}, "optimizer": {"__proto__": {"lr": 5}}}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
  { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hidden: new Array(3) } },
  { ...DEFAULT_CONFIG, reg: Object.create(null) },
  new Date(0),
  /regex/,
  new Map([['optimizer', 1]]),
  Object.assign(Object.create({ optimizer: { lr: 5 } }), { version: 1 }),
];

// -------------------------------------------------------------------- files (JSON text)

const json = (v: unknown) => {
  try {
    return JSON.stringify(v) ?? 'undefined';
  } catch {
    return String(v);
  }
};

const malformedFile = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json().map((t) => `${t},`),
  validConfig.map((c) => json(c).replaceAll('"', "'")),
  validConfig.map((c) => `// exported\n${JSON.stringify(c, null, 2)}`),
  validConfig.map((c) => `\uFEFF${json(c)}`),
  validConfig.map((c) => json(c).replace(/"lr":[^,}]+/, '"lr":NaN')),
  fc.tuple(validConfig, fc.nat(), fc.string({ minLength: 1, maxLength: 6 })).map(([c, n, s]) => {
    const t = json(c);
    const i = n % t.length;
    return t.slice(0, i) + s + t.slice(i + 1);
  }),
  malformedObject.map(json),
);
const truncatedFile = fc.tuple(validConfig, fc.nat()).map(([c, n]) => {
  const t = JSON.stringify(c, null, 2);
  return t.slice(0, n % t.length);
});
const oversizedFile = fc.oneof(
  fc.integer({ min: 1_000, max: 200_000 }).map(deepJsonText),
  fc.integer({ min: 100_000, max: 3_000_000 }).map((n) => json({ ...DEFAULT_CONFIG, junk: 'y'.repeat(n) })),
  oversizedObject.map(json),
);

// -------------------------------------------------------------------- links (hash)

const encoded = validConfig.map((c) => encodeHash(c));
const truncatedHash = fc.tuple(encoded, fc.nat()).map(([h, n]) => `#${h.slice(0, n % (h.length + 1))}`);
const malformedHash = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.webFragments(),
  fc.tuple(encoded, fc.nat(), fc.string({ maxLength: 12 })).map(([h, n, s]) => {
    const i = n % (h.length + 1);
    return h.slice(0, i) + s + h.slice(i + s.length);
  }),
  fc.tuple(encoded, fc.nat()).map(([h, n]) => {
    // A key twice, the second copy corrupted.
    const parts = h.split('&');
    const p = parts[n % parts.length];
    return [...parts, `${p.split('=')[0]}=%%%`].join('&');
  }),
  fc.constantFrom('%', '%E0%A4%A', '&&&==&', '#=#=#', 'hidden=,,,', 'hidden=:::', 'hidden=8:relu:d:bn:x'),
);
const wrongTypeHash = fc
  .tuple(
    encoded,
    fc.array(fc.tuple(fc.nat(), fc.oneof(fc.string({ maxLength: 10 }), fc.double().map(String))), {
      minLength: 1,
      maxLength: 5,
    }),
  )
  .map(([h, edits]) => {
    const parts = h.split('&');
    for (const [n, v] of edits) {
      const i = n % parts.length;
      parts[i] = `${parts[i].split('=')[0]}=${encodeURIComponent(v)}`;
    }
    return parts.join('&');
  });
const oversizedHash = fc.oneof(
  fc.integer({ min: MAX_HASH_LENGTH + 1, max: 2_000_000 }).map((n) => `#lr=0.5&x=${'a'.repeat(n)}`),
  fc
    .integer({ min: 9, max: 700 })
    .map((n) => `#hidden=${Array.from({ length: n }, () => '1000000000:relu').join(',')}&v=1`),
  fc.constantFrom(
    '#n=1e9&batch=1e9&epochs=1e308&v=1',
    '#hidden=1e9:relu&v=1',
    '#hidden=-8:relu,0:tanh,0.5:elu&v=1',
    `#lesson=${'l'.repeat(5000)}&compare=${'sgd:lr_0.1,'.repeat(400)}&v=1`,
  ),
);
const TF_LINK =
  '#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2&seed=0.59&showTestData=false&discretize=false&percTrainData=50&x=true&y=true&problem=classification';
const outdatedHash = fc.oneof(
  fc
    .tuple(encoded, fc.constantFrom('0', '2', '99', '-1', '1.5', 'abc', ''))
    .map(([h, v]) => h.replace(/v=1$/, `v=${v}`)),
  encoded.map((h) => h.replace(/&v=1$/, '')),
  fc.constant(TF_LINK),
);
const NASTY_HASHES = [
  '#lr=NaN&v=1',
  '#lr=Infinity&v=1',
  '#lr=-Infinity&v=1',
  '#lr=-0.1&v=1',
  '#lr=1e400&v=1',
  '#lr=0x10&v=1',
  '#lr= 0.1&v=1',
  '#batch=16.5&v=1',
  '#hidden=-8:relu&v=1',
  '#hidden=0:relu&v=1',
  '#hidden=1000000000:relu&v=1',
  '#data=%3Cscript%3Ealert(1)%3C%2Fscript%3E&v=1',
  '#data=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&v=1',
  '#hide=%3Cscript%3E,network&v=1',
  '#present=%3Cscript%3E&lesson=%3Cscript%3E&view=%22%3E%3Cimg&v=1',
  '#__proto__=1&constructor=2&toString=3&v=1',
  '#data=__proto__&opt=constructor&v=1',
  '#seed=4294967296&v=1',
  '#seed=-1&v=1',
  '#shuffle=maybe&es=2&v=1',
  `#${'&'.repeat(5000)}`,
];

// -------------------------------------------------------------------- compare sets in links

const encodedCompare = fc
  .shuffledSubarray(defaultCompareConfig().slots, { minLength: 2 })
  .map((slots) => encodeCompare({ slots, targetLoss: 0.2, seeds: 1 }));
const compareInputs: [Category, fc.Arbitrary<string>][] = [
  [
    'malformed',
    fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.constantFrom(',,,', ':::', 'sgd:lr', 'c_', 'target_', 'seeds_', 'seeds_99'),
    ),
  ],
  ['truncated', fc.tuple(encodedCompare, fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1)))],
  [
    'wrongType',
    fc
      .tuple(encodedCompare, fc.nat(), fc.string({ maxLength: 8 }))
      .map(([t, n, s]) => t.replace(/_[^:,]*/g, (m, i) => (i % 3 === n % 3 ? `_${s}` : m))),
  ],
  [
    'oversized',
    fc.integer({ min: 9, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => `adam:lr_1e9:c_${i}`).join(',')),
  ],
  ['outdated', fc.constantFrom('sgd,adam', 'sgd=0.1,adam=0.01', 'optimizers=sgd|adam')],
  [
    'nasty',
    fc.constantFrom(
      'sgd:lr_NaN,adam:lr_Infinity',
      'sgd:c_"><script>,adam:c_ff0000;background:url(x)',
      '__proto__:lr_1,constructor:lr_1',
      'sgd:lr_-1,adam:eps_0',
      'target_-1,target_NaN',
    ),
  ],
];

// -------------------------------------------------------------------- the whole set

const GENERATED: [Channel, Category, fc.Arbitrary<unknown>][] = [
  ['object', 'malformed', malformedObject],
  ['object', 'truncated', truncatedObject],
  ['object', 'oversized', oversizedObject],
  ['object', 'wrongType', wrongTypeObject],
  ['object', 'outdated', outdatedObject],
  ['file', 'malformed', malformedFile],
  ['file', 'truncated', truncatedFile],
  ['file', 'oversized', oversizedFile],
  ['file', 'wrongType', wrongTypeObject.map(json)],
  ['file', 'outdated', outdatedObject.map(json)],
  ['hash', 'malformed', malformedHash],
  ['hash', 'truncated', truncatedHash],
  ['hash', 'oversized', oversizedHash],
  ['hash', 'wrongType', wrongTypeHash],
  ['hash', 'outdated', outdatedHash],
  ...compareInputs.map(([cat, arb]): [Channel, Category, fc.Arbitrary<unknown>] => ['compare', cat, arb]),
];

/** Generated inputs share this per generator; oversized ones get a tenth (each is up to megabytes). */
export function fuzzInputs(perGenerator: number, seed: number): FuzzInput[] {
  const out: FuzzInput[] = [];
  GENERATED.forEach(([channel, category, arb], i) => {
    const n = category === 'oversized' ? Math.max(5, Math.round(perGenerator / 10)) : perGenerator;
    for (const input of fc.sample(arb, { numRuns: n, seed: seed + i })) out.push({ channel, category, input });
  });
  for (const input of NASTY_OBJECTS) out.push({ channel: 'object', category: 'nasty', input });
  for (const input of NASTY_OBJECTS) out.push({ channel: 'file', category: 'nasty', input: json(input) });
  for (const input of NASTY_HASHES) out.push({ channel: 'hash', category: 'nasty', input });
  return out;
}
