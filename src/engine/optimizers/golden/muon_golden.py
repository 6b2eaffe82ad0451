#!/usr/bin/python3
"""Golden float64 trajectories of Muon for src/engine/optimizers/muon.test.ts.

A plain numpy transcription of the reference implementation:
  KellerJordan/Muon, muon.py at commit 00ba60d3a0d188993831f86e4d62597bb0e9b21c
    zeropower_via_newtonschulz5 (a, b, c) = (3.4445, -4.7750, 2.0315), 5 steps, X / (||X||_F + 1e-7),
      transposed when rows > cols;
    muon_update: momentum.lerp_(grad, 1 - beta); update = grad.lerp_(momentum, beta) if nesterov
      else momentum; update *= max(1, rows/cols)**0.5  (the "original" shape factor, also
      torch.optim.Muon's default adjust_lr_fn in PyTorch 2.9);
    SingleDeviceMuonWithAuxAdam.step: p.mul_(1 - lr*wd); p.add_(update, alpha=-lr) for the Muon group,
      adam_update (lerp moments, bias-corrected, eps outside the root) with the same decay for the rest.
Only departures: float64 throughout (the reference casts X to bfloat16 for GPU speed), and Descent's
decay mask (decayed: weight matrices; not decayed: biases) expressed as MuonWithAuxAdam groups
(the Adam group of biases has weight_decay 0). The AdamW part uses the same lr as the Muon part
(Descent's stated rule; MuonWithAuxAdam lets each group choose).

Run: /usr/bin/python3 src/engine/optimizers/golden/muon_golden.py  (writes muon.json beside it)
"""

import json
import os

import numpy as np

A_NS, B_NS, C_NS = (3.4445, -4.7750, 2.0315)


def zeropower_via_newtonschulz5(G, steps=5):
    X = np.array(G, dtype=np.float64)
    if G.shape[0] > G.shape[1]:
        X = X.T
    X = X / (np.linalg.norm(X) + 1e-7)  # Frobenius norm
    for _ in range(steps):
        A = X @ X.T
        B = B_NS * A + C_NS * A @ A
        X = A_NS * X + B @ X
    if G.shape[0] > G.shape[1]:
        X = X.T
    return X


def lerp(start, end, weight):
    # torch.lerp: start + weight * (end - start)
    return start + weight * (end - start)


def muon_update(grad, momentum, beta, nesterov=True, ns_steps=5):
    momentum[...] = lerp(momentum, grad, 1 - beta)
    update = lerp(grad, momentum, beta) if nesterov else momentum.copy()
    update = zeropower_via_newtonschulz5(update, steps=ns_steps)
    update *= max(1, grad.shape[0] / grad.shape[1]) ** 0.5
    return update


def adam_update(grad, buf1, buf2, step, betas, eps):
    buf1[...] = lerp(buf1, grad, 1 - betas[0])
    buf2[...] = lerp(buf2, grad * grad, 1 - betas[1])
    buf1c = buf1 / (1 - betas[0] ** step)
    buf2c = buf2 / (1 - betas[1] ** step)
    return buf1c / (np.sqrt(buf2c) + eps)


class MuonWithAuxAdam:
    """SingleDeviceMuonWithAuxAdam.step over numpy arrays; groups: dicts with params (list of arrays)."""

    def __init__(self, groups):
        self.groups = groups
        self.state = {}

    def step(self, grads):
        for group in self.groups:
            for p in group["params"]:
                g = grads[id(p)].copy()
                st = self.state.setdefault(id(p), {})
                if group["use_muon"]:
                    if not st:
                        st["momentum_buffer"] = np.zeros_like(p)
                    update = muon_update(g, st["momentum_buffer"], group["momentum"], group["nesterov"])
                    p *= 1 - group["lr"] * group["weight_decay"]
                    p += -group["lr"] * update
                else:
                    if not st:
                        st["exp_avg"] = np.zeros_like(p)
                        st["exp_avg_sq"] = np.zeros_like(p)
                        st["step"] = 0
                    st["step"] += 1
                    update = adam_update(g, st["exp_avg"], st["exp_avg_sq"], st["step"], group["betas"], group["eps"])
                    p *= 1 - group["lr"] * group["weight_decay"]
                    p += -group["lr"] * update


