"""Checks of the exercises in lesson 01 (neurons): choose the weights and threshold of a
McCulloch-Pitts NAND unit, and compute one neuron's output by hand.

The numbers of the hand computation live here (``NEURON_X``, ``NEURON_W``, ``NEURON_B``) so
the lesson prints them from the same source the check uses.
Omits: slider exercises (they need a browser and are not checked).
"""

import numpy as np

from ..activations import sigmoid, step
from ..data import logic_gate
from ..lessons.logic import function_name, threshold_unit
from .core import compare_scalar, fail, passed
from .exercise import as_numbers, pending

#: the neuron of the hand-computation exercise: z = w . x + b
NEURON_X = (2.0, -1.0)
NEURON_W = (0.5, 1.5)
NEURON_B = 0.25


def check_nand(w, theta):
    """Exercise 1 of lesson 01: ``w`` (two weights) and ``theta`` (a threshold) must make
    threshold_unit(x, w, theta) output 1, 1, 1, 0 on (0,0), (0,1), (1,0), (1,1)."""
    __tracebackhide__ = True
    name = "NAND unit"
    if pending(name, w, theta, what="set w_nand (two weights) and theta_nand (a number)"):
        return
    w = as_numbers(name, w, (2,), what="w_nand")
    theta = float(as_numbers(name, theta, (), what="theta_nand"))
    X, want = logic_gate("nand")
    got = threshold_unit(X, w, theta)
    if not np.array_equal(got, want):
        rows = ", ".join(f"{tuple(int(v) for v in x)} -> {int(g)}" for x, g in zip(X, got))
        fail(name, f"your unit computes {function_name(got)}, not NAND", case=rows,
             expected="outputs 1, 1, 1, 0 (silent only when both inputs are on)",
             got="outputs " + ", ".join(str(int(g)) for g in got),
             hint="write the weighted sum for each of the four inputs: only the sum for "
                  "(1,1) may fall below the threshold. Negative weights make a unit "
                  "inhibitory")
    passed(name, 4, f" (w = {w.tolist()}, θ = {theta:g})")


def neuron_by_hand():
    """The worked values of exercise 2: {'z': ..., 'step': ..., 'sigmoid': ...}."""
    z = float(np.dot(NEURON_W, NEURON_X) + NEURON_B)
    return {"z": z, "step": int(step(z)), "sigmoid": float(sigmoid(z))}


def check_neuron_by_hand(z, y_step, y_sigmoid):
    """Exercise 2 of lesson 01: the net input z, step(z) and sigmoid(z) of the neuron with
    weights NEURON_W and bias NEURON_B on input NEURON_X (sigmoid to 3 decimals)."""
    __tracebackhide__ = True
    name = "neuron by hand"
    if pending(name, z, y_step, y_sigmoid, what="fill in z, y_step and y_sigmoid"):
        return
    want = neuron_by_hand()
    compare_scalar(f"{name}: z", z, want["z"], rtol=0, atol=1e-9,
                   hint="z = w1*x1 + w2*x2 + b; watch the sign of the negative input")
    compare_scalar(f"{name}: y_step", y_step, want["step"], rtol=0, atol=1e-9,
                   hint="step(z) is 1 when z >= 0 and 0 when z < 0")
    compare_scalar(f"{name}: y_sigmoid", y_sigmoid, want["sigmoid"], rtol=0, atol=6e-4,
                   hint="sigmoid(z) = 1 / (1 + e^(-z)); for a negative z it lies below 0.5")
    passed(name, 3)
