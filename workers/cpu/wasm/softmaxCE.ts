// Softmax cross-entropy of a batch, the engine's softmaxCrossEntropyInto (src/engine/losses.ts)
// operation for operation, its exp and log as V8's (expLog.ts, bit for bit Math.exp / Math.log):
//   per row n of logits[B, C] (float32): m = max_j x_j (first index on ties; NaN never wins a compare)
//   sum = sum_j e^{x_j - m} (j in order, from 0)      lse = m + log(sum)
//   loss = (1/B) sum_n (lse - x_c)                    dLogits[n, j] = float32((e^{x_j - lse} - [j = c]) / B)
// The exps of a pass and the logs of the rows run two at a time (expArray, logArray) over a float64
// scratch[B C + 2 B] of the caller's; every sum stays sequential in the engine's order. (The engine
// skips Math.exp where x_j - m is +-0, Math.exp(+-0) = 1 exactly; here the arg-max's own is skipped.)
// Pointers are byte offsets: logits and dLogits float32 [B, C], labels int32 [B], scratch float64.
// Called by a race's fused step (racePlan.ts), its labels and scratch in the plan's last two slots.
// A single run's loss stays the engine's JavaScript (in the last stop's wiring of both, Chromium's
// bench race ran ~4% slower; the race alone, slots last, runs (c) 5-8% faster: issue 17's note).

import { expArray, logArray } from './expLog';

/** The correct count (arg-max = label) of the last softmaxCE call. */
let correctCount: i32 = 0;

export function softmaxCorrect(): i32 {
  return correctCount;
}

/** The batch's mean loss; dLogits written, the correct count kept for softmaxCorrect(). simd = 0: scalar exp/log. */
export function softmaxCE(
  logits: usize,
  labels: usize,
  B: i32,
  C: i32,
  dLogits: usize,
  scratch: usize,
  simd: i32,
): f64 {
  const n = B * C;
  const e = scratch;
  const mrow = scratch + ((<usize>n) << 3);
  const srow = mrow + ((<usize>B) << 3);
  let correct = 0;
  // pass 1: maxima, and the differences x_j - m into e, without the arg-max's own where it is 0
  // (finite m: e^0 = 1, Math.exp(+-0) = 1 exactly): C - 1 exps a row instead of C; the row's skipped
  // index kept in srow (-1: none, m is +-Inf or NaN and its difference NaN, as the engine's)
  let q: usize = e;
  for (let r = 0; r < B; r++) {
    const off = (<usize>(r * C)) << 2;
    let m = <f64>load<f32>(logits + off);
    let arg = 0;
    for (let j = 1; j < C; j++) {
      const v = <f64>load<f32>(logits + off + ((<usize>j) << 2));
      if (v > m) {
        m = v;
        arg = j;
      }
    }
    store<f64>(mrow + ((<usize>r) << 3), m);
    if (arg === load<i32>(labels + ((<usize>r) << 2))) correct++;
    const skip = m - m === 0 ? arg : -1;
    store<f64>(srow + ((<usize>r) << 3), <f64>skip);
    for (let j = 0; j < C; j++) {
      if (j === skip) continue;
      store<f64>(q, <f64>load<f32>(logits + off + ((<usize>j) << 2)) - m);
      q += 8;
    }
  }
  expArray(e, e, <i32>((q - e) >> 3), simd);
  // sums in the engine's order, 1 at the skipped index
  q = e;
  for (let r = 0; r < B; r++) {
    const skip = <i32>load<f64>(srow + ((<usize>r) << 3));
    let sum: f64 = 0;
    for (let j = 0; j < C; j++) {
      if (j === skip) sum += 1;
      else {
        sum += load<f64>(q);
        q += 8;
      }
    }
    store<f64>(srow + ((<usize>r) << 3), sum);
  }
  logArray(srow, srow, B, simd);
  let total: f64 = 0;
  for (let r = 0; r < B; r++) {
    const off = (<usize>(r * C)) << 2;
    const lse = load<f64>(mrow + ((<usize>r) << 3)) + load<f64>(srow + ((<usize>r) << 3));
    const c = load<i32>(labels + ((<usize>r) << 2));
    total += lse - <f64>load<f32>(logits + off + ((<usize>c) << 2));
    const eo = e + (off << 1);
    for (let j = 0; j < C; j++)
      store<f64>(eo + ((<usize>j) << 3), <f64>load<f32>(logits + off + ((<usize>j) << 2)) - lse);
  }
  expArray(e, e, n, simd);
  const fB = <f64>B;
  for (let r = 0; r < B; r++) {
    const off = (<usize>(r * C)) << 2;
    const c = load<i32>(labels + ((<usize>r) << 2));
    const eo = e + (off << 1);
    for (let j = 0; j < C; j++) {
      const y = load<f64>(eo + ((<usize>j) << 3));
      store<f32>(dLogits + off + ((<usize>j) << 2), <f32>((y - (j === c ? 1.0 : 0.0)) / fB));
    }
  }
  correctCount = correct;
  return total / fB;
}
