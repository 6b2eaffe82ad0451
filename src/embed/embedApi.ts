// The embed (docs/embed.md): `?embed=1` shows the chosen panels with minimal chrome, and a parent
// page (slide deck, LMS) drives the run by postMessage. Commands go to the trainer through
// state/trainerSync (only src/trainer talks to the worker); events come from the store's run
// status. Messages from an origin outside the allow-list are ignored; bad commands get an
// 'error' reply naming what is wrong.
import { setField, setUi } from '../state/actions';
import { useStore } from '../state/store';
import { pause, play, resetRun, stepOnce } from '../state/trainerSync';
import type { RunBuffers } from '../trainer/runBuffers';
import { EMBED, EMBED_PANELS, type EmbedCommand, parseCommand } from './protocol';

export { EMBED };

/** The latest metrics of the playground's run. */
function metrics(buffers: RunBuffers) {
  const run = useStore.getState().run;
  const h = buffers.metrics.runs[0];
  const lastOf = (name: string, s = h?.steps) => {
    const i = s?.indexOf(name) ?? -1;
    const v = i >= 0 && s ? s.last(i) : Number.NaN;
    return Number.isFinite(v) ? v : null;
  };
  return {
    phase: run.phase,
    step: run.step,
    epoch: run.epoch,
    loss: lastOf('loss'),
    valLoss: lastOf('valLoss', h?.epochs),
    valAcc: lastOf('valAcc', h?.epochs),
  };
}

function run(c: EmbedCommand): void {
  if (c.type === 'play') play();
  else if (c.type === 'pause') pause();
  else if (c.type === 'step') stepOnce();
  else if (c.type === 'reset') resetRun();
  else if (c.type === 'setConfig') for (const [path, v] of Object.entries(c.config)) setField(path, v);
}

/** In an embed: hides all but the chosen panels, obeys the parent's commands and posts events to it. */
export function startEmbed(buffers: RunBuffers): void {
  if (!EMBED.embed) return;
  document.documentElement.dataset.embed = '';
  const hidden = ['controls', ...EMBED_PANELS.filter((p) => !EMBED.panels.includes(p))];
  setUi({ hidden });
  const allowed = EMBED.origins.length > 0 ? EMBED.origins : [location.origin];
  const parent = window.parent === window ? null : window.parent;
  const post = (msg: object) => {
    for (const o of allowed) parent?.postMessage({ source: 'descent', ...msg }, o);
  };
  for (const error of EMBED.errors) post({ type: 'error', error });

  window.addEventListener('message', (e: MessageEvent) => {
    if (e.source !== parent || !allowed.includes(e.origin)) return; // not our parent, or not allowed
    const reply = (msg: object) => parent?.postMessage({ source: 'descent', ...msg }, e.origin);
    const p = parseCommand(e.data);
    if (!p.ok) {
      reply({ type: 'error', id: p.id, error: p.error });
      return;
    }
    run(p.command);
    reply(
      p.command.type === 'getMetrics'
        ? { type: 'metrics', id: p.command.id, ...metrics(buffers) }
        : { type: 'ok', id: p.command.id },
    );
  });

  // Events: step (as the status updates, a few times a second), epoch (each whole epoch), finished, diverged.
  let lastEpoch = 0;
  useStore.subscribe((s, prev) => {
    const r = s.run;
    if (r.generation !== prev.run.generation) lastEpoch = 0;
    if (r.step !== prev.run.step) post({ type: 'step', step: r.step, epoch: r.epoch });
    if (Math.floor(r.epoch) > lastEpoch) {
      lastEpoch = Math.floor(r.epoch);
      post({ ...metrics(buffers), type: 'epoch', epoch: lastEpoch });
    }
    if (r.phase !== prev.run.phase && (r.phase === 'finished' || r.phase === 'early-stopped'))
      post({ type: 'finished', ...metrics(buffers) });
    if (r.phase !== prev.run.phase && r.phase === 'diverged') post({ type: 'diverged', ...metrics(buffers) });
  });
  post({ type: 'ready', panels: EMBED.panels });
}
