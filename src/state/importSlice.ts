// The imported points the page trains on (the `imported` slice of store.ts; a CSV read by engine/data/points.ts), and the actions that send them
// to the worker. The file is the data: while points are imported, the runs train on them with
// the config's split and preprocessing, whatever generator data.name names. They are not in the
// link (a link cannot carry a file); the kept-runs storage keeps them with a kept run.
import type { ImportedPoints } from '../engine/data/points';
import { type ImportState, INITIAL_IMPORT, sliceAccess, useStore } from './store';
import { sendPoints } from './trainerSync';

export type { ImportState };

/** A component's view of the imported slice. */
export const useImported = <T = ImportState>(select: (s: ImportState) => T = (s) => s as T): T =>
  useStore((s) => select(s.imported));

const imported = sliceAccess('imported');
/** The imported slice now (for code outside React). */
export const getImported = imported.get;

/** Rebuild the runs on `points` (null: back to the generated data of the config), in the trainer's queue. */
const sendToTrainer = sendPoints;

/** Read a CSV file: all rows good -> train on them; any bad row -> nothing changes, errors listed. */
export async function importCsv(fileName: string, text: string): Promise<boolean> {
  // the CSV reader (d3-dsv) loads with the first file, not on the first screen (issue 16 §4)
  const { parsePointsCsv } = await import('../config/pointsCsv');
  const r = parsePointsCsv(text);
  if (!r.ok) {
    imported.set({ errors: r.errors, more: r.more, warnings: [], refusedName: fileName, trainerError: null });
    return false;
  }
  const trainerError = await sendToTrainer(r.points);
  if (trainerError) {
    imported.set({ errors: [], more: 0, warnings: [], refusedName: fileName, trainerError });
    return false;
  }
  imported.set({
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
  const { MAX_CSV_CHARS } = await import('../config/pointsCsv');
  if (file.size > MAX_CSV_CHARS) {
    const message = `the file is ${(file.size / 1e6).toFixed(1)} MB; at most ${MAX_CSV_CHARS / 1e6} MB are read`;
    imported.set({
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
  imported.set({ ...INITIAL_IMPORT, trainerError });
}

/** Train on points kept earlier (a kept run's imported data). */
export async function loadImportedPoints(points: ImportedPoints, name: string): Promise<void> {
  const trainerError = await sendToTrainer(points);
  imported.set(
    trainerError
      ? { errors: [], more: 0, warnings: [], refusedName: name, trainerError }
      : { points, fileName: name, refusedName: null, errors: [], more: 0, warnings: [], trainerError: null },
  );
}
