// A config patch (a deep partial of TrainConfig as JSON) written over a config: the lessons'
// presets and their live phases. Plain data in, a fresh object out (neither input is changed).

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** base with patch's leaves written over it; arrays (model.hidden) are replaced whole. */
export function mergePatch(base: unknown, patch: unknown): unknown {
  if (!isObj(base) || !isObj(patch)) return structuredClone(patch);
  const out: Obj = structuredClone(base);
  for (const [k, v] of Object.entries(patch)) out[k] = k in out ? mergePatch(out[k], v) : structuredClone(v);
  return out;
}
