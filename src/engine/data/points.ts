// Labelled 2D points a user brought (read from a CSV by src/config/pointsCsv.ts, kept with a
// kept run, sent to the worker): the data of a 'custom' Dataset (customDataset.ts).

export interface ImportedPoints {
  /** [n, 2] raw coordinates. */
  x: Float32Array;
  /** [n] class indices 0..classes-1. */
  labels: Int32Array;
  classes: number;
  /** The label text of each class index, as written in the file. */
  classNames: string[];
}
