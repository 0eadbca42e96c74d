"""Activation (transfer) functions, their derivatives, and one registry by name.

Each activation ``f`` comes with two derivatives:
  ``grad(x)``        = f'(x) from the input,
  ``grad_out(y)``    = f'(x) written with the output y = f(x) (sigmoid: y(1-y), tanh: 1-y^2),
which is what backpropagation uses, so layers only keep their outputs.
All functions work on any shape, keep the input's float dtype and are numerically stable:
no overflow warning for inputs of +-1e4. Step and sign have derivative 0 (almost everywhere);
they are for perceptrons, not for gradient descent. The others take ``out=`` to write the
result into an array (in place when it is the input), as layers do in training.
Omits: softplus, ELU, GELU and friends.
"""

from dataclasses import dataclass

import numpy as np

from .validate import check_choice


def _float(x):
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def step(x):
    """Heaviside step: 1 where x >= 0 else 0 (the McCulloch-Pitts unit with threshold 0)."""
    x = _float(x)
    return (x >= 0).astype(x.dtype)


def sign(x):
    """Sign with sign(0) = +1: +1 where x >= 0 else -1 (the +-1 perceptron)."""
    x = _float(x)
    return np.where(x >= 0, 1, -1).astype(x.dtype)


def sigmoid(x, out=None):
    """Logistic function 1 / (1 + e^-x), computed as (1 + tanh(x/2)) / 2 (never overflows)."""
    y = np.tanh(np.multiply(_float(x), 0.5, out=out), out=out)
    y += 1
    y *= 0.5
    return y


def tanh(x, out=None):
    """Hyperbolic tangent, range (-1, 1), zero-centred."""
    return np.tanh(_float(x), out=out)


def relu(x, out=None):
    """Rectified linear unit max(0, x)."""
    return np.maximum(_float(x), 0, out=out)


LEAKY_SLOPE = 0.01


def leaky_relu(x, alpha=LEAKY_SLOPE, out=None):
    """x where x > 0 else alpha * x."""
    x = _float(x)
    slope = np.where(x > 0, x.dtype.type(1), x.dtype.type(alpha))
    return np.multiply(x, slope, out=out)


def linear(x, out=None):
    """Identity (the output unit of a regression network)."""
    x = _float(x)
    if out is None or out is x:
        return x
    out[...] = x
    return out


def sigmoid_grad(x):
    y = sigmoid(x)
    return y * (1 - y)


def tanh_grad(x):
    y = np.tanh(_float(x))
    return 1 - y * y


def relu_grad(x):
    x = _float(x)
    return (x > 0).astype(x.dtype)


def leaky_relu_grad(x, alpha=LEAKY_SLOPE):
    x = _float(x)
    return np.where(x > 0, 1, alpha).astype(x.dtype)


def zero_grad(x):
    return np.zeros_like(_float(x))


def one_grad(x):
    return np.ones_like(_float(x))


@dataclass(frozen=True)
class Activation:
    """An activation function with its derivative from the input and from the output."""

    name: str
    f: object
    grad: object
    grad_out: object


ACTIVATIONS = {
    "step": Activation("step", step, zero_grad, zero_grad),
    "sign": Activation("sign", sign, zero_grad, zero_grad),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_grad, lambda y: y * (1 - y)),
    "tanh": Activation("tanh", tanh, tanh_grad, lambda y: 1 - y * y),
    "relu": Activation("relu", relu, relu_grad, lambda y: (y > 0).astype(y.dtype)),
    "leaky_relu": Activation(
        "leaky_relu", leaky_relu, leaky_relu_grad,
        lambda y: np.where(y > 0, 1, LEAKY_SLOPE).astype(y.dtype),
    ),
    "linear": Activation("linear", linear, one_grad, lambda y: np.ones_like(y)),
}


def get_activation(name, argument="activation"):
    """Look up an activation by name; a ValueError lists the known names."""
    check_choice(name, argument, ACTIVATIONS)
    return ACTIVATIONS[name]
