// Each kernel's uniform packer (kernels.ts `uniform` field names + packUniform) against the WGSL
// struct it fills: same fields, same order, all u32, so a named value lands in its own word.
import { describe, expect, it } from 'vitest';
import { type DimsKernel, KERNELS, packUniform } from './kernels';

/** Fields of `struct Dims { ... }` in a WGSL source, in order, with their types. */
function dimsStruct(code: string): [string, string][] {
  const m = code.replace(/\/\/.*$/gm, '').match(/struct Dims \{([^}]*)\}/);
  if (!m) throw new Error('no struct Dims');
  return [...m[1].matchAll(/(\w+)\s*:\s*([\w<>, ]+?)\s*(?:,|$)/g)].map((f) => [f[1], f[2]]);
}

describe('kernel uniforms', () => {
  const withDims = Object.entries(KERNELS).filter(([, s]) => 'uniform' in s) as [
    DimsKernel,
    { code: string; uniform: readonly string[] },
  ][];

  it('covers every kernel whose uniform is a Dims struct bound at binding 0 (except the fused one, packed in fused.ts)', () => {
    const dimsKernels = Object.entries(KERNELS)
      .filter(([, s]) => /@binding\(0\) var<uniform> d: Dims;/.test(s.code) && !/struct Layer/.test(s.code))
      .map(([n]) => n);
    expect(withDims.map(([n]) => n).sort()).toEqual(dimsKernels.sort());
  });

  for (const [name, spec] of withDims) {
    it(`${name}: the packer's fields are the WGSL struct's, in order, all u32`, () => {
      const wgsl = dimsStruct(spec.code);
      expect(spec.uniform).toEqual(wgsl.map(([f]) => f));
      for (const [f, type] of wgsl) expect(type, f).toBe('u32');
      // each named value lands in its own word; pads are 0
      const values = Object.fromEntries(spec.uniform.filter((f) => !f.startsWith('pad')).map((f, i) => [f, 100 + i]));
      const words = packUniform(name, values as never);
      spec.uniform.forEach((f, i) => {
        expect(words[i], f).toBe(f.startsWith('pad') ? 0 : values[f]);
      });
    });
  }

  it('names the field of a wrong value', () => {
    expect(() => packUniform('norms', { nSeg: 1, P: 2, gradOff: 3, aRun: 4, extra: 1 } as never)).toThrow(/'extra'/);
    expect(() => packUniform('norms', { nSeg: 1, P: 2, gradOff: 2.5, aRun: 4 })).toThrow(/'gradOff'/);
    expect(() => packUniform('norms', { nSeg: 1, P: 2, gradOff: 3 } as never)).toThrow(/'aRun'/);
  });
});
