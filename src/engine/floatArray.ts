// The two array types the engine computes in. Float32Array everywhere in training (it is what
// the GPU holds); Float64Array where a finite-difference gradient check needs the precision.
// Every function that is generic over FloatArray returns arrays of the precision of its
// parameters, so a float64 network stays float64 end to end.

export type FloatArray = Float32Array | Float64Array;

/** A zeroed array of length n with the same precision as `like`. */
export function allocLike(like: FloatArray, n: number): FloatArray {
  return like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}

/** Euclidean norm of a[off .. off+n) (accumulated in float64). */
export function l2Norm(a: FloatArray, off = 0, n = a.length - off): number {
  let s = 0;
  for (let i = off; i < off + n; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** True when every entry of a[from, to) (all of a by default) is finite (no NaN, no ±Infinity). */
export function allFinite(a: FloatArray, from = 0, to = a.length): boolean {
  for (let i = from; i < to; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
