"""Golden float64 trajectories of Lion and LAMB, from plain numpy transcriptions of the references.

Run:  /usr/bin/python3 src/engine/optimizers/golden/make_golden.py   (numpy only; writes lion_lamb.json here)
Checked by src/engine/optimizers/golden.test.ts (float64 within 1e-10 relative, float32 within 5e-5 + 1e-4|w|).

References transcribed (read at google-deepmind/optax commit 2edbcbe2390da13983b92cbef94ac0460ecde1c5):
- Lion: optax/_src/alias.py `lion` = chain(scale_by_lion(b1, b2), add_decayed_weights(wd, mask),
  scale_by_learning_rate(lr)); optax/_src/transform.py `scale_by_lion` (mode 'hard'):
      c = (1 - b1) g + b1 m;  u = sign(c);  m <- b2 m + (1 - b2) g      (update_moment(g, m, b2, 1))
      w <- w - lr (u + wd w)      (wd only where the mask is set)
  The same as google/automl lion/lion_pytorch.py, whose decay w <- w (1 - lr wd) comes before the sign
  step on the pre-step w: identical arithmetic up to rounding. np.sign(0) = 0, as jnp.sign and torch.sign.
- LAMB: optax/_src/alias.py `lamb` = chain(scale_by_adam(b1, b2, eps, eps_root=0),
  add_decayed_weights(wd, mask), scale_by_trust_ratio(), scale_by_learning_rate(lr));
  transform.py `scale_by_adam`: m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2;
      u = (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)      (t from 1, eps outside the root)
  then u += wd w (masked), then `scale_by_trust_ratio(min_norm=0, trust_coefficient=1, eps=0)` per
  parameter array (one array = one engine segment: a layer's W, its b):
      r = ||w|| / ||u||,  and r = 1 when ||w|| = 0 or ||u|| = 0   (the zero-norm cases)
      w <- w - lr r u
  optax applies no clamp (the paper's phi is the identity, min_norm = 0); cybertronai/pytorch-lamb
  clamps ||w|| to [0, 10] instead, which no weight block here reaches (the test checks ||w|| < 10).
Problems:
- quad: the diagonal quadratic f(w) = 0.5 sum_i d_i (w_i - c_i)^2, one block (the engine's default
  segment), gradient d (w - c).
- mlp: a 3-5-3 tanh MLP (the engine's layout: W1 [5,3] row-major, b1 [5], W2 [3,5], b2 [3]), softmax
  cross-entropy averaged over the batch, 4 fixed batches of 8 rows cycled; b starts at 0, so LAMB's
  first step on a bias takes the ||w|| = 0 branch. Decay on W only (the engine's decayMask).
Each case stores the start, the hyperparameters and theta after each of the 100 steps (and the MLP's losses).
"""
import json
import os

import numpy as np

STEPS = 100


def lion_step(w, g, m, lr, b1, b2, wd, mask):
    c = (1.0 - b1) * g + b1 * m
    u = np.sign(c) + wd * w * mask
    m_new = b2 * m + (1.0 - b2) * g
    return w - lr * u, m_new


def lamb_step(w, g, m, v, t, lr, b1, b2, eps, wd, mask, blocks):
    m = b1 * m + (1.0 - b1) * g
    v = b2 * v + (1.0 - b2) * g * g
    u = (m / (1.0 - b1**t)) / (np.sqrt(v / (1.0 - b2**t)) + eps) + wd * w * mask
    w = w.copy()
    for a, b in blocks:
        pn = np.sqrt(np.sum(w[a:b] ** 2))
        un = np.sqrt(np.sum(u[a:b] ** 2))
        r = 1.0 if (pn == 0.0 or un == 0.0) else pn / un
        w[a:b] = w[a:b] - lr * r * u[a:b]
    return w, m, v


# ---- problems -------------------------------------------------------------------------------------
QUAD_D = np.array([0.05, 0.3, 1.0, 4.0, 10.0])
QUAD_C = np.array([1.0, -0.5, 0.25, 2.0, -1.0])
QUAD_W0 = np.array([-1.0, 1.5, 0.8, -0.6, 0.3])


def quad_grad(w):
    return QUAD_D * (w - QUAD_C), 0.5 * float(np.sum(QUAD_D * (w - QUAD_C) ** 2))


