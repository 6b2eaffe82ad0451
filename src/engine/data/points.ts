// Reading a CSV of labelled 2D points (x, y, label): the most requested feature of the older
// playground. All or nothing: any bad row is reported with its line number and the file is not
// imported at all, so a class never trains on half a file without knowing it.
//
// Accepted: comma, semicolon or tab separated (detected from the first row; with ';' or tab a
// decimal comma is read as a point); an optional header (names x, y and label/class in any
// order, extra columns ignored); quoted fields ("a,b"); blank lines and lines starting with '#'
// are skipped; a byte-order mark is dropped. Labels are any text (2 to MAX_CLASSES classes):
// whole numbers are ordered numerically, other names by first appearance.

export const MIN_POINTS = 20;
export const MAX_POINTS = 5000;
export const MAX_CLASSES = 10;
/** Characters read at most (about 5 MB): far beyond 5,000 rows, refused before any work. */
export const MAX_CSV_CHARS = 5_000_000;
/** Errors listed at most; the rest are counted. */
export const MAX_ERRORS = 20;

export interface ImportedPoints {
  /** [n, 2] raw coordinates. */
  x: Float32Array;
  /** [n] class indices 0..classes-1. */
  labels: Int32Array;
  classes: number;
  /** The label text of each class index, as written in the file. */
  classNames: string[];
}

export interface CsvError {
  /** 1-based line in the file (0 for the file as a whole). */
  line: number;
  message: string;
}

export type CsvResult =
  | { ok: true; points: ImportedPoints; warnings: string[] }
  | { ok: false; errors: CsvError[]; more: number };

const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** Splits one line on `sep`, honouring double quotes ("" inside quotes is a quote). Null: unclosed quote. */
export function splitLine(line: string, sep: string): string[] | null {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (quoted) return null;
  out.push(cur);
  return out.map((s) => s.trim());
}

function detectSeparator(line: string): string {
  const count = (c: string) => line.split(c).length - 1;
  if (count(';') >= 2) return ';';
  if (count('\t') >= 2) return '\t';
  return ',';
}

/** Text -> finite number, or null. With ';' or tab separators, "1,5" reads as 1.5. */
function readNumber(s: string, decimalComma: boolean): number | null {
  const t = decimalComma ? s.replace(',', '.') : s;
  if (!NUMBER_RE.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) && Math.abs(v) <= 3.4e38 ? v : null;
}

const show = (s: string) => JSON.stringify(s.length > 24 ? `${s.slice(0, 24)}…` : s);

interface Columns {
  x: number;
  y: number;
  label: number;
  width: number;
}

/** Column positions from a header row, or a message saying what is missing. */
function headerColumns(cells: string[]): Columns | string {
  const names = cells.map((c) => c.toLowerCase());
  const find = (...opts: string[]) => names.findIndex((n) => opts.includes(n));
  const x = find('x', 'x1');
  const y = find('y', 'x2');
  const label = find('label', 'class', 'target', 'category');
  const missing = [x < 0 ? 'x' : '', y < 0 ? 'y' : '', label < 0 ? 'label' : ''].filter((s) => s !== '');
  if (missing.length > 0) return `the header must name columns x, y and label; missing ${missing.join(', ')}`;
  return { x, y, label, width: cells.length };
}

export function parsePointsCsv(text: string): CsvResult {
  const errors: CsvError[] = [];
  let more = 0;
  const fail = (line: number, message: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ line, message });
    else more++;
  };
  if (typeof text !== 'string' || text.length > MAX_CSV_CHARS)
    return { ok: false, errors: [{ line: 0, message: `the file is larger than ${MAX_CSV_CHARS / 1e6} MB` }], more };
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const content = (i: number) => lines[i].trim() !== '' && !lines[i].trimStart().startsWith('#');
  const first = lines.findIndex((_, i) => content(i));
  if (first < 0) return { ok: false, errors: [{ line: 0, message: 'the file has no rows' }], more };
  const sep = detectSeparator(lines[first]);
  const decimalComma = sep !== ',';

  let cols: Columns = { x: 0, y: 1, label: 2, width: 3 };
  let start = first;
  const head = splitLine(lines[first], sep);
  if (head && head.length >= 2 && readNumber(head[0], decimalComma) === null) {
    const h = headerColumns(head);
    if (typeof h !== 'string') {
      cols = h;
      start = first + 1;
    } else if (readNumber(head[1], decimalComma) === null) {
      // Neither a header nor a data row (a data row with a bad x is reported as such below).
      return { ok: false, errors: [{ line: first + 1, message: h }], more };
    }
  }
  const xs: number[] = [];
  const names: string[] = [];
  for (let i = start; i < lines.length; i++) {
    if (!content(i)) continue;
    const line = i + 1;
    if (xs.length / 2 >= MAX_POINTS) {
      fail(line, `more than ${MAX_POINTS} points; Descent trains on at most ${MAX_POINTS}`);
      break;
    }
    const cells = splitLine(lines[i], sep);
    if (!cells) {
      fail(line, 'a quote is not closed');
      continue;
    }
    if (cells.length < cols.width || (start === first && cells.length > cols.width)) {
      fail(line, `expected ${cols.width} columns (x, y, label), found ${cells.length}`);
      continue;
    }
    const x = readNumber(cells[cols.x], decimalComma);
    const y = readNumber(cells[cols.y], decimalComma);
    const label = cells[cols.label];
    if (x === null) fail(line, `x is not a finite number: ${show(cells[cols.x])}`);
    if (y === null) fail(line, `y is not a finite number: ${show(cells[cols.y])}`);
    if (label === '') fail(line, 'the label is empty');
    if (x === null || y === null || label === '') continue;
    xs.push(x, y);
    names.push(label);
  }
  if (errors.length === 0 && names.length < MIN_POINTS)
    fail(0, `${names.length} points; at least ${MIN_POINTS} are needed to train and validate`);
  const classNames = classOrder(names);
  if (errors.length === 0 && classNames.length < 2)
    fail(0, `every point has the label ${show(classNames[0] ?? '')}; at least 2 classes are needed`);
  if (errors.length === 0 && classNames.length > MAX_CLASSES)
    fail(
      0,
      `${classNames.length} different labels; at most ${MAX_CLASSES} classes (is a coordinate in the label column?)`,
    );
  if (errors.length > 0) return { ok: false, errors, more };

  const index = new Map(classNames.map((n, k) => [n, k]));
  const points: ImportedPoints = {
    x: Float32Array.from(xs),
    labels: Int32Array.from(names, (n) => index.get(n)!),
    classes: classNames.length,
    classNames,
  };
  return { ok: true, points, warnings: rangeWarnings(points) };
}

/** Whole-number labels in numeric order (0, 1, 2 ...), other names in order of first appearance. */
function classOrder(names: string[]): string[] {
  const unique = [...new Set(names)];
  if (unique.every((n) => /^[-+]?\d+$/.test(n))) return unique.sort((a, b) => Number(a) - Number(b));
  return unique;
}

function rangeWarnings(p: ImportedPoints): string[] {
  let m = 0;
  for (const v of p.x) m = Math.max(m, Math.abs(v));
  return m > 100
    ? [`coordinates reach ${m.toPrecision(3)}: choose Standardize under Preprocess, or training may diverge`]
    : [];
}

/** "line 7: x is not a finite number" - for the page's message list. */
export const csvErrorText = (e: CsvError) => (e.line > 0 ? `line ${e.line}: ${e.message}` : e.message);