def quadratic_case(name, rows, cols, h, w0, lr, mom, wd, nesterov, steps=100):
    """f = 0.5 sum_ij h_ij W_ij^2 (diagonal Hessian), W one hidden matrix [rows, cols], row-major."""
    W = np.array(w0, dtype=np.float64).reshape(rows, cols)
    H = np.array(h, dtype=np.float64).reshape(rows, cols)
    opt = MuonWithAuxAdam([dict(params=[W], use_muon=True, lr=lr, momentum=mom, weight_decay=wd, nesterov=nesterov)])
    traj = []
    for _ in range(steps):
        opt.step({id(W): H * W})
        traj.append(W.flatten().tolist())
    return dict(name=name, rows=rows, cols=cols, h=list(h), w0=list(w0), lr=lr, momentum=mom,
                weightDecay=wd, nesterov=nesterov, theta=traj)


def mlp_case(steps=100):
    """3-5-4-2 MLP, tanh hidden layers, linear output, loss = mean over samples of 0.5 ||y - t||^2.
    theta layout per layer: W [out, in] row-major, then b [out] (Descent's layout order)."""
    rng = np.random.default_rng(13)
    sizes = [3, 5, 4, 2]
    layers = []
    theta0 = []
    for i in range(3):
        W = rng.normal(0, 1 / np.sqrt(sizes[i]), (sizes[i + 1], sizes[i]))
        b = rng.normal(0, 0.1, sizes[i + 1])
        layers.append((W, b))
        theta0 += W.flatten().tolist() + b.tolist()
    batches = []
    for _ in range(4):
        x = rng.normal(0, 1, (8, 3))
        t = np.stack([np.sin(x[:, 0] + x[:, 1]), x[:, 2] * x[:, 0]], axis=1)
        batches.append(dict(x=x.tolist(), t=t.tolist()))
    lr, mom, wd, b1, b2, eps = 0.02, 0.95, 0.01, 0.9, 0.999, 1e-8
    hidden = [layers[0][0], layers[1][0]]
    opt = MuonWithAuxAdam([
        dict(params=hidden, use_muon=True, lr=lr, momentum=mom, weight_decay=wd, nesterov=True),
        dict(params=[layers[2][0]], use_muon=False, lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd),
        dict(params=[L[1] for L in layers], use_muon=False, lr=lr, betas=(b1, b2), eps=eps, weight_decay=0.0),
    ])
    traj, losses = [], []
    for s in range(steps):
        bt = batches[s % len(batches)]
        x, t = np.array(bt["x"]), np.array(bt["t"])
        acts = [x]
        for i, (W, b) in enumerate(layers):
            z = acts[-1] @ W.T + b
            acts.append(np.tanh(z) if i < 2 else z)
        n = x.shape[0]
        losses.append(float(0.5 * np.sum((acts[-1] - t) ** 2) / n))
        delta = (acts[-1] - t) / n  # dL/dz of the output layer
        grads = {}
        for i in reversed(range(3)):
            W, b = layers[i]
            grads[id(W)] = delta.T @ acts[i]
            grads[id(b)] = delta.sum(axis=0)
            if i > 0:
                delta = (delta @ W) * (1 - acts[i] ** 2)
        opt.step(grads)
        traj.append(sum((W.flatten().tolist() + b.tolist() for W, b in layers), []))
    return dict(sizes=sizes, theta0=theta0, batches=batches, lr=lr, momentum=mom, weightDecay=wd,
                beta1=b1, beta2=b2, eps=eps, loss=losses, theta=traj)


def main():
    r = np.random.default_rng(7)
    cases = [
        # the arena's point: a 1x2 matrix on the kappa = 10 quadratic (lmin 0.1, lmax 1)
        quadratic_case("arena 1x2", 1, 2, [0.1, 1.0], [-2.0, 1.5], 0.05, 0.9, 0.0, True),
        # rows > cols (the transposed branch), with decoupled decay
        quadratic_case("4x3 nesterov", 4, 3, np.linspace(0.05, 1.0, 12).tolist(), r.normal(0, 1, 12).tolist(),
                       0.02, 0.95, 0.1, True),
        # rows < cols, plain momentum
        quadratic_case("3x5 plain", 3, 5, np.linspace(1.0, 0.02, 15).tolist(), r.normal(0, 1, 15).tolist(),
                       0.03, 0.9, 0.0, False),
    ]
    out = dict(source="KellerJordan/Muon muon.py @ 00ba60d3a0d188993831f86e4d62597bb0e9b21c, float64",
               script="src/engine/optimizers/golden/muon_golden.py", quadratic=cases, mlp=mlp_case())
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "muon.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
