// The data panel's "Import points (CSV)" control: a file of x, y, label rows replaces the
// generated data. A file with any bad row is refused whole, each bad row listed with its line.
import { useId } from 'react';
import './import.css';
import { csvErrorText, MAX_CLASSES, MAX_POINTS } from '../../engine/data/points';
import { clearImport, importCsvFile, useImported } from '../../state/importSlice';

export function CsvImport() {
  const s = useImported();
  const id = useId();
  const onFile = (e: React.ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ''; // the same file again is a new import
    if (file) void importCsvFile(file);
  };
  return (
    <div className="csv-import" data-testid="csv-import">
      {/* The input first, so its keyboard focus can light up the label that looks like a button. */}
      <input id={id} type="file" accept=".csv,.tsv,.txt,text/csv" className="visually-hidden" onChange={onFile} />
      <label htmlFor={id} className="btn small">
        Import points (CSV)…
      </label>
      <p className="csv-hint">
        Rows of x, y, label (a header naming them is optional); up to {MAX_POINTS.toLocaleString('en-US')} points and{' '}
        {MAX_CLASSES} classes.
      </p>
      {s.points && (
        <p className="csv-status" data-testid="csv-status">
          Training on <strong>{s.fileName}</strong>: {s.points.labels.length} points, {s.points.classes} classes (
          {s.points.classNames.slice(0, MAX_CLASSES).join(', ')}). Noise, samples and classes do not apply.{' '}
          <button type="button" className="btn small" onClick={() => void clearImport()}>
            Use generated data
          </button>
        </p>
      )}
      {s.warnings.map((w) => (
        <p key={w} className="csv-status">
          {w}
        </p>
      ))}
      {(s.errors.length > 0 || s.trainerError) && (
        <div role="alert" className="csv-errors" data-testid="csv-errors">
          <strong>{s.refusedName} was not imported:</strong>
          <ul>
            {s.errors.map((e) => (
              <li key={`${e.line}:${e.message}`}>{csvErrorText(e)}</li>
            ))}
            {s.more > 0 && <li>… and {s.more} more bad rows</li>}
            {s.trainerError && <li>{s.trainerError}</li>}
          </ul>
        </div>
      )}
    </div>
  );
}
