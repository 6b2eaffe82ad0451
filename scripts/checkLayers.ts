// `npm run check:layers`: the import rule of docs/architecture.md, checked on the source.
//
// Reads every import of src/, workers/ and test-support/ with the TypeScript parser: `import`,
// `import type`, `export … from`, dynamic `import()`, `import('…')` types, and worker references
// `new URL('…', import.meta.url)`. Test files (*.test.ts[x]) are leaves that nothing imports, so
// they are left out of the graph and the rules (a test may import anything it tests).
//
// Granularity of the folder graph: one node per first-level folder of src/ (src/engine,
// src/state, src/components with its subfolders, …; the files directly in src/ are the node
// `src`, the App), one node for all of workers/ (its cpu/ and gpu/ subfolders are one layer with
// the worker entry that picks between them), and one for test-support/.
//
// Fails (exit 1) on:
//  - a cycle between folders (each edge of the cycle printed with one file:line that makes it);
//  - a cycle between files inside src/engine;
//  - an import breaking a rule below (RULES), or engine code doing I/O;
//  - a relative import that resolves to no file.
// `--graph` also prints the folder graph from the ground up (the layer picture of the docs).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

export interface Import {
  from: string; // importing file, relative to the root, '/'-separated
  to: string; // resolved file relative to the root, or the package name for a bare specifier
  pkg: boolean;
  line: number;
  spec: string;
}

export interface Violation {
  file: string;
  line: number;
  message: string;
}

/** A rule: files of `unit` may import only files whose path starts with one of `may`. */
interface UnitRule {
  unit: string;
  may: string[];
  packages: string[];
  why: string;
}

export const RULES: UnitRule[] = [
  {
    unit: 'src/engine',
    may: ['src/engine/'],
    packages: [],
    why: 'src/engine imports nothing outside itself (it runs in the page, the worker, Node and tests)',
  },
  {
    unit: 'workers',
    may: ['workers/', 'src/engine/', 'src/config/schema.ts'],
    packages: ['comlink'],
    why: 'workers/ imports only the engine and the config schema, nothing from the page',
  },
];

/** Who may import what: a target (path prefix or package) and the units allowed to import it. */
export const PRIVATE: { target: string; units: string[]; why: string }[] = [
  { target: 'comlink', units: ['src/trainer', 'workers'], why: 'only src/trainer talks to the worker' },
  { target: 'src/trainer/client.ts', units: ['src/trainer'], why: 'only src/trainer talks to the worker' },
  {
    target: 'workers/',
    units: ['src/trainer', 'workers', 'test-support'],
    why: 'only src/trainer talks to the worker',
  },
  {
    target: 'src/trainer/bridge.ts',
    units: ['src/trainer', 'src/state'],
    why: 'views read the runs through useRunBuffers (src/trainer/runBuffers.ts) and act through src/state, never through the bridge',
  },
  { target: 'test-support/', units: ['test-support'], why: 'test-support/ is for tests; the app never imports it' },
];

/**
 * The workers/ files the page may read: the protocol types both sides share (trainer, lessons), and the digits file
 * loader (page and worker both load the file; neither talks to the other through it).
 */
export const SHARED = ['workers/protocol.ts', 'workers/digits.ts'];

/** Globals that mean I/O or a page/worker environment: the engine receives data, it never loads it. */
const IO_GLOBALS = new Set([
  'fetch',
  'document',
  'window',
  'self',
  'navigator',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'XMLHttpRequest',
  'importScripts',
  'process',
  'require',
]);

const ROOTS = ['src', 'workers', 'test-support'];
/** Non-code files a module may reference that the build produces (not required to exist). */
const ASSET = /\.(wasm|bin|png|svg|json|css)$/;
const isSource = (f: string) => /\.(ts|tsx)$/.test(f) && !/\.d\.ts$/.test(f);
const isTest = (f: string) => /\.test\.tsx?$/.test(f);

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (isSource(p)) out.push(p);
  }
}

const posix = (p: string) => p.split(sep).join('/');

/** The folder node a file belongs to (see the granularity note at the top). */
export function unitOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : 'src';
  return parts[0];
}

