#!/usr/bin/python3
"""Golden trajectories of Schedule-Free AdamW, float64 (numpy), for schedulefree.test.ts.

A plain transcription of the reference implementation
  facebookresearch/schedule_free, schedulefree/adamw_schedulefree_reference.py,
  AdamWScheduleFreeReference.step(), at commit 70785b53e778d0e872c0bbb75ff4ee54ee10c291
  (package version 1.4.1, pyproject.toml), with its defaults r = 0, weight_lr_power = 2,
  decay_at_z = False, inner_momentum = 0.
It keeps z, x and y explicitly (the reference's "more memory" form), so it checks the engine's
two-buffer form (z and v stored, y = theta, x recovered as (y - (1-b1) z)/b1) independently.

Problems (fixed data, no randomness beyond numpy's seeded generator):
  quadratic  f(w) = 0.5 sum_i lam_i w_i^2, lam = [0.01, 0.1, 1, 10], w0 = [1, -2, 0.5, -1.5]
  mlp        2-4-1 tanh network, MSE loss 0.5*mean((out - t)^2), 5 fixed batches of 8 cycled;
             theta = [W1 (4x2, row-major), b1 (4), W2 (1x4), b2 (1)], decay mask 1 on W1 and W2.
Run: /usr/bin/python3 src/engine/optimizers/golden/schedulefree.py  (writes schedulefree.json here)
"""
import json
import math
import os

import numpy as np

STEPS = 100


def sf_reference(theta0, grad_fn, lr0, beta1, beta2, eps, weight_decay, warmup_steps, mask):
    """AdamWScheduleFreeReference.step() transcribed, one parameter group. Returns y and x per step."""
    k = 0
    lr_max = -1.0
    weight_sum = 0.0
    r = 0.0
    weight_lr_power = 2.0
    y = theta0.copy()  # p (gradients are taken here)
    z = theta0.copy()
    x = theta0.copy()
    exp_avg_sq = np.zeros_like(theta0)
    ys, xs = [], []
    for _ in range(STEPS):
        grad = grad_fn(y)
        sched = (k + 1) / warmup_steps if k < warmup_steps else 1.0
        bias_correction2 = 1 - beta2 ** (k + 1)
        lr = lr0 * sched
        lr_max = max(lr, lr_max)
        weight = ((k + 1) ** r) * (lr_max ** weight_lr_power)
        weight_sum = weight_sum + weight
        ckp1 = weight / weight_sum if weight_sum != 0 else 0.0
        # weight decay at y (decay_at_z False); the engine applies it where mask is 1
        if weight_decay != 0:
            z = z - lr * weight_decay * y * mask
        exp_avg_sq = exp_avg_sq * beta2 + (1 - beta2) * grad * grad
        denom = np.sqrt(exp_avg_sq / bias_correction2) + eps
        z = z - lr * grad / denom
        x = x * (1 - ckp1) + z * ckp1
        y = x * beta1 + z * (1 - beta1)
        ys.append(y.tolist())
        xs.append(x.tolist())
        k += 1
    return ys, xs


LAM = np.array([0.01, 0.1, 1.0, 10.0])


def quadratic_case():
    w0 = np.array([1.0, -2.0, 0.5, -1.5])
    hp = dict(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8, weightDecay=0.0, warmupSteps=10)
    ys, xs = sf_reference(w0, lambda w: LAM * w, hp['lr'], hp['beta1'], hp['beta2'], hp['eps'],
                          hp['weightDecay'], hp['warmupSteps'], np.ones(4))
    return dict(problem='quadratic', lam=LAM.tolist(), theta0=w0.tolist(), hypers=hp, mask=[1] * 4, y=ys, x=xs)


def mlp_parts(theta):
    W1 = theta[0:8].reshape(4, 2)
    b1 = theta[8:12]
    W2 = theta[12:16].reshape(1, 4)
    b2 = theta[16:17]
    return W1, b1, W2, b2


def mlp_grad(theta, X, T):
    """0.5*mean((W2 tanh(W1 x + b1) + b2 - t)^2) and its gradient, X[B,2], T[B]."""
    W1, b1, W2, b2 = mlp_parts(theta)
    B = X.shape[0]
    h = np.tanh(X @ W1.T + b1)          # [B,4]
    out = h @ W2.T + b2                 # [B,1]
    d = (out[:, 0] - T) / B             # dL/dout [B]
    gW2 = d @ h                         # [4]
    gb2 = np.array([d.sum()])
    dh = np.outer(d, W2[0]) * (1 - h * h)  # [B,4]
    gW1 = dh.T @ X                      # [4,2]
    gb1 = dh.sum(axis=0)
    return np.concatenate([gW1.ravel(), gb1, gW2, gb2])


def mlp_case():
    rng = np.random.default_rng(13)
    theta0 = rng.normal(0, 0.7, 17)
    batches = []
    for _ in range(5):
        X = rng.uniform(-1, 1, (8, 2))
        T = np.sin(2 * X[:, 0]) * X[:, 1]
        batches.append((X, T))
    step = [0]

    def grad_fn(w):
        X, T = batches[step[0] % len(batches)]
        step[0] += 1
        return mlp_grad(w, X, T)

    mask = np.array([1.0] * 8 + [0.0] * 4 + [1.0] * 4 + [0.0])
    hp = dict(lr=0.05, beta1=0.9, beta2=0.999, eps=1e-8, weightDecay=0.1, warmupSteps=20)
    ys, xs = sf_reference(theta0, grad_fn, hp['lr'], hp['beta1'], hp['beta2'], hp['eps'],
                          hp['weightDecay'], hp['warmupSteps'], mask)
    return dict(problem='mlp', theta0=theta0.tolist(), hypers=hp, mask=mask.astype(int).tolist(),
                batches=[dict(x=X.ravel().tolist(), t=T.tolist()) for X, T in batches], y=ys, x=xs)


if __name__ == '__main__':
    out = dict(
        source='facebookresearch/schedule_free schedulefree/adamw_schedulefree_reference.py @ 70785b53e778d0e872c0bbb75ff4ee54ee10c291 (v1.4.1)',
        steps=STEPS,
        cases=[quadratic_case(), mlp_case()],
    )
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'schedulefree.json')
    with open(path, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')
    print('wrote', path)
