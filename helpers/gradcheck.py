"""Numerical gradients by centred differences, to check analytic backpropagation.

``numerical_gradient(f, x)`` perturbs each entry of ``x`` in place by +-h and evaluates the
scalar ``f()``; ``rel_error`` compares two arrays; ``check_model_gradients`` does both for
every parameter of a model (use a float64 model: float32 cannot resolve differences of 1e-7).
Omits: complex-step and stochastic (sampled-entry) checks.
"""

import numpy as np


def rel_error(a, b):
    """||a - b|| / (||a|| + ||b||) (0 when both are 0) (lesson 03_backprop_walkthrough, labs 02-03).

    Below 1e-7 the two agree to float64 rounding; around 1e-3 or more means a bug. The norm
    form is used (as in deeplearning.ai) because an elementwise ratio blows up on entries
    that are 0 up to rounding.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"b: expected the shape of a {a.shape}, got {b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / denom) if denom > 0 else 0.0


def numerical_gradient(f, x, h=1e-5):
    """d f() / d x by centred differences (lesson 03_backprop_walkthrough); ``x`` is modified
    during the call and restored.

    f: callable with no arguments returning a scalar that depends on x.
    x: float array (any shape) -> gradient of the same shape.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        plus = f()
        x[i] = old - h
        minus = f()
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def check_model_gradients(model, X, y, h=1e-5):
    """Relative error between ``model.loss`` gradients and numerical ones, per parameter
    (lesson 03_backprop_walkthrough).

    Dropout (if any) uses the same mask in every evaluation: the model's random generator is
    reset to one saved state before each call. Returns {param name: relative error}.
    """
    state = model.rng.bit_generator.state

    def loss_and_grads():
        model.rng.bit_generator.state = state
        return model.loss(X, y)

    _, grads = loss_and_grads()
    return {name: rel_error(grads[name],
                            numerical_gradient(lambda: loss_and_grads()[0], p, h))
            for name, p in model.params.items()}
