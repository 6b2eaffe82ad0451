// "Continue in PyTorch": golden files for a few configs, Python syntax for every optimizer and
// schedule, and the script's pure-Python parts (schedule, embedded data) computed by python3
// against the engine. Set UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change
// (then read the diff: it is the review).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../engine/data/dataset';
import { defaultConfig } from '../engine/defaults';
import { stepsPerEpoch } from '../engine/loop';
import { learningRateAt } from '../engine/schedules';
import { OPTIMIZER_NAMES, type ScheduleKind, type TrainConfig } from '../engine/types';
import { f32Text } from './pyLiteral';
import { checkPythonSyntax, evalPython } from './pythonHarness';
import { type ExportDataset, pytorchScript } from './pytorch';

const GOLDEN = resolve(__dirname, '__golden__');

/** A small hand-made 2D set: 6 training and 3 validation points of 3 classes. */
function tinyClassification(): ExportDataset {
  return {
    name: 'blobs',
    kind: 'classification',
    inputDim: 2,
    outputDim: 3,
    classes: 3,
    nTrain: 6,
    nVal: 3,
    xTrainRaw: Float32Array.from([0.1, 0.2, -1.5, 0.25, 2, -0.125, 0.3, 0.3, -1, 1e-7, 1.75, 3]),
    xValRaw: Float32Array.from([0.05, -0.1, -1.2, 0.4, 2.2, 0]),
    yTrain: Int32Array.from([0, 1, 2, 0, 1, 2]),
    yVal: Int32Array.from([0, 1, 2]),
  };
}

function tinyRegression(): ExportDataset {
  return {
    name: 'regPlane',
    kind: 'regression',
    inputDim: 2,
    outputDim: 1,
    classes: 0,
    nTrain: 4,
    nVal: 2,
    xTrainRaw: Float32Array.from([0, 0, 1, 0, 0, 1, 1, 1]),
    xValRaw: Float32Array.from([0.5, 0.5, -1, 2]),
    yTrain: Float32Array.from([0, 0.5, -0.5, 0]),
    yVal: Float32Array.from([0, 1.5]),
  };
}

const CASES: Record<string, () => { cfg: TrainConfig; data: ExportDataset }> = {
  // The default run: tanh MLP, plain SGD, constant rate.
  default_sgd: () => ({ cfg: defaultConfig(), data: tinyClassification() }),
  // Momentum with step decay, dropout, batch norm, all three penalties, clipping, early stopping.
  momentum_step_regularized: () => {
    const cfg = defaultConfig();
    cfg.data.name = 'blobs';
    cfg.data.preprocess = 'standardize';
    cfg.data.augmentNoise = 0.05;
    cfg.model.hidden = [
      { units: 16, activation: 'relu', dropout: 0.5, batchNorm: true },
      { units: 8, activation: 'leakyRelu', dropout: 0, batchNorm: false },
    ];
    cfg.model.init = 'he';
    cfg.model.initScale = 0.5;
    cfg.reg = { l2: 1e-3, l1: 1e-4, l1Act: 1e-5, decayBiases: false };
    cfg.optimizer.name = 'momentum';
    cfg.optimizer.momentum = 0.9;
    cfg.schedule.kind = 'step';
    cfg.schedule.every = 20;
    cfg.schedule.factor = 0.5;
    cfg.earlyStop = { enabled: true, patience: 15, minDelta: 1e-4, restoreBest: true };
    cfg.clipNorm = 5;
    cfg.maxEpochs = 200;
    return { cfg, data: tinyClassification() };
  },
  // Regression with AdamW under cosine decay, whitened inputs, biases decayed too.
  adamw_cosine_regression: () => {
    const cfg = defaultConfig();
    cfg.data.name = 'regPlane';
    cfg.data.preprocess = 'whiten';
    cfg.data.shuffle = false;
    cfg.model.loss = 'mse';
    cfg.model.hidden = [{ units: 12, activation: 'elu', dropout: 0.2, batchNorm: false }];
    cfg.model.dropoutKind = 'gaussian';
    cfg.reg.decayBiases = true;
    cfg.optimizer.name = 'adamw';
    cfg.optimizer.lr = 0.003;
    cfg.optimizer.weightDecay = 0.05;
    cfg.schedule.kind = 'cosine';
    cfg.schedule.totalSteps = 500;
    cfg.schedule.minLr = 1e-4;
    return { cfg, data: tinyRegression() };
  },
  // Nesterov under reduce-on-plateau.
  nesterov_plateau: () => {
    const cfg = defaultConfig();
    cfg.optimizer.name = 'nesterov';
    cfg.optimizer.momentum = 0.95;
    cfg.schedule.kind = 'plateau';
    cfg.schedule.patience = 4;
    cfg.schedule.factor = 0.3;
    cfg.batchSize = 4;
    return { cfg, data: tinyClassification() };
  },
};

