// The sidebar's "Kept runs" section: keep the current run (or the whole race in compare mode)
// in the browser's IndexedDB, where it survives reloads and closed tabs; load one back; remove
// one. Storage failures (full disk, private mode, another tab) are shown, never swallowed.
import { useEffect } from 'react';
import { useCompare } from '../state/compareSlice';
import { getKept, keepCurrent, loadKeptRun, loadKeptSet, refreshKept, removeKept, useKept } from '../state/keptSlice';
import { useStore } from '../state/store';
import { useRunBuffers } from '../trainer/runBuffers';
import { lastOf } from '../trainer/snapshotRun';
import { Section } from './controls/Fields';
import './kept.css';

const fmtLoss = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : '–');

export function KeptRunsPanel() {
  const k = useKept();
  const buffers = useRunBuffers();
  const compare = useCompare((s) => s.view === 'compare');
  const ready = useStore((s) => s.run.phase !== 'starting' && s.run.phase !== 'error');
  useEffect(() => {
    if (!getKept().loaded) void refreshKept();
  }, []);
  const count = k.runs.length + k.sets.length;
  return (
    <Section title="Kept runs" summary={count > 0 ? String(count) : undefined}>
      <div className="kept" data-testid="kept-runs">
        <button
          type="button"
          className="btn small"
          onClick={() => void keepCurrent(buffers)}
          disabled={!ready || k.busy}
        >
          {compare ? 'Keep this race' : 'Keep this run'}
        </button>
        {k.message && <p className="kept-note">{k.message}</p>}
        {k.error && (
          <p role="alert" className="kept-error" data-testid="kept-error">
            {k.error}
          </p>
        )}
        {k.unreadable > 0 && <p className="kept-note">{k.unreadable} kept item(s) could not be read.</p>}
        <ul className="kept-list">
          {k.sets.map((s) => (
            <li key={s.value.id}>
              <span className="kept-label">{s.value.label}</span>
              <span className="kept-actions">
                <button type="button" className="btn small" onClick={() => loadKeptSet(s)}>
                  Load
                </button>
                <button type="button" className="btn small" onClick={() => void removeKept(s.value.id, 'set')}>
                  Remove
                </button>
              </span>
            </li>
          ))}
          {k.runs.map((r) => (
            <li key={r.value.id}>
              <span className="kept-label">
                {r.value.label} · loss {fmtLoss(lastOf(r.value.steps.loss))}
                {r.value.status.state === 'diverged' ? ' · diverged' : ''}
              </span>
              <span className="kept-actions">
                <button type="button" className="btn small" onClick={() => loadKeptRun(r)}>
                  Load
                </button>
                <button type="button" className="btn small" onClick={() => void removeKept(r.value.id, 'run')}>
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ul>
      </div>
    </Section>
  );
}