function resolveSpec(root: string, fromFile: string, spec: string): string | null {
  const clean = spec.replace(/\?.*$/, '');
  const base = resolve(root, dirname(fromFile), clean);
  const tries = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  if (/\.js$/.test(base)) tries.push(base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'));
  for (const t of tries) if (existsSync(t) && statSync(t).isFile()) return posix(relative(root, t));
  return null;
}

/** Every import of one file, with line numbers; relative ones resolved against `root`. */
export function importsOf(
  root: string,
  file: string,
  text: string,
): { imports: Import[]; unresolved: Import[]; io: Violation[] } {
  const sf = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const imports: Import[] = [];
  const unresolved: Import[] = [];
  const io: Violation[] = [];
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const add = (spec: string, node: ts.Node) => {
    const line = lineOf(node);
    if (!spec.startsWith('.')) {
      imports.push({
        from: file,
        to: spec.startsWith('node:')
          ? spec
          : spec
              .split('/')
              .slice(0, spec.startsWith('@') ? 2 : 1)
              .join('/'),
        pkg: true,
        line,
        spec,
      });
      return;
    }
    const to = resolveSpec(root, file, spec);
    if (to) imports.push({ from: file, to, pkg: false, line, spec });
    else if (ASSET.test(spec.replace(/\?.*$/, '')))
      // an asset the build makes (e.g. a .wasm): counted where it will be, not required to exist
      imports.push({
        from: file,
        to: posix(relative(root, resolve(root, dirname(file), spec.replace(/\?.*$/, '')))),
        pkg: false,
        line,
        spec,
      });
    else unresolved.push({ from: file, to: spec, pkg: false, line, spec });
  };
  const isImportMetaUrl = (e: ts.Expression | undefined) =>
    !!e &&
    ts.isPropertyAccessExpression(e) &&
    e.name.text === 'url' &&
    ts.isMetaProperty(e.expression) &&
    e.expression.keywordToken === ts.SyntaxKind.ImportKeyword;
  const visit = (n: ts.Node) => {
    if (
      (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) &&
      n.moduleSpecifier &&
      ts.isStringLiteral(n.moduleSpecifier)
    ) {
      add(n.moduleSpecifier.text, n);
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) {
      const e = n.moduleReference.expression;
      if (ts.isStringLiteral(e)) add(e.text, n);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const a = n.arguments[0];
      if (a && ts.isStringLiteralLike(a)) add(a.text, n);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      add(n.argument.literal.text, n);
    } else if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'URL') {
      const [a, b] = n.arguments ?? [];
      if (a && ts.isStringLiteralLike(a) && isImportMetaUrl(b)) add(a.text, n);
    } else if (ts.isMetaProperty(n) && n.keywordToken === ts.SyntaxKind.ImportKeyword) {
      io.push({ file, line: lineOf(n), message: 'uses import.meta (locating files is I/O)' });
    } else if (ts.isIdentifier(n) && IO_GLOBALS.has(n.text) && isGlobalReference(n)) {
      io.push({ file, line: lineOf(n), message: `uses the global \`${n.text}\` (I/O or a page/worker environment)` });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { imports, unresolved, io };
}

/** True when an identifier reads a global: not a property name, a type, or a name the file declares. */
function isGlobalReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (
    (ts.isPropertyAssignment(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isPropertySignature(p) ||
      ts.isMethodDeclaration(p)) &&
    p.name === id
  )
    return false;
  if (ts.isTypeReferenceNode(p) || ts.isQualifiedName(p) || ts.isImportSpecifier(p) || ts.isExportSpecifier(p))
    return false;
  return !declaredNames(id.getSourceFile()).has(id.text);
}

const declared = new WeakMap<ts.SourceFile, Set<string>>();
/** Every name a file binds (variables, parameters, functions, destructured names, imports). */
function declaredNames(sf: ts.SourceFile): Set<string> {
  let names = declared.get(sf);
  if (names) return names;
  names = new Set();
  const visit = (n: ts.Node) => {
    if (
      (ts.isVariableDeclaration(n) ||
        ts.isParameter(n) ||
        ts.isFunctionDeclaration(n) ||
        ts.isBindingElement(n) ||
        ts.isImportClause(n) ||
        ts.isImportSpecifier(n) ||
        ts.isNamespaceImport(n)) &&
      n.name &&
      ts.isIdentifier(n.name)
    )
      names!.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  declared.set(sf, names);
  return names;
}

/** Strongly connected components with more than one node (or a self loop), by Tarjan's algorithm. */
export function cycles(edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const nodes = new Set<string>([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])]);
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || edges.get(v)?.has(v)) out.push(comp.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!idx.has(v)) strong(v);
  return out;
}

export interface Report {
  violations: Violation[];
  folderEdges: Map<string, Set<string>>;
  files: number;
  imports: number;
}

