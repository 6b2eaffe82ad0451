// The PyTorch script's own optimizer classes (rules torch 1.13 lacks: Lion, LAMB), built from
// their per-parameter body so that each spec writes only its rule. Plain Python text lines.

/**
 * A torch.optim.Optimizer subclass `name` whose step runs `body` (Python lines, indented as inside
 * `for w in group["params"]:`, with `b1, b2 = group["betas"]` and the group dict in scope) for every
 * parameter with a gradient; `hypers`: its constructor's keyword names after lr.
 */
export function pyOptimizerClass(
  name: string,
  doc: readonly string[],
  hypers: readonly string[],
  body: readonly string[],
): string[] {
  const args = ['lr', ...hypers];
  return [
    `class ${name}(torch.optim.Optimizer):`,
    ...doc.map((l, i) => `    ${i === 0 ? '"""' : ''}${l}${i === doc.length - 1 ? '"""' : ''}`),
    '',
    `    def __init__(self, params, ${args.join(', ')}):`,
    `        super().__init__(params, dict(${args.map((a) => `${a}=${a}`).join(', ')}))`,
    '',
    '    @torch.no_grad()',
    '    def step(self):',
    '        for group in self.param_groups:',
    '            b1, b2 = group["betas"]',
    '            for w in group["params"]:',
    '                if w.grad is None:',
    '                    continue',
    ...body.map((l) => `                ${l}`),
    '',
    '',
  ];
}

/** `optimizer = name(...)` over the DECAYED group (weight_decay WEIGHT_DECAY) and NOT_DECAYED (0). */
export function pyDecayedGroups(name: string, kwargs: readonly string[]): string[] {
  return [
    `optimizer = ${name}(`,
    '    [{"params": DECAYED, "weight_decay": WEIGHT_DECAY}, {"params": NOT_DECAYED, "weight_decay": 0.0}],',
    ...kwargs.map((k) => `    ${k},`),
    ')',
  ];
}