I, H, C, B, NB = 3, 5, 3, 8, 4
rs = np.random.RandomState(20261204)
X = rs.normal(size=(NB, B, I))
Y = rs.randint(0, C, size=(NB, B))
W1 = 0.6 * rs.normal(size=(H, I))
W2 = 0.6 * rs.normal(size=(C, H))
MLP_W0 = np.concatenate([W1.ravel(), np.zeros(H), W2.ravel(), np.zeros(C)])
P = MLP_W0.size
MLP_BLOCKS = [(0, H * I), (H * I, H * I + H), (H * I + H, H * I + H + C * H), (H * I + H + C * H, P)]
MLP_MASK = np.zeros(P)
MLP_MASK[0 : H * I] = 1.0
MLP_MASK[H * I + H : H * I + H + C * H] = 1.0


def mlp_grad(theta, step):
    """Softmax cross-entropy (mean over the batch) of batch step % NB and its gradient, in the engine's layout."""
    x, y = X[step % NB], Y[step % NB]
    o = 0
    w1 = theta[o : o + H * I].reshape(H, I); o += H * I
    b1 = theta[o : o + H]; o += H
    w2 = theta[o : o + C * H].reshape(C, H); o += C * H
    b2 = theta[o : o + C]
    z1 = x @ w1.T + b1
    h = np.tanh(z1)
    z2 = h @ w2.T + b2
    z2s = z2 - z2.max(axis=1, keepdims=True)
    p = np.exp(z2s) / np.exp(z2s).sum(axis=1, keepdims=True)
    loss = float(-np.mean(np.log(p[np.arange(B), y])))
    dz2 = p.copy()
    dz2[np.arange(B), y] -= 1.0
    dz2 /= B
    dw2 = dz2.T @ h
    db2 = dz2.sum(axis=0)
    dz1 = (dz2 @ w2) * (1.0 - h * h)
    dw1 = dz1.T @ x
    db1 = dz1.sum(axis=0)
    return np.concatenate([dw1.ravel(), db1, dw2.ravel(), db2]), loss


def run(problem, rule, hp):
    if problem == 'quad':
        w, grad, mask, blocks = QUAD_W0.copy(), lambda w, s: quad_grad(w), np.ones(QUAD_W0.size), [(0, QUAD_W0.size)]
    else:
        w, grad, mask, blocks = MLP_W0.copy(), mlp_grad, MLP_MASK, MLP_BLOCKS
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    thetas, losses = [], []
    for s in range(STEPS):
        g, loss = grad(w, s)
        losses.append(loss)
        if rule == 'lion':
            w, m = lion_step(w, g, m, hp['lr'], hp['beta1'], hp['beta2'], hp['weightDecay'], mask)
        else:
            w, m, v = lamb_step(w, g, m, v, s + 1, hp['lr'], hp['beta1'], hp['beta2'], hp['eps'], hp['weightDecay'], mask, blocks)
        thetas.append(w.tolist())
    return {'problem': problem, 'optimizer': rule, 'hypers': hp, 'theta0': (QUAD_W0 if problem == 'quad' else MLP_W0).tolist(),
            'theta': thetas, 'loss': losses}


CASES = [
    ('quad', 'lion', {'lr': 0.02, 'beta1': 0.9, 'beta2': 0.99, 'weightDecay': 0.1}),
    ('mlp', 'lion', {'lr': 0.003, 'beta1': 0.9, 'beta2': 0.99, 'weightDecay': 0.3}),
    ('quad', 'lamb', {'lr': 0.05, 'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-6, 'weightDecay': 0.01}),
    ('mlp', 'lamb', {'lr': 0.02, 'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-6, 'weightDecay': 0.1}),
]

if __name__ == '__main__':
    out = {
        'about': 'made by make_golden.py (see its header for the references); do not edit by hand',
        'quad': {'d': QUAD_D.tolist(), 'c': QUAD_C.tolist()},
        'mlp': {'inputDim': I, 'hidden': H, 'classes': C, 'batch': B, 'X': X.reshape(NB, -1).tolist(), 'y': Y.tolist()},
        'cases': [run(*c) for c in CASES],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'lion_lamb.json')
    with open(path, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')
    for c in out['cases']:
        print(c['problem'], c['optimizer'], 'loss', c['loss'][0], '->', c['loss'][-1])
