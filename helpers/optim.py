"""First-order update rules in the CS231n form ``update(w, dw, config) -> (w, config)``.

``config`` holds the hyper-parameters and the rule's state (velocity, moments); pass the
returned config to the next call. ``w`` is updated in place (the model's parameter array
keeps its identity) and returned; ``dw`` is left as it is. Hyper-parameters are used as
Python floats, so a float32 model stays float32.
Also here, for ``helpers.train.fit``: learning-rate schedules (``step_decay``,
``exponential_decay``: the learning rate of each epoch) and the max-norm constraint
(``clip_max_norm``, Srivastava et al. 2014, applied after every step).
Omits: RMSProp, AdaGrad, warm-up; fused BLAS updates (``helpers.fast``).
"""

import numpy as np

from .validate import check_choice, check_positive


def sgd(w, dw, config=None):
    """Gradient descent (lesson 03_backprop_walkthrough): w <- w - learning_rate * dw.

    w, dw: arrays of one shape; config: {"learning_rate": 1e-2}."""
    config = {} if config is None else config
    lr = float(config.setdefault("learning_rate", 1e-2))
    w -= lr * dw
    return w, config


def sgd_momentum(w, dw, config=None):
    """SGD with momentum (lesson 04_activations, lab 04):
    v <- momentum * v - learning_rate * dw;  w <- w + v.

    config: {"learning_rate": 1e-2, "momentum": 0.9, "velocity": zeros like w at first}."""
    config = {} if config is None else config
    lr = float(config.setdefault("learning_rate", 1e-2))
    mu = float(config.setdefault("momentum", 0.9))
    v = config.get("velocity")
    if v is None:
        v = config["velocity"] = np.zeros_like(w)
    v *= mu  # v <- momentum * v - learning_rate * dw, in the velocity's own array
    v -= lr * dw
    w += v
    return w, config


def adam(w, dw, config=None):
    """Adam, Algorithm 1 of Kingma & Ba (2015) (lesson 05_regularization):
    m <- beta1 m + (1 - beta1) dw,  v <- beta2 v + (1 - beta2) dw^2  (t counts the steps),
    m_hat = m / (1 - beta1^t),  v_hat = v / (1 - beta2^t),
    w <- w - learning_rate * m_hat / (sqrt(v_hat) + epsilon).

    config: {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "t": 0,
    "m", "v": zeros like w at first}."""
    config = {} if config is None else config
    lr = float(config.setdefault("learning_rate", 1e-3))
    b1 = float(config.setdefault("beta1", 0.9))
    b2 = float(config.setdefault("beta2", 0.999))
    eps = float(config.setdefault("epsilon", 1e-8))
    t = config.setdefault("t", 0) + 1
    m = config.get("m")
    v = config.get("v")
    if m is None:
        m, v = np.zeros_like(w), np.zeros_like(w)
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * (dw * dw)
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    w -= lr * m_hat / (np.sqrt(v_hat) + eps)
    config.update(t=t, m=m, v=v)
    return w, config


OPTIMIZERS = {"sgd": sgd, "sgd_momentum": sgd_momentum, "adam": adam}


def get_optimizer(name):
    """The update rule called ``name`` (one of OPTIMIZERS); ValueError names ``optimizer``."""
    check_choice(name, "optimizer", OPTIMIZERS)
    return OPTIMIZERS[name]


def step_decay(every, factor):
    """A schedule for ``fit(..., schedule=...)``: the learning rate times ``factor`` every
    ``every`` epochs (epochs 1..every use lr, the next ``every`` lr * factor, ...), as CS231n's
    solver's lr_decay does once per epoch with every=1. Returns schedule(epoch, lr) -> float."""
    check_positive(every, "every", integer=True)
    check_positive(factor, "factor")

    def schedule(epoch, lr):
        return lr * factor ** ((epoch - 1) // every)

    schedule.description = f"step_decay(every={every}, factor={factor})"
    return schedule


def exponential_decay(gamma):
    """A schedule for ``fit(..., schedule=...)``: lr * gamma ** (epoch - 1), so the rate shrinks
    by the factor gamma each epoch (the decay of Srivastava et al. 2014's MNIST nets).
    Returns schedule(epoch, lr) -> float."""
    check_positive(gamma, "gamma")

    def schedule(epoch, lr):
        return lr * gamma ** (epoch - 1)

    schedule.description = f"exponential_decay(gamma={gamma})"
    return schedule


def clip_max_norm(w, max_norm):
    """The max-norm constraint (Srivastava et al. 2014, section 5.1): every column of w (the
    incoming weight vector of one unit; w: (fan_in, fan_out)) whose L2 norm exceeds
    ``max_norm`` is scaled down onto the ball of that radius; the others are left alone.
    In place; returns w."""
    norms = np.sqrt(np.einsum("ij,ij->j", w, w))
    too_long = norms > max_norm
    if too_long.any():
        w[:, too_long] *= (max_norm / norms[too_long]).astype(w.dtype)
    return w
