// Python source literals from JS values, for the generated PyTorch script.
// Numbers are written in their shortest exact form, so a value read back by Python is the very
// number the browser used: hyperparameters round-trip as float64, data as float32.

/** A float64 hyperparameter as Python source: `0.1`, `1e-08`, `2.0` (never an int literal). */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return "float('nan')";
  if (v === Number.POSITIVE_INFINITY) return "float('inf')";
  if (v === Number.NEGATIVE_INFINITY) return "-float('inf')";
  const s = String(v); // JS gives the shortest string that round-trips a float64, as Python's repr does
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

/** An integer as Python source (throws on a non-integer: a programming error in the generator). */
export function pyInt(v: number): string {
  if (!Number.isInteger(v)) throw new Error(`pyInt: ${v} is not an integer`);
  return String(v);
}

export const pyBool = (v: boolean): string => (v ? 'True' : 'False');

/** A Python string literal (JSON string syntax is valid Python for the characters we emit). */
export const pyStr = (s: string): string => JSON.stringify(s);

/**
 * Shortest decimal that reads back as the same float32 (at most 9 significant digits), e.g.
 * Math.fround(0.1) -> "0.1" rather than "0.10000000149011612".
 */
export function f32Text(v: number): string {
  const x = Math.fround(v);
  if (!Number.isFinite(x)) return pyFloat(x);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return normalizeExp(s);
  }
  return normalizeExp(x.toPrecision(9));
}

/** "1.5e+2" -> "1.5e2", "100" stays (numpy casts to the array dtype). */
function normalizeExp(s: string): string {
  return s.replace('e+', 'e');
}

/**
 * A row-major matrix [n, d] as a Python list of lists, `perLine` rows per line, each line
 * indented by `indent` spaces. Used inside `np.array(..., dtype=np.float32)`.
 */
export function pyMatrix(a: ArrayLike<number>, n: number, d: number, indent: number, perLine: number): string {
  if (a.length < n * d) throw new Error(`pyMatrix: ${a.length} values cannot fill [${n}, ${d}]`);
  const pad = ' '.repeat(indent);
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const cells: string[] = [];
    for (let j = 0; j < d; j++) cells.push(f32Text(a[i * d + j]));
    rows.push(`[${cells.join(', ')}]`);
  }
  const lines: string[] = [];
  for (let i = 0; i < rows.length; i += perLine) lines.push(`${pad}${rows.slice(i, i + perLine).join(', ')},`);
  return `[\n${lines.join('\n')}\n${' '.repeat(Math.max(0, indent - 4))}]`;
}

/** A flat integer vector as a Python list, `perLine` values per line. */
export function pyIntList(a: ArrayLike<number>, indent: number, perLine: number): string {
  const pad = ' '.repeat(indent);
  const vals = Array.from(a, (v) => pyInt(v));
  const lines: string[] = [];
  for (let i = 0; i < vals.length; i += perLine) lines.push(`${pad}${vals.slice(i, i + perLine).join(', ')},`);
  return `[\n${lines.join('\n')}\n${' '.repeat(Math.max(0, indent - 4))}]`;
}
