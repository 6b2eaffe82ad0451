// The per-step uniform (@group(1), one 256-byte slot per step of a submission, selected by a
// dynamic offset): which step of the submission a dispatch belongs to and which rows it reads.

struct Step {
  s: u32,        // slot of this step within the submission (0-based)
  rowBase: u32,  // first entry of this step's rows (training: s * B; evaluation: the chunk's first sample)
  valid: u32,    // rows of this batch that are real samples (the last evaluation chunk is partial)
  flags: u32,    // bit 0: first chunk of an evaluation pass (its sums start from 0)
}
@group(1) @binding(0) var<uniform> st: Step;
