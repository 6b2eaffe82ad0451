// The sidebar's "Kept runs" section: keep the current run (or the whole race in compare mode)
// in the browser's IndexedDB, where it survives reloads and closed tabs; load one back; overlay
// its loss curve on the live run's; rename it and write notes; export it as a run bundle (JSON)
// and import one; remove one. Storage failures (full disk, private mode, another tab) and a
// refused bundle (each problem named) are shown, never swallowed; the storage use is reported.
import { useEffect, useState } from 'react';
import { downloadText } from '../export/download';
import { useCompare } from '../state/compareSlice';
import { isOverlaid, toggleOverlay, useHistory } from '../state/historySlice';
import {
  editKept,
  getKept,
  importBundle,
  type KeptRun,
  keepCurrent,
  keptBundle,
  loadKeptRun,
  loadKeptSet,
  refreshKept,
  removeKept,
  useKept,
} from '../state/keptSlice';
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
  useHistory((h) => h.overlays); // re-render when an overlay is toggled from the legend
  const [editing, setEditing] = useState<string | null>(null);
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
        <label className="btn small kept-import">
          Import a run bundle…
          <input
            type="file"
            accept=".json,application/json"
            data-testid="kept-import"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) void f.text().then((t) => importBundle(f.name, t));
            }}
          />
        </label>
        {k.quota && (
          <p className="kept-note" data-testid="kept-quota">
            {k.quota}
          </p>
        )}
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
              {r.value.notes && editing !== r.value.id && <span className="kept-notes">{r.value.notes}</span>}
              {editing === r.value.id ? (
                <EditKept run={r.value} done={() => setEditing(null)} />
              ) : (
                <span className="kept-actions">
                  <button type="button" className="btn small" onClick={() => loadKeptRun(r)}>
                    Load
                  </button>
                  <button
                    type="button"
                    className="btn small"
                    aria-pressed={isOverlaid(r.value.id)}
                    title="Draw its loss curve on the loss chart"
                    onClick={() => toggleOverlay(r.value)}
                  >
                    Overlay
                  </button>
                  <button type="button" className="btn small" onClick={() => setEditing(r.value.id)}>
                    Rename
                  </button>
                  <button
                    type="button"
                    className="btn small"
                    onClick={() => {
                      const b = keptBundle(r.value);
                      downloadText(b.text, b.name, 'application/json');
                    }}
                  >
                    Export
                  </button>
                  <button type="button" className="btn small" onClick={() => void removeKept(r.value.id, 'run')}>
                    Remove
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      </div>
    </Section>
  );
}

/** Rename a kept run and write its notes. */
function EditKept({ run, done }: { run: KeptRun; done: () => void }) {
  const [label, setLabel] = useState(run.label);
  const [notes, setNotes] = useState(run.notes);
  return (
    <form
      className="kept-edit"
      onSubmit={(e) => {
        e.preventDefault();
        void editKept(run.id, { label: label.trim() || run.label, notes }).then(done);
      }}
    >
      <label>
        Name
        <input value={label} maxLength={200} onChange={(e) => setLabel(e.currentTarget.value)} />
      </label>
      <label>
        Notes
        <textarea value={notes} rows={3} maxLength={10_000} onChange={(e) => setNotes(e.currentTarget.value)} />
      </label>
      <span className="kept-actions">
        <button type="submit" className="btn small">
          Save
        </button>
        <button type="button" className="btn small" onClick={done}>
          Cancel
        </button>
      </span>
    </form>
  );
}
