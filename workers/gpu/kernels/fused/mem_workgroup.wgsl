// fused_mlp scratch in workgroup memory: the fast choice on GPUs. (Every KB of workgroup memory
// costs about 0.1 s of pipeline compilation on SwiftShader, where it is no faster than storage.)
var<workgroup> mem: array<f32, MEM>;
fn mld(i: u32) -> f32 { return mem[i]; }
fn mst(i: u32, v: f32) { mem[i] = v; }
fn sync() { workgroupBarrier(); }
fn scratch_init(g: u32) {}
