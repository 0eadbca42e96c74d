"""Adam in place for the fast path: the update of ``helpers.optim.adam`` without temporaries.

m and v are updated in place in the parameter's dtype and the gradient array is used as
scratch space (overwritten), which saves three allocations and passes per parameter. The bias
corrections go into the step size: lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) +
epsilon * sqrt(1 - beta2^t)), the same value as Algorithm 1 of Kingma & Ba.
Omits: SGD and momentum (``FastMLP.sgd_step`` folds them into the backward pass).
"""

import math

import numpy as np


def adam_in_place(w, dw, config):
    """Adam step on w (updated in place); dw is overwritten; config as ``helpers.optim.adam``
    (learning_rate, beta1, beta2, epsilon, t, m, v; defaults filled in). Returns (w, config)."""
    lr = float(config.setdefault("learning_rate", 1e-3))
    b1 = float(config.setdefault("beta1", 0.9))
    b2 = float(config.setdefault("beta2", 0.999))
    eps = float(config.setdefault("epsilon", 1e-8))
    t = config["t"] = config.get("t", 0) + 1
    if config.get("m") is None:
        config["m"], config["v"] = np.zeros_like(w), np.zeros_like(w)
    m, v = config["m"], config["v"]
    m *= b1
    m += (1 - b1) * dw
    np.multiply(dw, dw, out=dw)
    dw *= 1 - b2
    v *= b2
    v += dw
    root = math.sqrt(1 - b2 ** t)
    denom = np.sqrt(v, out=dw)
    denom += eps * root
    step = np.multiply(m, lr * root / (1 - b1 ** t), dtype=w.dtype)
    step /= denom
    w -= step
    return w, config
