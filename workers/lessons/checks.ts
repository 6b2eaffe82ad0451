// Each lesson's claim about its demo, as checks computed from the demo's run (runner.ts): the same
// function judges a run in the lesson tests (src/lessons/lessons.test.ts, several seeds, the CPU
// engine in Node) and the run the page just showed (the demo prints the outcome under its charts,
// on whichever backend trained it). Thresholds are the numbers the lessons' texts state (ln C, the
// 1e-3 band, "over two thirds"). A lesson without an entry has no run-based claim (its arena claims
// are checked by its test with the engine alone).

import { appliedLr } from '../../src/engine/optimizers/registry';
import { epochCol, lastEpoch, median, ratioCol, stepLr, tail, weightStats } from './measures';
import { type LessonResult, type PresetResult, presetById } from './runner';

export interface LessonCheck {
  /** The claim, one short sentence. */
  claim: string;
  ok: boolean;
  /** The numbers behind the verdict. */
  detail: string;
}

const f = (x: number, d = 3) => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : String(x));
const check = (claim: string, ok: boolean, detail: string): LessonCheck => ({ claim, ok, detail });
/** a < b, stated. */
const below = (claim: string, a: number, b: number, what = 'vs'): LessonCheck =>
  check(claim, a < b, `${f(a)} ${what} ${f(b)}`);
/** First epoch (1-based) whose training loss is below `level`, Infinity if none. */
const epochsTo = (p: PresetResult, level: number) =>
  epochCol(p, 'trainLoss').findIndex((x) => x < level) + 1 || Number.POSITIVE_INFINITY;
/** Epoch rows 0..k-1 of two runs are the same numbers (every field). */
function sameEpochs(a: PresetResult, b: PresetResult, k: number): boolean {
  if (a.epochs.n < k || b.epochs.n < k) return false;
  return (Object.keys(a.epochs.cols) as (keyof typeof a.epochs.cols)[]).every((c) =>
    a.epochs.cols[c].subarray(0, k).every((x, i) => Object.is(x, b.epochs.cols[c][i])),
  );
}
const gap = (p: PresetResult) => lastEpoch(p, 'valLoss') - lastEpoch(p, 'trainLoss');

type Checks = (r: LessonResult, id: (preset: string) => PresetResult) => LessonCheck[];

