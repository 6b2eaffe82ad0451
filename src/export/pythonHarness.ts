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

// ---------------------------------------------------------------------------------------------
// Running whole exported scripts in PyTorch. PyTorch is Debian's python3-torch, installed for
// Debian's own /usr/bin/python3 (the python3 first on PATH may be another one, without torch).

export const TORCH_PYTHON = process.env.TORCH_PYTHON ?? '/usr/bin/python3';
export const TORCH_INSTALL = 'apt-get install -y python3-torch';

/** Null when TORCH_PYTHON imports torch, else why not and the command that fixes it. */
export function torchMissing(): string | null {
  const r = spawnSync(TORCH_PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.status === 0) return null;
  const why = r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
  return `PyTorch is not importable by ${TORCH_PYTHON} (${why}). Install it: sudo ${TORCH_INSTALL}`;
}

/** What one exported script did in PyTorch. */
export interface TorchRun {
  /** The training loss of every step (script's step_losses). */
  losses: number[];
  /** Every parameter after training, flattened in net.parameters() order (the engine's theta layout). */
  theta: number[];
  /** Batch-norm running mean and variance per batch-norm layer, in the engine's bnStats layout. */
  bnStats: number[];
  /** What the script printed (one JSON line per epoch, then its status). */
  stdout: string;
}

// Executes each script as a module of its own (fresh namespace, stdout captured) in ONE process,
// so torch is imported once. One thread: small nets, a shared machine, and a fixed summation order.
const TORCH_RUNNER = `
import contextlib, io, json, sys
import torch
torch.set_num_threads(1)
out = []
for src in json.loads(sys.stdin.read()):
    ns = {"__name__": "descent_export"}
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            exec(compile(src, "descent_export.py", "exec"), ns)
        except SystemExit:
            pass
    net = ns["net"]
    theta = torch.cat([p.detach().flatten() for p in net.parameters()])
    stats = [b.flatten() for n, b in net.named_buffers() if n.endswith(("running_mean", "running_var"))]
    out.append({
        "losses": ns["step_losses"],
        "theta": theta.double().tolist(),
        "bnStats": torch.cat(stats).double().tolist() if stats else [],
        "stdout": buf.getvalue(),
    })
print(json.dumps(out))
`;

/** Runs every script in one TORCH_PYTHON process; throws with Python's message on failure. */
export function runTorchScripts(scripts: string[]): TorchRun[] {
  const r = spawnSync(TORCH_PYTHON, ['-c', TORCH_RUNNER], {
    input: JSON.stringify(scripts),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 280_000, // under the test's own timeout, so a hang reports Python's state
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  if (r.status !== 0)
    throw new Error(`${TORCH_PYTHON} failed running the exported scripts: ${r.error?.message ?? ''}\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