export function checkLayers(root: string): Report {
  const files: string[] = [];
  for (const r of ROOTS) walk(join(root, r), files);
  const rel = files
    .map((f) => posix(relative(root, f)))
    .filter((f) => !isTest(f))
    .sort();
  const violations: Violation[] = [];
  const all: Import[] = [];
  for (const f of rel) {
    const { imports, unresolved, io } = importsOf(root, f, readFileSync(join(root, f), 'utf8'));
    all.push(...imports);
    for (const u of unresolved)
      violations.push({ file: f, line: u.line, message: `import '${u.spec}' resolves to no file` });
    if (unitOf(f) === 'src/engine')
      violations.push(...io.map((v) => ({ ...v, message: `${v.message}: src/engine does no I/O` })));
  }

  // the written rule
  for (const im of all) {
    const u = unitOf(im.from);
    const rule = RULES.find((r) => r.unit === u);
    if (rule) {
      const ok = im.pkg ? rule.packages.includes(im.to) : rule.may.some((m) => im.to.startsWith(m) || im.to === m);
      if (!ok)
        violations.push({ file: im.from, line: im.line, message: `imports '${im.spec}' (${im.to}): ${rule.why}` });
    }
    for (const p of PRIVATE) {
      const hits = im.pkg ? im.to === p.target : im.to.startsWith(p.target) && !SHARED.includes(im.to);
      if (hits && !p.units.includes(u))
        violations.push({ file: im.from, line: im.line, message: `imports '${im.spec}': ${p.why}` });
    }
  }

  // folder graph, with one witness import per edge
  const folderEdges = new Map<string, Set<string>>();
  const witness = new Map<string, Import>();
  for (const im of all) {
    if (im.pkg) continue;
    const a = unitOf(im.from);
    const b = unitOf(im.to);
    if (a === b) continue;
    if (!folderEdges.has(a)) folderEdges.set(a, new Set());
    folderEdges.get(a)!.add(b);
    if (!witness.has(`${a}>${b}`)) witness.set(`${a}>${b}`, im);
  }
  for (const comp of cycles(folderEdges)) {
    const inComp = new Set(comp);
    const lines = [...witness.entries()]
      .filter(([k]) => {
        const [a, b] = k.split('>');
        return inComp.has(a) && inComp.has(b);
      })
      .map(([k, im]) => `    ${k.replace('>', ' -> ')}  (${im.from}:${im.line} '${im.spec}')`);
    const first = [...witness.values()].find((im) => inComp.has(unitOf(im.from)) && inComp.has(unitOf(im.to)))!;
    violations.push({
      file: first.from,
      line: first.line,
      message: `folder cycle between ${comp.join(', ')}:\n${lines.join('\n')}`,
    });
  }

  // file cycles inside the engine
  const engineEdges = new Map<string, Set<string>>();
  const engineWitness = new Map<string, Import>();
  for (const im of all) {
    if (im.pkg || unitOf(im.from) !== 'src/engine' || unitOf(im.to) !== 'src/engine') continue;
    if (!engineEdges.has(im.from)) engineEdges.set(im.from, new Set());
    engineEdges.get(im.from)!.add(im.to);
    engineWitness.set(`${im.from}>${im.to}`, im);
  }
  for (const comp of cycles(engineEdges)) {
    const inComp = new Set(comp);
    const lines = [...engineWitness.entries()]
      .filter(([k]) => {
        const [a, b] = k.split('>');
        return inComp.has(a) && inComp.has(b);
      })
      .map(([, im]) => `    ${im.from}:${im.line} -> ${im.to}`);
    const first = engineWitness.get(
      [...engineWitness.keys()].find((k) => inComp.has(k.split('>')[0]) && inComp.has(k.split('>')[1]))!,
    )!;
    violations.push({
      file: first.from,
      line: first.line,
      message: `file cycle inside src/engine between ${comp.join(', ')}:\n${lines.join('\n')}`,
    });
  }

  const seen = new Set<string>();
  const unique = violations.filter((v) => {
    const k = `${v.file}:${v.line}:${v.message}`;
    return !seen.has(k) && !!seen.add(k);
  });
  return { violations: unique, folderEdges, files: rel.length, imports: all.length };
}

/** The folders from the ground up: each after everything it imports (a topological order). */
export function layerOrder(edges: Map<string, Set<string>>): string[][] {
  const nodes = new Set<string>([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])]);
  const level = new Map<string, number>();
  const depth = (v: string, seen: Set<string>): number => {
    if (level.has(v)) return level.get(v)!;
    if (seen.has(v)) return 0; // a cycle: reported elsewhere
    seen.add(v);
    let d = 0;
    for (const w of edges.get(v) ?? []) d = Math.max(d, depth(w, seen) + 1);
    level.set(v, d);
    return d;
  };
  for (const v of nodes) depth(v, new Set());
  const out: string[][] = [];
  for (const [v, d] of level) (out[d] ??= []).push(v);
  return out.map((l) => l.sort());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
  const r = checkLayers(root);
  if (process.argv.includes('--graph')) {
    console.log('folders, from the ground up (each imports only folders on lines above it):');
    for (const [i, l] of layerOrder(r.folderEdges).entries()) console.log(`  ${i}: ${l.join(', ')}`);
    for (const [a, bs] of [...r.folderEdges].sort()) console.log(`  ${a} -> ${[...bs].sort().join(', ')}`);
  }
  for (const v of r.violations) console.log(`${v.file}:${v.line}: ${v.message}`);
  console.log(`check:layers: ${r.files} files, ${r.imports} imports, ${r.violations.length} violation(s)`);
  process.exit(r.violations.length ? 1 : 0);
}
