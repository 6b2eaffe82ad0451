// Test helper (Node only): runs parts of a generated Python script with the machine's python3,
// without torch. It parses the script, executes only the top-level statements that define the
// requested names (plus numpy/math imports), and prints a JSON result. This is how the tests
// check that the script's schedule and preprocessing compute what the engine computes.
import { spawnSync } from 'node:child_process';

const PYTHON = process.env.PYTHON ?? 'python3';

/** True when python3 runs here. */
export function pythonAvailable(): boolean {
  const r = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** Throws with Python's message when `source` is not valid Python syntax. */
export function checkPythonSyntax(source: string): void {
  const r = spawnSync(PYTHON, ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], {
    input: source,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`generated script is not valid Python:\n${r.stderr}`);
}

// Executes the top-level assignments and function definitions whose names are in `keep`, in
// source order, then evaluates `expr` and prints it as JSON (numpy arrays as lists).
const RUNNER = `
import ast, base64, json, math, sys
import numpy as np
req = json.loads(sys.stdin.readline())
tree = ast.parse(req["source"])
keep = set(req["keep"])
body = []
for node in tree.body:
    if isinstance(node, ast.FunctionDef) and node.name in keep:
        body.append(node)
    elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in keep for t in node.targets):
        body.append(node)
ns = {"np": np, "math": math, "json": json, "base64": base64}
exec(compile(ast.Module(body=body, type_ignores=[]), "script", "exec"), ns)
val = eval(req["expr"], ns)
def plain(v):
    if isinstance(v, np.ndarray):
        return v.astype(np.float64).tolist()
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    return v
print(json.dumps(plain(val)))
`;

/** Evaluates `expr` after defining the top-level names `keep` of the script; returns its JSON value. */
export function evalPython(source: string, keep: string[], expr: string): unknown {
  const r = spawnSync(PYTHON, ['-c', RUNNER], {
    input: `${JSON.stringify({ source, keep, expr })}\n`,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`python failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
