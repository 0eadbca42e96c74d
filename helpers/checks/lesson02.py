"""Checks of the exercises in lesson 02 (perceptron): one perceptron-rule update worked out
by hand, and the hidden layer of a two-layer step network that computes XOR.

The numbers of the update exercise live here (``UPDATE_W``, ``UPDATE_B``, ``UPDATE_X``,
``UPDATE_D``, ``UPDATE_LR``) so the lesson prints them from the same source.
Omits: the MNIST perceptron (lab 01 and ``helpers.checks.perceptron`` check that).
"""

import numpy as np

from ..activations import step
from ..data import logic_gate
from .core import compare_arrays, compare_scalar, fail, passed
from .exercise import as_numbers, pending

#: the update exercise: 0/1 labels, step activation
UPDATE_W = (0.2, -0.4)
UPDATE_B = 0.1
UPDATE_X = (1.0, 1.0)
UPDATE_D = 1
UPDATE_LR = 0.5

#: the fixed output unit of the XOR exercise: y = step(h1 + h2 - 1.5), an AND of h1 and h2
XOR_W2 = (1.0, 1.0)
XOR_B2 = -1.5


def update_by_hand():
    """The worked values of exercise 1: {'y': output before, 'w': new weights, 'b': new bias}."""
    w, x = np.array(UPDATE_W), np.array(UPDATE_X)
    y = int(step(w @ x + UPDATE_B))
    return {"y": y, "w": w + UPDATE_LR * (UPDATE_D - y) * x,
            "b": UPDATE_B + UPDATE_LR * (UPDATE_D - y)}


def check_update(w_new, b_new):
    """Exercise 1 of lesson 02: the weights (2,) and bias after one perceptron-rule update."""
    __tracebackhide__ = True
    name = "perceptron update"
    if pending(name, w_new, b_new, what="fill in w_new (two numbers) and b_new"):
        return
    want = update_by_hand()
    w_new = as_numbers(name, w_new, (2,), what="w_new")
    if np.allclose(w_new, UPDATE_W):
        fail(name, "w_new equals the old weights", expected="a change",
             got=str(w_new.tolist()),
             hint="compute the output y first: is the perceptron right on this example?")
    compare_arrays(f"{name}: w_new", w_new, want["w"], rtol=0, atol=1e-9,
                   hint="first y = step(w·x + b), then add lr * (d - y) * x_i to each w_i")
    compare_scalar(f"{name}: b_new", b_new, want["b"], rtol=0, atol=1e-9,
                   hint="the bias changes like a weight whose input is always 1")
    passed(name, 3)


def xor_network(W1, b1, X):
    """Outputs (N,) and hidden outputs (N, 2) of the step network whose hidden layer is
    (W1 (2, 2), b1 (2,)) and whose output unit is the AND unit (XOR_W2, XOR_B2)."""
    H = step(X @ np.asarray(W1, dtype=float) + np.asarray(b1, dtype=float))
    return step(H @ np.array(XOR_W2) + XOR_B2), H


def check_xor_hidden(W1, b1):
    """Exercise 2 of lesson 02: hidden weights W1 (2, 2) (column j feeds hidden unit j) and
    biases b1 (2,) with which xor_network computes XOR on the four 0/1 inputs."""
    __tracebackhide__ = True
    name = "XOR hidden layer"
    if pending(name, W1, b1, what="fill in W_hidden (2 x 2) and b_hidden (two biases)"):
        return
    W1 = as_numbers(name, W1, (2, 2), what="W_hidden")
    b1 = as_numbers(name, b1, (2,), what="b_hidden")
    X, want = logic_gate("xor")
    got, H = xor_network(W1, b1, X)
    if not np.array_equal(got, want):
        rows = "; ".join(f"{tuple(int(v) for v in x)}: h = {tuple(int(v) for v in h)}, "
                         f"y = {int(g)}" for x, h, g in zip(X, H, got))
        fail(name, "the network does not compute XOR", case=rows,
             expected="y = 0, 1, 1, 0", got="y = " + ", ".join(str(int(g)) for g in got),
             hint="the output fires only when both hidden units fire. Make one hidden unit "
                  "an OR (silent only on (0,0)) and the other a NAND (silent only on (1,1)); "
                  "column j of W_hidden holds the two weights into unit j")
    passed(name, 4)