describe('pytorchScript', () => {
  it.each(Object.keys(CASES))('matches the golden file %s.py and parses as Python', (name) => {
    const { cfg, data } = CASES[name]();
    const script = pytorchScript(cfg, data);
    const file = resolve(GOLDEN, `${name}.py`);
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, script);
    expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
    expect(script).toBe(readFileSync(file, 'utf8'));
    checkPythonSyntax(script);
  });

  it('is valid Python for every optimizer and schedule', () => {
    const kinds: ScheduleKind[] = ['constant', 'step', 'plateau', 'exponential', 'inverse', 'warmup', 'cosine'];
    // One script per (optimizer, schedule) pair, joined with distinct names so python3 parses them in one go.
    const sources: string[] = [];
    for (const opt of OPTIMIZER_NAMES) {
      for (const kind of kinds) {
        const cfg = defaultConfig();
        cfg.optimizer.name = opt;
        cfg.schedule.kind = kind;
        const script = pytorchScript(cfg, tinyClassification());
        // a torch.optim class, or a class the script carries (torch 1.13 has no Lion, LAMB, Muon, Schedule-Free)
        const own = /^optimizer = (?:torch\.optim\.\w+|(\w+))\(/m.exec(script);
        expect(own, opt).not.toBeNull();
        if (own?.[1]) expect(script).toContain(`class ${own[1]}(torch.optim.Optimizer):`);
        sources.push(`def case_${opt}_${kind}():\n${script.replace(/^/gm, '    ').replace(/^ +$/gm, '')}\n`);
      }
    }
    checkPythonSyntax(sources.join('\n'));
  });

  it('maps each optimizer to its torch class with the lecture-equivalent arguments', () => {
    const expected: Record<string, RegExp> = {
      sgd: /torch\.optim\.SGD\(net\.parameters\(\), lr=LR0\)/,
      // the lecture's momentum is its own small class: torch's SGD(momentum) differs under a schedule
      momentum: /LectureMomentum\(net\.parameters\(\), lr=LR0, momentum=MOMENTUM, nesterov=False\)/,
      nesterov: /LectureMomentum\(net\.parameters\(\), lr=LR0, momentum=MOMENTUM, nesterov=True\)/,
      adagrad: /torch\.optim\.Adagrad\(.*lr_decay=0\.0, initial_accumulator_value=INITIAL_ACCUMULATOR, eps=EPS\)/,
      rmsprop: /torch\.optim\.RMSprop\(.*alpha=RHO, eps=EPS, centered=False, momentum=0\.0\)/,
      adam: /torch\.optim\.Adam\(.*betas=\(BETA1, BETA2\), eps=EPS, weight_decay=0\.0\)/,
      adamw: /torch\.optim\.AdamW\(\n.*"params": DECAYED, "weight_decay": WEIGHT_DECAY/,
      lion: /Lion\(\n.*"params": DECAYED, "weight_decay": WEIGHT_DECAY.*\n {4}lr=LR0,\n {4}betas=\(BETA1, BETA2\),/,
      lamb: /Lamb\(\n.*"params": DECAYED, "weight_decay": WEIGHT_DECAY.*\n {4}lr=LR0,\n {4}betas=\(BETA1, BETA2\),\n {4}eps=EPS,/,
      // torch 1.13 has no Muon: the script's class, hidden W by Newton-Schulz, the rest by AdamW
      muon: /MuonWithAuxAdamW\(\n.*lr=LR0, momentum=MOMENTUM, betas=\(BETA1, BETA2\), eps=EPS/,
      schedulefree:
        /ScheduleFreeAdamW\(\n.*"params": DECAYED, "weight_decay": WEIGHT_DECAY.*\n {4}lr=LR0,\n {4}betas=\(BETA1, BETA2\),\n {4}eps=EPS,/,
    };
    for (const opt of OPTIMIZER_NAMES) {
      const cfg = defaultConfig();
      cfg.optimizer = {
        ...cfg.optimizer,
        ...{ name: opt, lr: 0.0123, momentum: 0.87, rho: 0.95, beta1: 0.8, eps: 1e-7, initialAccumulator: 0.25 },
      };
      const s = pytorchScript(cfg, tinyClassification());
      expect(expected[opt], `${opt}: its expected torch mapping`).toBeDefined();
      expect(s, opt).toMatch(expected[opt]);
      expect(s).toContain('LR0 = 0.0123');
      if (opt === 'momentum' || opt === 'nesterov' || opt === 'muon') expect(s).toContain('MOMENTUM = 0.87');
      if (opt === 'rmsprop') expect(s).toContain('RHO = 0.95');
      if (opt === 'adam' || opt === 'adamw' || opt === 'muon') expect(s).toContain('BETA1 = 0.8');
      if (opt === 'adagrad') expect(s).toContain('INITIAL_ACCUMULATOR = 0.25');
    }
  });

  it("computes the engine's learning rate at every step for each schedule (python3 vs learningRateAt)", () => {
    const kinds: ScheduleKind[] = ['constant', 'step', 'exponential', 'inverse', 'warmup', 'cosine'];
    const data = tinyClassification();
    for (const kind of kinds) {
      const cfg = defaultConfig();
      cfg.optimizer.lr = 0.05;
      cfg.batchSize = 2; // 6 training points -> 3 steps per epoch
      cfg.schedule = { ...cfg.schedule, kind, every: 3, factor: 0.7, eta: 0.9, k: 0.3, warmupSteps: 7 };
      cfg.schedule.totalSteps = 25;
      cfg.schedule.minLr = 0.001;
      const script = pytorchScript(cfg, data);
      const steps = Array.from({ length: 40 }, (_, i) => i);
      const got = evalPython(
        script,
        ['LR0', 'STEPS_PER_EPOCH', 'lr_factor'],
        `[LR0 * lr_factor(s) for s in ${JSON.stringify(steps)}]`,
      ) as number[];
      const want = steps.map((s) => learningRateAt(cfg.schedule, cfg.optimizer.lr, s, stepsPerEpoch(2, 6)));
      for (let i = 0; i < steps.length; i++) expect(got[i], `${kind} step ${i}`).toBeCloseTo(want[i], 12);
    }
  });

  it('embeds the training data exactly (float32 round trip) and the labels', () => {
    const data = tinyClassification();
    data.xTrainRaw[0] = Math.fround(Math.PI);
    data.xTrainRaw[1] = Math.fround(-1e-30);
    const script = pytorchScript(defaultConfig(), data);
    const x = evalPython(script, ['X_TRAIN'], 'X_TRAIN') as number[][];
    const y = evalPython(script, ['Y_VAL'], 'Y_VAL.tolist()') as number[];
    expect(x.flat()).toEqual(Array.from(data.xTrainRaw));
    expect(y).toEqual(Array.from(data.yVal));
  });

  it('embeds image pixels as bytes that decode to exactly k/255', () => {
    const px = 20; // a 4x5 "image": above the 16-feature threshold for byte embedding
    const mk = (n: number, shift: number) =>
      Float32Array.from({ length: n * px }, (_, i) => ((i * 37 + shift) % 256) / 255);
    const data: ExportDataset = {
      ...tinyClassification(),
      name: 'digits',
      inputDim: px,
      xTrainRaw: mk(6, 0),
      xValRaw: mk(3, 11),
      image: { width: 5, height: 4 },
    };
    const script = pytorchScript(defaultConfig(), data);
    expect(script).toContain('X_TRAIN_BYTES = (');
    const x = evalPython(
      script,
      ['X_TRAIN_BYTES', 'X_TRAIN', 'X_VAL_BYTES', 'X_VAL'],
      '[X_TRAIN, X_VAL]',
    ) as number[][][];
    expect(x[0].flat()).toEqual(Array.from(data.xTrainRaw));
    expect(x[1].flat()).toEqual(Array.from(data.xValRaw));
  });

  it("preprocesses like the engine: standardize exactly, whitening up to each component's sign", () => {
    for (const preprocess of ['standardize', 'whiten'] as const) {
      const cfg = defaultConfig();
      cfg.data = { ...cfg.data, name: 'moons', samples: 120, preprocess };
      const ds = makeDataset(cfg.data, 7);
      const script = pytorchScript(cfg, ds);
      const [xt, xv] = evalPython(
        script,
        ['X_TRAIN', 'X_VAL', 'PREPROCESS', 'fit_preprocess'],
        '[fit_preprocess(X_TRAIN)(X_TRAIN), fit_preprocess(X_TRAIN)(X_VAL)]',
      ) as number[][][];
      const check = (got: number[][], want: Float32Array) => {
        const D = ds.inputDim;
        for (let j = 0; j < D; j++) {
          // the sign of a principal direction is arbitrary: align it on the first sample
          const sign = preprocess === 'whiten' && Math.sign(got[0][j]) !== Math.sign(want[j]) ? -1 : 1;
          for (let r = 0; r < got.length; r++) expect(sign * got[r][j]).toBeCloseTo(want[r * D + j], 4);
        }
      };
      check(xt, ds.xTrain);
      check(xv, ds.xVal);
    }
  });

  it('writes float32 values in their shortest exact form', () => {
    expect(f32Text(0.1)).toBe('0.1');
    expect(f32Text(Math.fround(1 / 3))).toBe('0.33333334');
    expect(f32Text(1e-7)).toBe('1e-7');
    expect(f32Text(-0)).toBe('-0.0');
    for (const v of [Math.PI, 123456.789, -2.5e-12, 3.4e38])
      expect(Math.fround(Number(f32Text(v)))).toBe(Math.fround(v));
  });

  it('refuses a cross-entropy loss on a regression dataset, naming the field', () => {
    expect(() => pytorchScript(defaultConfig(), tinyRegression())).toThrow(/model\.loss/);
  });

  it('refuses a dataset with missing rows or initial weights of the wrong size, naming the field', () => {
    const shown = { ...tinyClassification(), xTrainRaw: tinyClassification().xTrainRaw.slice(0, 8) };
    expect(() => pytorchScript(defaultConfig(), shown)).toThrow(/data\.xTrainRaw: 8 values, .*all 6 rows x 2/);
    expect(() => pytorchScript(defaultConfig(), tinyClassification(), { initialTheta: new Float32Array(3) })).toThrow(
      /initialTheta/,
    );
  });
});
