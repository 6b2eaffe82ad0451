// Muon's Newton-Schulz orthogonalisation of one matrix, by a whole workgroup (reference:
// src/engine/optimizers/muon.ts newtonSchulz5). The caller binds `ns: array<f32>` (read_write
// storage) and defines WG (its invocations per workgroup, at most NS_RED); NS_RED is generated
// from workers/gpu/plan.ts. A matrix U[rows, cols] owns the region of ns at `base` (plan.ts nsRegion):
//   red [NS_RED] (partial sums) | X [n, k] | Y [n, k] | A [n, n] | B [n, n]     n = min, k = max
// X holds U (U^T when rows > cols: ns_index) on entry and O = NS5(U) in the same orientation on return:
//   X <- X / (||X||_F + 1e-7);  5 times: A = X X^T;  B = b A + c A A;  X <- a X + B X
// with (a, b, c) = (3.4445, -4.7750, 2.0315). f32 sums (the engine's are float64). Call in uniform
// control flow: every step ends with a storageBarrier (which also orders the caller's writes to X).

const NS_A: f32 = 3.4445;
const NS_B: f32 = -4.775;
const NS_C: f32 = 2.0315;
const NS_EPS: f32 = 1e-7;

// Where element i (row-major) of U[rows, cols] lives in X, relative to X's start.
fn ns_index(rows: u32, cols: u32, i: u32) -> u32 {
  if (rows > cols) { return (i % cols) * rows + i / cols; }
  return i;
}

fn newton_schulz5(base: u32, rows: u32, cols: u32, t: u32) {
  let n = min(rows, cols);
  let k = max(rows, cols);
  let nk = n * k;
  var x = base + NS_RED;        // the iterate, then the next one at y (ping-pong)
  var y = x + nk;
  let a = y + nk;
  let b = a + n * n;
  storageBarrier();             // X as the caller wrote it
  var sq = 0.0;
  for (var i = t; i < nk; i += WG) { sq += ns[x + i] * ns[x + i]; }
  ns[base + t] = sq;
  storageBarrier();
  var total = 0.0;
  for (var i = 0u; i < WG; i++) { total += ns[base + i]; }
  let dn = sqrt(total) + NS_EPS;
  for (var i = t; i < nk; i += WG) { ns[x + i] = ns[x + i] / dn; }
  storageBarrier();
  for (var it = 0u; it < 5u; it++) {
    // A = X X^T [n, n]
    for (var q = t; q < n * n; q += WG) {
      let i = q / n;
      let j = q % n;
      var s = 0.0;
      for (var l = 0u; l < k; l++) { s += ns[x + i * k + l] * ns[x + j * k + l]; }
      ns[a + q] = s;
    }
    storageBarrier();
    // B = b A + c A A
    for (var q = t; q < n * n; q += WG) {
      let i = q / n;
      let j = q % n;
      var s = 0.0;
      for (var l = 0u; l < n; l++) { s += ns[a + i * n + l] * ns[a + l * n + j]; }
      ns[b + q] = NS_B * ns[a + q] + NS_C * s;
    }
    storageBarrier();
    // Y = a X + B X [n, k]
    for (var q = t; q < nk; q += WG) {
      let i = q / k;
      let j = q % k;
      var s = 0.0;
      for (var l = 0u; l < n; l++) { s += ns[b + i * n + l] * ns[x + l * k + j]; }
      ns[y + q] = NS_A * ns[x + q] + s;
    }
    storageBarrier();
    let swap = x;
    x = y;
    y = swap;
  }
  // five steps leave the result in the second buffer: back to X, where the caller reads it
  for (var q = t; q < nk; q += WG) { ns[y + q] = ns[x + q]; }
  storageBarrier();
}
