// Every registered optimizer's update rule typesets: KaTeX parses each TeX line of its spec
// (a typo would otherwise show as red source text on screen).
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { OPTIMIZERS } from '../../engine/optimizers/registry';

describe('optimizer update rules', () => {
  it.each(OPTIMIZERS.map((o) => [o.name, o.rule] as const))('%s: every line is valid TeX', (_, rule) => {
    for (const tex of rule) expect(() => katex.renderToString(tex, { throwOnError: true })).not.toThrow();
  });
});
