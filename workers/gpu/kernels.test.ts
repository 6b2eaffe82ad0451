// Each kernel's uniform packer (kernels.ts `uniform` field names + packUniform) against the WGSL
// struct it fills: same fields, same order, all u32, so a named value lands in its own word. The
// fused kernel's struct continues after its scalar head with the layer and item tables, checked
// against FUSED_LAYER / packFusedLayer and the table sizes fused.ts writes.
import { describe, expect, it } from 'vitest';
import { FUSED_MAX_ITEMS, FUSED_MAX_LAYERS } from './fused';
import { type DimsKernel, FUSED_LAYER, KERNELS, packFusedLayer, packUniform, uniformWord } from './kernels';

/** Fields of `struct <name> { ... }` in a WGSL source, in order, with their types (commas inside <> kept). */
function structFields(code: string, name: string): [string, string][] {
  const m = code.replace(/\/\/.*$/gm, '').match(new RegExp(`struct ${name} \\{([^}]*)\\}`));
  if (!m) throw new Error(`no struct ${name}`);
  const fields: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of m[1]) {
    if (ch === '<') depth++;
    if (ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      fields.push(cur);
      cur = '';
    } else cur += ch;
  }
  fields.push(cur);
  return fields
    .map((f) => f.trim())
    .filter((f) => f !== '')
    .map((f) => {
      const [n, ...t] = f.split(':');
      return [n.trim(), t.join(':').replace(/\s+/g, ' ').replace(/ ?, ?/g, ', ').trim()];
    });
}

/** The struct type of the uniform at @group(0) @binding(0), or null. */
const uniformStruct = (code: string) =>
  code.match(/@group\(0\) @binding\(0\) var<uniform> \w+\s*:\s*(\w+);/)?.[1] ?? null;

describe('kernel uniforms', () => {
  const withDims = Object.entries(KERNELS).filter(([, s]) => 'uniform' in s) as [
    DimsKernel,
    { code: string; uniform: readonly string[] },
  ][];

  it('covers every kernel with a uniform struct at binding 0', () => {
    const all = Object.entries(KERNELS)
      .filter(([, s]) => uniformStruct(s.code) !== null)
      .map(([n]) => n);
    expect(all.length).toBe(Object.keys(KERNELS).length);
    expect(withDims.map(([n]) => n).sort()).toEqual(all.sort());
  });

  for (const [name, spec] of withDims) {
    it(`${name}: the packer's fields are the WGSL struct's, in order, all u32`, () => {
      const wgsl = structFields(spec.code, uniformStruct(spec.code) as string);
      const head = wgsl.slice(0, spec.uniform.length);
      expect(spec.uniform).toEqual(head.map(([f]) => f));
      for (const [f, type] of head) expect(type, f).toBe('u32');
      // only the fused kernel's struct goes on: its layer table and item table, nothing else
      const rest = wgsl.slice(spec.uniform.length);
      if (name.startsWith('fused_mlp'))
        expect(rest).toEqual([
          ['layers', `array<Layer, ${FUSED_MAX_LAYERS}>`],
          ['items', `array<vec4<u32>, ${FUSED_MAX_ITEMS}>`],
        ]);
      else expect(rest).toEqual([]);
      // each named value lands in its own word; pads are 0
      const values = Object.fromEntries(spec.uniform.filter((f) => !f.startsWith('pad')).map((f, i) => [f, 100 + i]));
      const words = packUniform(name, values as never);
      spec.uniform.forEach((f, i) => {
        expect(words[i], f).toBe(f.startsWith('pad') ? 0 : values[f]);
        expect(uniformWord(name, f as never), f).toBe(i);
      });
    });
  }

  it("fused Layer: FUSED_LAYER names the struct's four vec4<u32> word by word, and packFusedLayer follows it", () => {
    const wgsl = structFields(KERNELS.fused_mlp.code, 'Layer');
    expect(wgsl.map(([f]) => f)).toEqual(Object.keys(FUSED_LAYER));
    for (const [f, type] of wgsl) expect(type, f).toBe('vec4<u32>');
    const names = Object.values(FUSED_LAYER).flat();
    expect(names).toHaveLength(16);
    const values = Object.fromEntries(names.map((f, i) => [f, 10 + i]));
    expect(packFusedLayer(values as never)).toEqual(names.map((f) => values[f]));
  });

  it('names the field of a wrong value', () => {
    expect(() => packUniform('norms', { nSeg: 1, P: 2, gradOff: 3, aRun: 4, extra: 1 } as never)).toThrow(/'extra'/);
    expect(() => packUniform('norms', { nSeg: 1, P: 2, gradOff: 2.5, aRun: 4 })).toThrow(/'gradOff'/);
    expect(() => packUniform('norms', { nSeg: 1, P: 2, gradOff: 3 } as never)).toThrow(/'aRun'/);
  });
});
