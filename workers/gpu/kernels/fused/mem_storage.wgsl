// fused_mlp scratch in this workgroup's region of a storage buffer: the choice on software adapters
// (no per-KB compile cost, same speed there). storageBarrier() orders it within the workgroup.
var<private> memBase: u32;
fn mld(i: u32) -> f32 { return scratch[memBase + i]; }
fn mst(i: u32, v: f32) { scratch[memBase + i] = v; }
fn sync() { storageBarrier(); }
fn scratch_init(g: u32) { memBase = g * MEM; }
