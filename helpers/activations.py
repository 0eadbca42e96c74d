"""Activation (transfer) functions, their derivatives, and one registry by name.

Each activation ``f`` comes with two derivatives:
  ``grad(x)``      = f'(x) from the input,
  ``grad_out(y)``  = f'(x) written with the output y = f(x) (sigmoid: y(1-y), tanh: 1-y^2),
which is what backpropagation uses, so a layer only keeps its output (lesson 04).
All functions work on any shape, return a new array of the input's float dtype (integers
become float64) and are numerically stable: no overflow warning for inputs of +-1e4.
Step and sign have derivative 0 (almost everywhere); they are for perceptrons, not for
gradient descent.
Omits: softplus, ELU, GELU and friends; in-place versions (``helpers.fast`` has those).
"""

from dataclasses import dataclass

import numpy as np

from .validate import check_choice


def _float(x):
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def step(x):
    """Heaviside step: 1 where x >= 0 else 0, the McCulloch-Pitts unit with threshold 0
    (lesson 01_neurons)."""
    x = _float(x)
    return (x >= 0).astype(x.dtype)


def sign(x):
    """Sign with sign(0) = +1: +1 where x >= 0 else -1, the +-1 perceptron
    (lesson 02_perceptron)."""
    x = _float(x)
    return np.where(x >= 0, 1, -1).astype(x.dtype)


def sigmoid(x):
    """Logistic function 1 / (1 + e^-x) (lesson 04_activations, lab 03).

    Computed as (1 + tanh(x/2)) / 2, the same function written so that no exponential can
    overflow."""
    x = _float(x)
    return (1 + np.tanh(x / 2)) / 2


def tanh(x):
    """Hyperbolic tangent, range (-1, 1), zero-centred (lesson 04_activations, lab 02)."""
    return np.tanh(_float(x))


def relu(x):
    """Rectified linear unit max(0, x) (lesson 04_activations)."""
    x = _float(x)
    return np.maximum(x, x.dtype.type(0))


LEAKY_SLOPE = 0.01


def leaky_relu(x, alpha=LEAKY_SLOPE):
    """x where x > 0 else alpha * x (lesson 04_activations)."""
    x = _float(x)
    return np.where(x > 0, x, x * x.dtype.type(alpha))


def linear(x):
    """Identity, the output unit of a regression network (lesson 03_backprop_walkthrough)."""
    return _float(x).copy()


def sigmoid_grad(x):
    """sigmoid'(x) = sigmoid(x) (1 - sigmoid(x)) (lesson 04_activations)."""
    y = sigmoid(x)
    return y * (1 - y)


def tanh_grad(x):
    """tanh'(x) = 1 - tanh(x)^2 (lesson 04_activations)."""
    y = tanh(x)
    return 1 - y * y


def relu_grad(x):
    """relu'(x) = 1 where x > 0 else 0 (lesson 04_activations)."""
    x = _float(x)
    return (x > 0).astype(x.dtype)


def leaky_relu_grad(x, alpha=LEAKY_SLOPE):
    """leaky_relu'(x) = 1 where x > 0 else alpha (lesson 04_activations)."""
    x = _float(x)
    return np.where(x > 0, 1, alpha).astype(x.dtype)


def zero_grad(x):
    """Derivative 0 everywhere (step and sign, away from 0)."""
    return np.zeros_like(_float(x))


def one_grad(x):
    """Derivative 1 everywhere (the identity)."""
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
    """Look up an activation by name; a ValueError names ``argument`` and lists the known
    names (lesson 04_activations)."""
    check_choice(name, argument, ACTIVATIONS)
    return ACTIVATIONS[name]
