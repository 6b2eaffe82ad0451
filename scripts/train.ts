// Headless runner for reproducible experiments and benchmarks:
//   npm run train -- --config examples/xor.json [--max-epochs N] [--seed S]
// Trains with the engine in Node and prints one JSON line per epoch, then a summary line:
//   {"type":"epoch","epoch":1,"step":17,"trainLoss":...,"valAcc":...,"lr":...,"elapsedMs":...}
//   {"type":"summary","status":"finished","epochs":100,...,"final":{"valLoss":...,"valAcc":...}}
// NaN (accuracy of a regression run) prints as null. The config is read with the app's schema
// (src/config/schema.ts): a partial file is completed with the defaults, and any bad, unknown or
// inconsistent field is an error naming that field (exit code 2), never a silent default.
// Exit codes: 0 trained (whatever the final status, which the summary reports), 2 bad input.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { noticeText, parseConfig } from '../src/config/schema';
import { describeLayout, makeDataset, Run, type TrainConfig } from '../src/engine';
import { loadDigits } from '../workers/digits';

const USAGE = 'usage: npm run train -- --config <file.json> [--max-epochs N] [--seed S]';

interface Args {
  config: string;
  maxEpochs?: number;
  seed?: number;
}

/** Thrown for bad input: printed as one line, exit code 2. */
export class UsageError extends Error {}

export function parseArgs(argv: string[]): Args {
  const args: Partial<Args> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = () => {
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value\n${USAGE}`);
      i++;
      return value;
    };
    const int = (name: string, min: number) => {
      const v = Number(need());
      if (!Number.isInteger(v) || v < min)
        throw new UsageError(`${name} must be a whole number >= ${min}, got '${value}'`);
      return v;
    };
    if (flag === '--config') args.config = need();
    else if (flag === '--max-epochs') args.maxEpochs = int('--max-epochs', 1);
    else if (flag === '--seed') args.seed = int('--seed', 0);
    else throw new UsageError(`unknown option '${flag}'\n${USAGE}`);
  }
  if (!args.config) throw new UsageError(`--config is required\n${USAGE}`);
  return args as Args;
}

/** Reads and validates a config file; every problem is reported with its field path. */
export async function loadConfig(path: string): Promise<TrainConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config '${path}': ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`config '${path}' is not valid JSON: ${(e as Error).message}`);
  }
  const { config, notices } = parseConfig(json, { reportMissing: false });
  if (notices.length > 0)
    throw new UsageError(
      `config '${path}' has ${notices.length} problem(s):\n${notices.map((n) => `  ${noticeText(n)}`).join('\n')}`,
    );
  return config;
}

const round = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(6)) : null);

/** Runs the CLI; every output line goes to `print`. Returns the exit code. */
export async function main(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const t0 = performance.now();
  const args = parseArgs(argv);
  const cfg = await loadConfig(args.config);
  if (args.maxEpochs !== undefined) cfg.maxEpochs = args.maxEpochs;
  if (args.seed !== undefined) cfg.seed = args.seed;
  if (!(cfg.maxEpochs > 0))
    throw new UsageError('maxEpochs is 0 (train forever): set maxEpochs in the config or pass --max-epochs N');
  const digits = cfg.data.name === 'digits' ? await loadDigits() : undefined;
  const run = new Run(cfg, makeDataset(cfg.data, cfg.seed, digits));
  const elapsed = () => Math.round(performance.now() - t0);
  while (run.status === 'ok') {
    const { epochs } = run.step(run.stepsPerEpoch);
    for (const e of epochs) {
      print(
        JSON.stringify({
          type: 'epoch',
          epoch: e.epoch,
          step: e.step,
          trainLoss: round(e.trainLoss),
          trainAcc: round(e.trainAcc),
          valLoss: round(e.valLoss),
          valAcc: round(e.valAcc),
          lr: round(e.lr),
          bestEpoch: e.bestEpoch,
          improved: e.improved,
          elapsedMs: elapsed(),
        }),
      );
    }
  }
  const train = run.evaluate('train');
  const val = run.evaluate('val');
  const ms = elapsed();
  print(
    JSON.stringify({
      type: 'summary',
      status: run.status,
      statusStep: run.statusStep,
      steps: run.stepCount,
      epochs: Math.floor(run.epoch),
      bestEpoch: run.best.epoch,
      bestValLoss: round(run.best.loss),
      final: {
        trainLoss: round(train.loss),
        trainAcc: round(train.acc),
        valLoss: round(val.loss),
        valAcc: round(val.acc),
      },
      dataset: { name: cfg.data.name, nTrain: run.dataset.nTrain, nVal: run.dataset.nVal },
      network: describeLayout(run.layout),
      optimizer: cfg.optimizer.name,
      seed: cfg.seed,
      elapsedMs: ms,
      stepsPerSec: round((run.stepCount * 1000) / Math.max(ms, 1)),
    }),
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof UsageError) {
        console.error(`train: ${e.message}`);
        process.exit(2);
      }
      console.error(e);
      process.exit(1);
    },
  );
}
