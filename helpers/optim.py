"""First-order update rules in the CS231n form ``update(w, dw, config) -> (w, config)``.

``w`` is updated in place (the model's parameter array keeps its identity) and returned;
``dw`` may be used as scratch space and overwritten. ``config`` holds the hyper-parameters
and the rule's state (velocity, moments); pass the returned config to the next call.
Speed: every update works in place in the dtype of ``w`` (hyper-parameters are used as Python
floats, so a float32 model is never upcast to float64, even when a setting is a numpy float64);
SGD rules skip the multiplication by a learning rate of exactly 1.
Omits: learning-rate schedules, RMSProp, AdaGrad.
"""

import math

import numpy as np

from .validate import check_choice


def sgd(w, dw, config=None):
    """Vanilla gradient descent: w <- w - learning_rate * dw."""
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    lr = float(config["learning_rate"])
    if lr != 1.0:
        dw *= lr
    w -= dw
    return w, config


def sgd_momentum(w, dw, config=None):
    """Momentum: v <- momentum * v - learning_rate * dw;  w <- w + v."""
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity")
    if v is None:
        v = config["velocity"] = np.zeros_like(w)
    v *= float(config["momentum"])
    lr = float(config["learning_rate"])
    if lr != 1.0:
        dw *= lr
    v -= dw
    w += v
    return w, config


def adam(w, dw, config=None):
    """Adam (Kingma & Ba 2015) with bias correction."""
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("t", 0)
    if config.get("m") is None:
        config["m"], config["v"] = np.zeros_like(w), np.zeros_like(w)
    b1, b2 = float(config["beta1"]), float(config["beta2"])
    m, v = config["m"], config["v"]
    config["t"] += 1
    t = config["t"]
    # m <- b1 m + (1 - b1) dw  and  v <- b2 v + (1 - b2) dw^2, in place (dw is scratch)
    m *= b1
    scaled = np.multiply(dw, 1 - b1)
    m += scaled
    np.multiply(dw, dw, out=dw)
    dw *= 1 - b2
    v *= b2
    v += dw
    # w <- w - step * m / (sqrt(v) + epsilon), the bias corrections folded into step
    step = float(config["learning_rate"]) * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    denom = np.sqrt(v, out=dw)
    denom += float(config["epsilon"])
    np.multiply(m, step, out=scaled)
    scaled /= denom
    w -= scaled
    return w, config


OPTIMIZERS = {"sgd": sgd, "sgd_momentum": sgd_momentum, "adam": adam}
# rules whose step is the learning rate times a linear function of the gradients: the
# learning rate may be applied to the gradients beforehand (``fit`` does, see there)
LINEAR_IN_GRADIENT = ("sgd", "sgd_momentum")


def get_optimizer(name):
    check_choice(name, "optimizer", OPTIMIZERS)
    return OPTIMIZERS[name]
