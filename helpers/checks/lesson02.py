"""Checks of the exercises in lesson 02 (perceptron): one perceptron-rule update worked out
by hand, the hidden layer of a two-layer step network that computes XOR, and how much one
update changes the net input on the example it was made for.

Each check names the usual wrong answers by their values (``core.Mistake``): the input
subtracted instead of added, the learning rate or the bias left out, a threshold typed where
a bias belongs, ... The numbers of the exercises live here (``UPDATE_*``, ``CHANGE_*``) so the
lesson prints them from the same source.
Omits: the MNIST perceptron (lab 01 and ``helpers.checks.perceptron`` check that).
"""

import numpy as np

from ..activations import step
from ..data import logic_gate
from .core import Mistake, compare_arrays, compare_scalar, fail, name_mistake, passed
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

#: the net-input exercise: a step perceptron (0/1 labels) that is wrong on CHANGE_X
CHANGE_W = (0.5, 0.5)
CHANGE_B = 0.0
CHANGE_X = (2.0, -1.0)
CHANGE_D = 0
CHANGE_LR = 0.1


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
    w, x, err = np.array(UPDATE_W), np.array(UPDATE_X), UPDATE_D - want["y"]
    w_new = as_numbers(name, w_new, (2,), what="w_new")
    if np.allclose(w_new, UPDATE_W):
        fail(name, "w_new equals the old weights", expected="a change",
             got=str(w_new.tolist()),
             hint="compute the output y first: is the perceptron right on this example?")
    compare_arrays(f"{name}: w_new", w_new, want["w"], rtol=0, atol=1e-9,
                   hint="first y = step(w·x + b), then add lr * (d - y) * x_i to each w_i",
                   mistakes=[
                       Mistake("the wrong sign (the input subtracted)",
                               w - UPDATE_LR * err * x,
                               "the perceptron said 0 where 1 was wanted: d - y is +1, so "
                               "the update raises the score of this input"),
                       Mistake("the learning rate left out", w + err * x,
                               "each change is scaled by the learning rate")])
    compare_scalar(f"{name}: b_new", b_new, want["b"], rtol=0, atol=1e-9,
                   hint="the bias changes like a weight whose input is always 1",
                   mistakes=[
                       Mistake("the bias left unchanged", UPDATE_B,
                               "the bias is learned too: it is a weight on a constant input 1"),
                       Mistake("the wrong sign for the bias", UPDATE_B - UPDATE_LR * err,
                               "the bias moves in the same direction as the weights")])
    passed(name, 3)


def xor_network(W1, b1, X):
    """Outputs (N,) and hidden outputs (N, 2) of the step network whose hidden layer is
    (W1 (2, 2), b1 (2,)) and whose output unit is the AND unit (XOR_W2, XOR_B2)."""
    H = step(X @ np.asarray(W1, dtype=float) + np.asarray(b1, dtype=float))
    return step(H @ np.array(XOR_W2) + XOR_B2), H


_XOR_MISTAKES = [
    Mistake("OR: both hidden units fire on (1,1)", logic_gate("or")[1],
            "one hidden unit must stay silent on (1,1): a NAND-like unit, with inhibitory "
            "weights"),
    Mistake("AND: both hidden units fire only on (1,1)", logic_gate("and")[1],
            "one hidden unit should be an OR: silent only on (0,0)"),
    Mistake("a network that never fires", np.zeros(4),
            "some hidden unit never fires on (0,1) or (1,0). Is a threshold typed where the "
            "bias belongs? The bias is minus the threshold, b = -θ"),
]


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
        m = name_mistake(got, _XOR_MISTAKES)
        rows = "; ".join(f"{tuple(int(v) for v in x)}: h = {tuple(int(v) for v in h)}, "
                         f"y = {int(g)}" for x, h, g in zip(X, H, got))
        fail(name, "the network does not compute XOR" + (
                 f": it computes {m.label}" if m else ""), case=rows,
             expected="y = 0, 1, 1, 0", got="y = " + ", ".join(str(int(g)) for g in got),
             hint=(m.hint + ". " if m else "") +
             "The output fires only when both hidden units fire; column j of W_hidden holds "
             "the two weights into unit j")
    passed(name, 4)


def net_input_change():
    """The worked value of exercise 3: z after the update minus z before, on CHANGE_X."""
    w, x = np.array(CHANGE_W), np.array(CHANGE_X)
    y = int(step(w @ x + CHANGE_B))
    err = CHANGE_D - y
    w_new, b_new = w + CHANGE_LR * err * x, CHANGE_B + CHANGE_LR * err
    return float((w_new @ x + b_new) - (w @ x + CHANGE_B))


def check_net_input_change(delta_z):
    """Exercise 3 of lesson 02: by how much one perceptron-rule update changes the net input
    w·x + b on the very example x it was made for (CHANGE_* numbers)."""
    __tracebackhide__ = True
    name = "change of the net input"
    if pending(name, delta_z, what="set delta_z to your number"):
        return
    want = net_input_change()
    x = np.array(CHANGE_X)
    scale = want / (x @ x + 1)                 # lr * (d - y)
    compare_scalar(name, delta_z, want, rtol=0, atol=1e-9,
                   hint="write z after the update with the new weights and bias, and "
                        "subtract z before",
                   mistakes=[
                       Mistake("the bias's change left out", scale * (x @ x),
                               "the bias changes too, as a weight whose input is always 1: "
                               "it adds its own share to z"),
                       Mistake("the wrong sign", -want,
                               "the perceptron said 1 where 0 was wanted: the update must "
                               "lower the score of this input"),
                       Mistake("the learning rate left out", want / CHANGE_LR,
                               "every change of a weight is scaled by the learning rate"),
                       Mistake("the inputs added instead of squared", scale * (x.sum() + 1),
                               "weight w_i changes by lr (d - y) x_i and is multiplied by x_i "
                               "again in z: each input counts as x_i times x_i")])
    passed(name, 1, f" ({want:g})")
