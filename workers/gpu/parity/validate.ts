// Compare a GPU result with the engine's reference, llm.c validate_result style:
// tolerance t = atol + rtol * |ref| per element; NaN or Infinity on either side is a mismatch
// unless both are the same non-finite value. The report lists the first mismatches with their
// index, both values and the error, so a failing test reads like a diff.

export interface Validation {
  name: string;
  ok: boolean;
  n: number;
  mismatches: number;
  /** Largest |got - ref| / (atol + rtol |ref|) over finite pairs: <= 1 means within tolerance. */
  worst: number;
  maxAbsErr: number;
  /** Human-readable: "matmul B=33 I=17 O=5: 3/165 mismatches; first: [12] got 0.51 ref 0.5 (err 1e-2 > tol 1e-5)". */
  message: string;
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(7) : String(x));

export function validateResult(
  name: string,
  got: ArrayLike<number>,
  ref: ArrayLike<number>,
  atol: number,
  rtol: number,
  listFirst = 8,
): Validation {
  const n = ref.length;
  const lines: string[] = [];
  let mismatches = 0;
  let worst = 0;
  let maxAbsErr = 0;
  if (got.length < n) {
    lines.push(`  length: got ${got.length} values, expected ${n}`);
    mismatches += n - got.length;
  }
  for (let i = 0; i < Math.min(n, got.length); i++) {
    const g = got[i];
    const r = ref[i];
    const tol = atol + rtol * Math.abs(r);
    let bad: boolean;
    if (!Number.isFinite(g) || !Number.isFinite(r)) {
      bad = !(Object.is(g, r) || (Number.isNaN(g) && Number.isNaN(r)));
    } else {
      const err = Math.abs(g - r);
      maxAbsErr = Math.max(maxAbsErr, err);
      worst = Math.max(worst, err === 0 ? 0 : err / tol);
      bad = err > tol;
    }
    if (bad) {
      mismatches++;
      if (lines.length < listFirst)
        lines.push(`  [${i}] got ${fmt(g)} ref ${fmt(r)} (err ${fmt(Math.abs(g - r))} > tol ${fmt(tol)})`);
    }
  }
  const ok = mismatches === 0;
  const head = `${name}: ${ok ? 'ok' : `${mismatches}/${n} mismatches`} (max abs err ${maxAbsErr.toExponential(2)}, worst err/tol ${worst.toFixed(3)})`;
  return { name, ok, n, mismatches, worst, maxAbsErr, message: ok ? head : [head, ...lines].join('\n') };
}
