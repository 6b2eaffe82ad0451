// No code from strings and no HTML from data: every TypeScript file of the app and the worker is
// parsed (the TypeScript compiler's own parser, so comments and strings never count) and searched
// for eval, new Function, string timers, innerHTML/outerHTML, insertAdjacentHTML, document.write,
// createContextualFragment and dangerouslySetInnerHTML. The one allowed sink is KaTeX's output in
// the lesson formulas, and that output is checked to escape whatever it is given.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import katex from 'katex';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { recordFigures } from '../../test-support/figures';

const ROOT = process.cwd();
/** File -> the sinks it may use, with the reason. */
const ALLOWED: Record<string, string[]> = {
  // KaTeX output of the lesson catalogue (trust off: no \href, \htmlData; text escaped). Checked below.
  'src/components/lessons/Tex.tsx': ['dangerouslySetInnerHTML'],
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const HTML_PROPS = new Set(['innerHTML', 'outerHTML']);
const HTML_CALLS = new Set(['insertAdjacentHTML', 'createContextualFragment', 'write', 'writeln']);

/** Every dangerous construct in one file, as "sink at line". */
function findSinks(file: string, text: string): { sink: string; line: number }[] {
  const sf = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: { sink: string; line: number }[] = [];
  const at = (n: ts.Node, sink: string) =>
    found.push({ sink, line: sf.getLineAndCharacterOfPosition(n.getStart()).line + 1 });
  const calleeName = (e: ts.Expression): string | null =>
    ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : null;
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const name = calleeName(n.expression);
      if (name === 'eval') at(n, 'eval');
      if (name === 'Function') at(n, 'new Function');
      if (
        (name === 'setTimeout' || name === 'setInterval') &&
        n.arguments?.[0] &&
        ts.isStringLiteralLike(n.arguments[0])
      )
        at(n, 'string timer');
      if (name && HTML_CALLS.has(name) && ts.isPropertyAccessExpression(n.expression)) {
        const obj = n.expression.expression.getText(sf);
        if (name === 'insertAdjacentHTML' || name === 'createContextualFragment' || /document$/.test(obj)) at(n, name);
      }
    }
    if (ts.isPropertyAccessExpression(n) && HTML_PROPS.has(n.name.text)) at(n, n.name.text);
    if (
      ts.isElementAccessExpression(n) &&
      ts.isStringLiteralLike(n.argumentExpression) &&
      HTML_PROPS.has(n.argumentExpression.text)
    )
      at(n, n.argumentExpression.text);
    if (ts.isJsxAttribute(n) && n.name.getText(sf) === 'dangerouslySetInnerHTML') at(n, 'dangerouslySetInnerHTML');
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe('code hygiene', () => {
  it('has no eval, new Function, string timers or HTML sinks outside the one allowed', () => {
    const files = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'workers'))];
    const offending: string[] = [];
    let allowed = 0;
    for (const f of files) {
      const rel = relative(ROOT, f);
      for (const { sink, line } of findSinks(rel, readFileSync(f, 'utf8'))) {
        if (ALLOWED[rel]?.includes(sink)) allowed++;
        else offending.push(`${rel}:${line}: ${sink}`);
      }
    }
    recordFigures('code-hygiene', { filesScanned: files.length, sinksFound: offending.length, allowedSinks: allowed });
    expect(offending).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
  });

  it('finds each kind of sink when it is there (the scanner is not blind)', () => {
    const bad = [
      'eval("1")',
      'const f = new Function("return 1")',
      'setTimeout("x()", 0)',
      'el.innerHTML = s',
      'el["outerHTML"] = s',
      'el.insertAdjacentHTML("beforeend", s)',
      'document.write(s)',
      'range.createContextualFragment(s)',
    ].join('\n');
    expect(findSinks('x.ts', bad).map((s) => s.sink)).toEqual([
      'eval',
      'new Function',
      'string timer',
      'innerHTML',
      'outerHTML',
      'insertAdjacentHTML',
      'write',
      'createContextualFragment',
    ]);
    expect(findSinks('x.tsx', 'const a = <div dangerouslySetInnerHTML={{ __html: s }} />').map((s) => s.sink)).toEqual([
      'dangerouslySetInnerHTML',
    ]);
    // Words in comments and strings are not code.
    expect(findSinks('x.ts', '// eval(x) innerHTML\nconst s = "document.write(1)";')).toEqual([]);
  });

  it('the allowed sink (KaTeX, as Tex.tsx calls it) escapes markup and refuses javascript: links', () => {
    const source = readFileSync(join(ROOT, 'src/components/lessons/Tex.tsx'), 'utf8');
    expect(source).toContain('katex.renderToString(');
    expect(source).not.toMatch(/trust\s*:\s*true/);
    const html = katex.renderToString(
      String.raw`\text{<img src=x onerror=alert(1)>} \href{javascript:alert(1)}{x} \htmlClass{a}{b} <script>`,
      { displayMode: true, throwOnError: false, output: 'htmlAndMathml' },
    );
    // Only the tags count (the text shows the input, escaped): no img/script, no handler, no link.
    const tags = html.match(/<[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(10);
    expect(tags.filter((t) => /^<\/?(img|script|iframe|a)\b|\son\w+=|href=|javascript:/i.test(t))).toEqual([]);
    expect(html).toContain('&lt;img src=x');
  });
});