const CHECKS: Record<string, Checks> = {
  softmax: (r) => {
    const p = r.presets[0];
    const C = p.dataset.classes;
    return [
      check(
        'the first loss is ln C',
        Math.abs(p.initialLoss - Math.log(C)) < 0.05,
        `${f(p.initialLoss, 4)} vs ln ${C} = ${f(Math.log(C), 4)}`,
      ),
      below('it learns the blobs (training loss < 0.2)', lastEpoch(p, 'trainLoss'), 0.2),
      check('validation accuracy > 95%', lastEpoch(p, 'valAcc') > 0.95, f(lastEpoch(p, 'valAcc'))),
    ];
  },
  'early-stopping': (_, id) => {
    const free = id('free');
    const early = id('early');
    const val = epochCol(free, 'valLoss');
    const b = val.indexOf(Math.min(...val));
    const earlyVal = epochCol(early, 'valLoss');
    const minVal = Math.min(...earlyVal);
    const restored = early.finalVal?.loss ?? Number.NaN;
    return [
      check('the validation loss turns up', b < free.epochs.n - 20, `best epoch ${b + 1} of ${free.epochs.n}`),
      check(
        'it ends well above its best',
        lastEpoch(free, 'valLoss') > 1.2 * val[b],
        `${f(lastEpoch(free, 'valLoss'))} vs best ${f(val[b])}`,
      ),
      below('while the training loss kept falling', lastEpoch(free, 'trainLoss'), epochCol(free, 'trainLoss')[b]),
      check(
        'early stopping stops the run early',
        early.state === 'early-stopped' && early.epochs.n < free.epochs.n,
        `${early.state} after ${early.epochs.n} epochs`,
      ),
      check(
        'and restores the best epoch’s weights',
        Math.abs(restored - minVal) <= 1e-5 * Math.max(1, minVal) &&
          lastEpoch(early, 'bestEpoch') === earlyVal.indexOf(minVal) + 1,
        `validation loss ${f(restored, 6)} vs best ${f(minVal, 6)} (epoch ${lastEpoch(early, 'bestEpoch')})`,
      ),
    ];
  },
  augmentation: (_, id) => [
    below('noise closes the train/validation gap (to under half)', gap(id('noise')), 0.5 * gap(id('none'))),
    below('and lowers the validation loss', lastEpoch(id('noise'), 'valLoss'), lastEpoch(id('none'), 'valLoss')),
  ],
  'augmentation-digits': (_, id) => [
    below('affine transforms shrink the gap (under 0.6 of it)', gap(id('affine')), 0.6 * gap(id('off'))),
    check(
      'and recognize more validation digits',
      lastEpoch(id('affine'), 'valAcc') > lastEpoch(id('off'), 'valAcc'),
      `${f(lastEpoch(id('affine'), 'valAcc'))} vs ${f(lastEpoch(id('off'), 'valAcc'))}`,
    ),
  ],
  'l2-l1': (_, id) => {
    const w = (k: string) => {
      const p = id(k);
      return weightStats(p.params ?? new Float32Array(0), p.params ? p.layers : []);
    };
    const [none, l2, l1] = [w('none'), w('l2'), w('l1')];
    return [
      below('L2 shrinks the weights (‖w‖ under 0.7 of none)', l2.l2, 0.7 * none.l2),
      below('L1 shrinks them too', l1.l2, none.l2),
      check(
        'L1 sets over two thirds of the weights to exactly 0',
        l1.exactZeros > (2 / 3) * l1.count,
        `${l1.exactZeros} of ${l1.count}`,
      ),
      check(
        'no penalty and L2 set none to 0',
        none.exactZeros === 0 && l2.exactZeros === 0 && none.count > 0,
        `${none.exactZeros} and ${l2.exactZeros}`,
      ),
      below('L2 lowers the validation loss', lastEpoch(id('l2'), 'valLoss'), lastEpoch(id('none'), 'valLoss')),
    ];
  },
  dropout: (_, id) => [
    below(
      'dropout ends with the lower validation loss',
      lastEpoch(id('with'), 'valLoss'),
      lastEpoch(id('without'), 'valLoss'),
    ),
  ],
  annealing: (r, id) => {
    // The level the constant rate bounces at: its mean training loss over the second half of the
    // demo (its last few epochs alone are a draw: a bouncing run can end on a calm stretch).
    const half = Math.floor(r.job.epochs / 2);
    const level = tail(id('constant'), half);
    const step = id('step');
    const lr = stepLr(step);
    // the step preset's own numbers: eps0, then x factor once per `every` epochs completed
    const eps0 = step.cfg.optimizer.lr;
    const { factor, every } = step.cfg.schedule;
    const cuts = Math.floor(step.epochs.n / every);
    return [
      // preset ids, named as the lesson's text names the decays
      ...Object.entries({ step: 'step', exponential: 'exponential', inverse: 'smooth' }).map(([k, name]) =>
        below(
          `the ${name} schedule settles under half the level the constant rate bounces at (its mean over the last ${half} epochs)`,
          tail(id(k)),
          0.5 * level,
        ),
      ),
      check(
        `the drawn schedule is the rate used (${eps0}, then ×${factor} ${cuts} times)`,
        lr[0] === Math.fround(eps0) && lastEpoch(step, 'lr') === Math.fround(eps0 * factor ** cuts),
        `${f(lr[0])} … ${f(lastEpoch(step, 'lr'), 6)}`,
      ),
    ];
  },
  momentum: (_, id) => [
    below(
      'momentum trains much faster (under half the loss)',
      lastEpoch(id('momentum'), 'trainLoss'),
      0.5 * lastEpoch(id('sgd'), 'trainLoss'),
    ),
  ],
  adaptive: (_, id) => {
    const m = epochsTo(id('momentum'), 0.3);
    return ['adagrad', 'rmsprop', 'adam'].map((k) =>
      below(`${k} leaves the plateau (loss < 0.3) before SGD + momentum`, epochsTo(id(k), 0.3), m, 'epochs vs'),
    );
  },
  normalization: (_, id) => {
    const raw = lastEpoch(id('none'), 'trainLoss');
    return [
      below('standardized inputs train faster than raw pixels', lastEpoch(id('standardize'), 'trainLoss'), 0.5 * raw),
      below('whitened inputs too', lastEpoch(id('whiten'), 'trainLoss'), raw),
    ];
  },
  'update-ratio': (_, id) => {
    const m = (k: string) => median(ratioCol(id(k)));
    // the too-high rate rewrites the weights until its tanh units saturate, after which its ratio
    // collapses at a seed-dependent moment: its claim is about the first epoch
    const high = id('high');
    const first = median(ratioCol(high).slice(0, high.stepsPerEpoch));
    return [
      below('the low rate’s ratio is under 1e-4', m('low'), 1e-4),
      check('the good rate’s sits in [3e-4, 3e-3]', m('good') > 3e-4 && m('good') < 3e-3, f(m('good'))),
      check('the high rate’s is over 1e-2 (first epoch)', first > 1e-2, f(first)),
    ];
  },
  shuffle: (_, id) => {
    const [off, on] = [id('off'), id('on')];
    return [
      check('the fixed order is sorted by class', off.cfg.data.order === 'byClass', off.cfg.data.order),
      below(
        'shuffling ends far better (under half the loss)',
        lastEpoch(on, 'valLoss'),
        0.5 * lastEpoch(off, 'valLoss'),
      ),
      check(
        'and more accurate',
        lastEpoch(on, 'valAcc') > lastEpoch(off, 'valAcc'),
        `${f(lastEpoch(on, 'valAcc'))} vs ${f(lastEpoch(off, 'valAcc'))}`,
      ),
    ];
  },
  'momentum-off': (_, id) => {
    const [keep, sw] = [id('keep'), id('switch')];
    return [
      check('identical until the switch', sameEpochs(sw, keep, 20), 'first 20 epochs'),
      check('then plain SGD', sw.cfg.optimizer.name === 'sgd', sw.cfg.optimizer.name),
      below('which settles lower', tail(sw), tail(keep)),
    ];
  },
  'lower-regularization': (_, id) => {
    const [keep, lower] = [id('keep'), id('lower')];
    return [
      check('identical until the change', sameEpochs(lower, keep, 30), 'first 30 epochs'),
      below('a lower penalty lowers the training loss', tail(lower), tail(keep) - 0.002, 'vs (minus 0.002)'),
    ];
  },
  'batch-norm': (_, id) => {
    const [plain, bn] = [id('plain'), id('bn')];
    const deepest = (p: PresetResult) => p.activations?.[p.activations.length - 1]?.std ?? Number.NaN;
    return [
      check('without batch norm it stays on its plateau (ln 2)', tail(plain) > 0.6, f(tail(plain))),
      below('with it, it trains (under half the loss)', tail(bn), 0.5 * tail(plain)),
      check(
        'the deepest layer’s spread collapsed without it',
        deepest(bn) > 2 * deepest(plain),
        `std ${f(deepest(bn))} vs ${f(deepest(plain))}`,
      ),
    ];
  },
  lion: (_, id) => {
    const jitter = (p: PresetResult) => {
      const rs = ratioCol(p);
      return median(rs.slice(1).map((x, i) => Math.abs(Math.log(x / rs[i]))));
    };
    const lion = id('lion');
    // every first-layer weight moved by lr: ||dW|| / ||W|| = lr sqrt(n) / ||W|| (the first W)
    const L0 = lion.layers[0];
    const n = L0.units * L0.inputs;
    const W = Array.from(lion.params?.subarray(L0.wOffset, L0.wOffset + n) ?? []);
    const predicted = (lion.cfg.optimizer.lr * Math.sqrt(n)) / Math.hypot(...W);
    const lastRatios = median(ratioCol(lion).slice(-lion.stepsPerEpoch));
    return [
      below('Lion’s ratio barely moves from step to step', jitter(lion), 0.05, 'median |Δ ln r| vs'),
      check('SGD’s follows each minibatch', jitter(id('sgd')) > 0.3, f(jitter(id('sgd')))),
      check(
        'Lion’s ratio is lr √n / ‖W‖',
        Math.abs(lastRatios / predicted - 1) < 0.1,
        `${f(lastRatios)} vs ${f(predicted)}`,
      ),
    ];
  },
  lamb: (_, id) => {
    const [lamb, adam] = [id('lamb'), id('adam')];
    const lr = lamb.cfg.optimizer.lr;
    const L = lamb.steps.layers;
    let worst = 0;
    for (let l = 0; l < L; l++) for (const q of ratioCol(lamb, l)) worst = Math.max(worst, Math.abs(q / lr - 1));
    const spe = adam.stepsPerEpoch;
    const cells: number[] = [];
    for (let e = 0; e < adam.epochs.n; e++)
      for (let l = 0; l < adam.steps.layers; l++) cells.push(median(ratioCol(adam, l).slice(e * spe, (e + 1) * spe)));
    return [
      check(
        'every LAMB layer’s ratio is lr at every step',
        lamb.steps.n > 0 && worst < 1e-3,
        `worst |r/lr − 1| ${f(worst)}`,
      ),
      check(
        'Adam’s differs over 5× between layers and epochs',
        Math.max(...cells) / Math.min(...cells) > 5,
        f(Math.max(...cells) / Math.min(...cells)),
      ),
      below('and LAMB learns (validation loss < 0.5)', lastEpoch(lamb, 'valLoss'), 0.5),
    ];
  },
  muon: (_, id) => {
    const muon = id('muon');
    const minRatio = (p: PresetResult) => Math.min(...ratioCol(p).filter((x) => x > 0));
    return [
      check('the muon preset trains with Muon', muon.cfg.optimizer.name === 'muon', muon.cfg.optimizer.name),
      ...['adam', 'momentum'].flatMap((k) => [
        below(`Muon ends under half ${k}’s loss`, lastEpoch(muon, 'trainLoss'), 0.5 * lastEpoch(id(k), 'trainLoss')),
        check(
          `its update ratio never falls to ${k}’s lowest (over 5×)`,
          minRatio(muon) > 5 * minRatio(id(k)),
          `${f(minRatio(muon))} vs ${f(minRatio(id(k)))}`,
        ),
      ]),
    ];
  },
  'schedule-free': (_, id) => {
    const cosine = lastEpoch(id('cosine'), 'trainLoss');
    const sf = id('schedulefree');
    // the lr it applied (recorded as applied): its own linear warm-up eps0 min(1, t/W), then eps0 flat
    const applied = (t: number) => Math.fround(appliedLr(sf.cfg.optimizer, t, sf.cfg.optimizer.lr));
    const lrs = stepLr(sf);
    const W = sf.cfg.optimizer.warmupSteps;
    const rates = new Set(lrs.slice(W));
    return [
      below(
        'Schedule-Free at a constant rate ends within 10% of the cosine schedule',
        lastEpoch(sf, 'trainLoss') / cosine,
        1.1,
        'of cosine vs',
      ),
      check(
        'AdamW at that rate ends over 2× higher',
        lastEpoch(id('constant'), 'trainLoss') / cosine > 2,
        f(lastEpoch(id('constant'), 'trainLoss') / cosine),
      ),
      check(
        `Schedule-Free used ε0 = 0.1 at every step after its ${W}-step warm-up (ε0·t/${W} before)`,
        rates.size === 1 && rates.has(Math.fround(0.1)) && lrs.every((x, i) => x === applied(i + 1)),
        [...rates].map((x) => f(x)).join(', '),
      ),
      below('the cosine ran down to 0', lastEpoch(id('cosine'), 'lr'), 1e-3),
    ];
  },
};

/** The checks of lesson `r.job.id` on its run (empty when the lesson makes no run-based claim). */
export function lessonChecks(r: LessonResult): LessonCheck[] {
  const c = CHECKS[r.job.id];
  return c ? c(r, (k) => presetById(r, k)) : [];
}

/** Lesson ids with run-based checks (the tests make sure each catalogue lesson with a demo has one). */
export const CHECKED_LESSONS = Object.keys(CHECKS);
