// The imported points the page trains on (a CSV read by csv.ts), and the actions that send them
// to the worker. The file is the data: while points are imported, the runs train on them with
// the config's split and preprocessing, whatever generator data.name names. They are not in the
// link (a link cannot carry a file); the kept-runs storage keeps them with a kept run.
import { create } from 'zustand';
import { type CsvError, type ImportedPoints, MAX_CSV_CHARS, parsePointsCsv } from '../engine/data/points';
import { runConfigs } from './compareSlice';
import { useStore } from './store';
import { getBridge } from './trainerSync';

export interface ImportState {
  points: ImportedPoints | null;
  /** Name of the file the imported points came from. */
  fileName: string | null;
  /** Name of the last file refused (the points above, if any, stay in use). */
  refusedName: string | null;
  /** Why the last file was refused (each bad row with its line), else empty. */
  errors: CsvError[];
  more: number;
  warnings: string[];
  /** A failure to hand the points to the trainer (plain text), else null. */
  trainerError: string | null;
}

export const useImported = create<ImportState>()(() => ({
  points: null,
  fileName: null,
  refusedName: null,
  errors: [],
  more: 0,
  warnings: [],
  trainerError: null,
}));

/** Rebuild the runs on `points` (null: back to the generated data of the config). */
async function sendToTrainer(points: ImportedPoints | null): Promise<string | null> {
  const bridge = getBridge();
  if (!bridge) return 'the trainer has not started';
  try {
    const r = await bridge.create(runConfigs(useStore.getState().config), { points });
    return r.ok ? null : r.message;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Read a CSV file: all rows good -> train on them; any bad row -> nothing changes, errors listed. */
export async function importCsv(fileName: string, text: string): Promise<boolean> {
  const r = parsePointsCsv(text);
  if (!r.ok) {
    useImported.setState({ errors: r.errors, more: r.more, warnings: [], refusedName: fileName, trainerError: null });
    return false;
  }
  const trainerError = await sendToTrainer(r.points);
  if (trainerError) {
    useImported.setState({ errors: [], more: 0, warnings: [], refusedName: fileName, trainerError });
    return false;
  }
  useImported.setState({
    points: r.points,
    fileName,
    refusedName: null,
    errors: [],
    more: 0,
    warnings: r.warnings,
    trainerError: null,
  });
  return true;
}

/** A File from an <input type=file>: refused before reading when it is far too large. */
export async function importCsvFile(file: File): Promise<boolean> {
  if (file.size > MAX_CSV_CHARS) {
    const message = `the file is ${(file.size / 1e6).toFixed(1)} MB; at most ${MAX_CSV_CHARS / 1e6} MB are read`;
    useImported.setState({
      errors: [{ line: 0, message }],
      more: 0,
      warnings: [],
      refusedName: file.name,
      trainerError: null,
    });
    return false;
  }
  return importCsv(file.name, await file.text());
}

/** Back to the generated data named by the config. */
export async function clearImport(): Promise<void> {
  const trainerError = await sendToTrainer(null);
  useImported.setState({
    points: null,
    fileName: null,
    refusedName: null,
    errors: [],
    more: 0,
    warnings: [],
    trainerError,
  });
}

/** Train on points kept earlier (a kept run's imported data). */
export async function loadImportedPoints(points: ImportedPoints, name: string): Promise<void> {
  const trainerError = await sendToTrainer(points);
  useImported.setState(
    trainerError
      ? { errors: [], more: 0, warnings: [], refusedName: name, trainerError }
      : { points, fileName: name, refusedName: null, errors: [], more: 0, warnings: [], trainerError: null },
  );
}
