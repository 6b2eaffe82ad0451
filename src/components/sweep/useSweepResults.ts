// The sweep's numbers as the page has them: each cell's value (compare/sweep.ts cellResult over
// its run's validation losses in the ring buffers), its run's status, and the progress. Re-read a
// few times a second while mounted (never per sample). The buffers are used only once the trainer
// runs exactly this sweep's configs (a changed sweep shows "building" until its runs exist).
import { useEffect, useState } from 'react';
import type { RunStatusInfo } from '../../../workers/protocol';
import type { CellResult, SweepConfig } from '../../compare/sweep';
import { cellResult } from '../../compare/sweepResults';
import type { TrainConfig } from '../../engine/types';
import { type RunBuffers, useRunBuffers } from '../../trainer/runBuffers';

export interface SweepRead {
  /** The trainer's runs are this sweep's cells. */
  ready: boolean;
  results: CellResult[];
  status: (RunStatusInfo | undefined)[];
  /** Epochs completed per run. */
  epochs: number[];
  /** Fraction of all cells' epochs done (an ended run counts whole). */
  progress: number;
  ended: number;
  diverged: number;
  running: boolean;
  backend: string;
}

const ENDED = new Set(['diverged', 'early-stopped', 'finished']);
const sameRun = (a: TrainConfig, b: TrainConfig) =>
  a.maxEpochs === b.maxEpochs && JSON.stringify(a.optimizer) === JSON.stringify(b.optimizer);

export function readSweep(b: RunBuffers | null, configs: readonly TrainConfig[], s: SweepConfig): SweepRead {
  const n = configs.length;
  const empty: SweepRead = {
    ready: false,
    results: configs.map(() => ({ value: Number.NaN, diverged: false })),
    status: [],
    epochs: configs.map(() => 0),
    progress: 0,
    ended: 0,
    diverged: 0,
    running: false,
    backend: '',
  };
  const st = b?.getState();
  const sent = st?.configs ?? [];
  const status = st?.status;
  if (!b || !status || sent.length !== n || status.runs.length !== n || !sent.every((c, i) => sameRun(c, configs[i])))
    return empty;
  const m = b.metrics;
  const buffersOk = m.generation === status.generation && m.runs.length === n;
  const results: CellResult[] = [];
  const epochs: number[] = [];
  let done = 0;
  let ended = 0;
  let diverged = 0;
  for (let i = 0; i < n; i++) {
    const h = buffersOk ? m.runs[i] : null;
    const r = status.runs[i];
    const div = r?.state === 'diverged';
    results.push(cellResult(h ? h.epoch('valLoss') : [], div, s.metric));
    const e = h ? h.epochs.size : 0;
    epochs.push(e);
    const isEnded = !!r && ENDED.has(r.state);
    if (isEnded) ended++;
    if (div) diverged++;
    done += isEnded ? s.epochs : Math.min(e, s.epochs);
  }
  const b2 = status.backend;
  return {
    ready: true,
    results,
    status: status.runs,
    epochs,
    progress: done / Math.max(1, n * s.epochs),
    ended,
    diverged,
    running: status.running,
    backend: b2 ? (b2.kind === 'webgpu' ? `WebGPU · ${b2.name}` : b2.name) : '',
  };
}

export function useSweepResults(configs: readonly TrainConfig[], s: SweepConfig): SweepRead {
  const b = useRunBuffers();
  const [read, setRead] = useState<SweepRead>(() => readSweep(b, configs, s));
  useEffect(() => {
    let lastV = -1;
    let lastStatus: unknown = null;
    let lastSent: unknown = null;
    const tick = () => {
      const v = b?.metrics.version ?? -1;
      const st = b?.getState();
      const status = st?.status ?? null;
      // the configs too: a live change (the link's epochs applied while the runs were being built)
      // changes them with no new status or metrics while paused, and the sweep must see it
      const sent = st?.configs ?? null;
      if (v === lastV && status === lastStatus && sent === lastSent) return;
      lastV = v;
      lastStatus = status;
      lastSent = sent;
      setRead(readSweep(b, configs, s));
    };
    tick();
    const id = setInterval(tick, 250);
    return () => clearInterval(id);
  }, [b, configs, s]);
  return read;
}
