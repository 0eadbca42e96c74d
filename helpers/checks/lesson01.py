"""Checks of the exercises in lesson 01 (neurons): choose the weights and threshold of a
McCulloch-Pitts NAND unit and of a three-input majority unit, and compute one neuron's output
by hand.

Each check names the usual wrong answers by their values (``core.Mistake``): a unit that
computes AND or OR instead, a net input without its bias, the slides' "1/1 + e^-x" read
literally, ... The numbers of the hand computation live here (``NEURON_X``, ``NEURON_W``,
``NEURON_B``) so the lesson prints them from the same source the check uses.
Omits: slider exercises (they need a browser and are not checked).
"""

import numpy as np

from ..activations import sigmoid, step
from ..data import logic_gate
from ..lessons.logic import binary_inputs, function_name, threshold_unit
from .core import Mistake, compare_scalar, fail, name_mistake, passed
from .exercise import as_numbers, pending

#: the neuron of the hand-computation exercise: z = w . x + b
NEURON_X = (2.0, -1.0)
NEURON_W = (0.5, 1.5)
NEURON_B = 0.25

_NAND_MISTAKES = [
    Mistake("AND", logic_gate("and")[1],
            "NAND is the opposite of AND: flip the sign of every weight and of the threshold"),
    Mistake("OR", logic_gate("or")[1],
            "an OR fires as soon as one input is on; NAND must stay silent only when BOTH are "
            "on, so the inputs should pull the sum down (inhibitory weights)"),
    Mistake("NOR", logic_gate("nor")[1],
            "the threshold is too high: with one input on, the weighted sum must still reach "
            "it"),
]


def _rows(X, got):
    return ", ".join(f"{tuple(int(v) for v in x)} -> {int(g)}" for x, g in zip(X, got))


def _check_unit(name, answer, names, X, want, explain, *, what):
    """Pass if the unit ``answer`` (w, theta) outputs ``want`` on ``X``, else ``explain`` fails."""
    __tracebackhide__ = True
    (w, theta), (w_name, theta_name) = answer, names
    if pending(name, w, theta, what=what):
        return
    w = as_numbers(name, w, (X.shape[1],), what=w_name)
    theta = float(as_numbers(name, theta, (), what=theta_name))
    got = threshold_unit(X, w, theta)
    if not np.array_equal(got, want):
        explain(name, X, got, want)
    passed(name, len(X), f" (w = {w.tolist()}, θ = {theta:g})")


def check_nand(w, theta):
    """Exercise 1 of lesson 01: ``w`` (two weights) and ``theta`` (a threshold) must make
    threshold_unit(x, w, theta) output 1, 1, 1, 0 on (0,0), (0,1), (1,0), (1,1)."""
    __tracebackhide__ = True
    X, want = logic_gate("nand")
    _check_unit("NAND unit", (w, theta), ("w_nand", "theta_nand"), X, want, _explain_nand,
                what="set w_nand (two weights) and theta_nand (a number)")


def _explain_nand(name, X, got, want):
    """Fail naming the function the unit computes instead of NAND (want)."""
    __tracebackhide__ = True
    m = name_mistake(got, _NAND_MISTAKES)
    fail(name, f"your unit computes {function_name(got)}, not NAND", case=_rows(X, got),
         expected="outputs 1, 1, 1, 0 (silent only when both inputs are on)",
         got="outputs " + ", ".join(str(int(g)) for g in got),
         hint=m.hint if m else
         "write the weighted sum for each of the four inputs: only the sum for (1,1) may "
         "fall below the threshold. Negative weights make a unit inhibitory")


def check_majority(w, theta):
    """Exercise 2 of lesson 01: three weights ``w`` and a threshold ``theta`` with which the
    unit fires exactly when at least two of its three 0/1 inputs are on (all 8 inputs)."""
    __tracebackhide__ = True
    X = binary_inputs(3)
    _check_unit("majority unit", (w, theta), ("w_major", "theta_major"), X,
                (X.sum(axis=1) >= 2).astype(np.int64), _explain_majority,
                what="set w_major (three weights) and theta_major (a number)")


def _explain_majority(name, X, got, want):
    """Fail naming the inputs on which the unit is not the majority function (want)."""
    __tracebackhide__ = True
    on = X.sum(axis=1)
    mistakes = [
        Mistake("an OR of three inputs (fires as soon as one input is on)",
                (on >= 1).astype(np.int64),
                "the threshold is too low: a single input on must stay below it"),
        Mistake("an AND of three inputs (fires only when all three are on)",
                (on >= 3).astype(np.int64),
                "the threshold is too high: two inputs on must already reach it"),
    ]
    m = name_mistake(got, mistakes)
    wrong = [f"{tuple(int(v) for v in x)} -> {int(g)}" for x, g, t in zip(X, got, want)
             if g != t]
    fail(name, "wrong unit" + (f": this looks like {m.label}" if m else ""),
         case="wrong on " + ", ".join(wrong),
         expected="1 exactly when two or three inputs are on",
         hint=m.hint if m else "all three inputs count the same, so give them the same "
                               "weight; then the sum counts the inputs that are on")


def neuron_by_hand():
    """The worked values of exercise 3: {'z': ..., 'step': ..., 'sigmoid': ...}."""
    z = float(np.dot(NEURON_W, NEURON_X) + NEURON_B)
    return {"z": z, "step": int(step(z)), "sigmoid": float(sigmoid(z))}


def check_neuron_by_hand(z, y_step, y_sigmoid):
    """Exercise 3 of lesson 01: the net input z, step(z) and sigmoid(z) of the neuron with
    weights NEURON_W and bias NEURON_B on input NEURON_X (sigmoid to 3 decimals)."""
    __tracebackhide__ = True
    name = "neuron by hand"
    if pending(name, z, y_step, y_sigmoid, what="fill in z, y_step and y_sigmoid"):
        return
    want = neuron_by_hand()
    w, x = np.array(NEURON_W), np.array(NEURON_X)
    compare_scalar(f"{name}: z", z, want["z"], rtol=0, atol=1e-9,
                   hint="z = w1*x1 + w2*x2 + b; watch the sign of the negative input",
                   mistakes=[
                       Mistake("the bias forgotten", float(w @ x),
                               "the net input is the weighted sum PLUS the bias"),
                       Mistake("the minus sign of the input x2 = -1 dropped",
                               float(w @ np.abs(x) + NEURON_B),
                               "each input is multiplied by its weight with its sign: "
                               "1.5 times -1 is negative"),
                       Mistake("the weights and inputs added instead of multiplied",
                               float(w.sum() + x.sum() + NEURON_B),
                               "each input is multiplied by its own weight, then the "
                               "products are added")])
    compare_scalar(f"{name}: y_step", y_step, want["step"], rtol=0, atol=1e-9,
                   hint="step(z) is 1 when z >= 0 and 0 when z < 0",
                   mistakes=[
                       Mistake("the sign function (outputs -1 or +1), not step", -1,
                               "step codes the two classes as 0 and 1"),
                       Mistake("the neuron firing on a negative net input", 1,
                               "step fires only when z >= 0")])
    compare_scalar(f"{name}: y_sigmoid", y_sigmoid, want["sigmoid"], rtol=0, atol=6e-4,
                   hint="sigmoid(z) = 1 / (1 + e^(-z)); for a negative z it lies below 0.5",
                   mistakes=[
                       Mistake("the sign in the exponent flipped (that is sigmoid(-z))",
                               float(sigmoid(-want["z"])),
                               "sigmoid(z) = 1 / (1 + e^(-z)): for a negative z the exponent "
                               "-z is positive and the result lies below 0.5"),
                       Mistake("'1/1 + e^-z' read as (1/1) + e^-z",
                               1.0 + float(np.exp(-want["z"])),
                               "the whole 1 + e^(-z) is the denominator; a sigmoid output "
                               "always lies between 0 and 1"),
                       Mistake("the net input used as the output", want["z"],
                               "the output is the sigmoid OF the net input")])
    passed(name, 3)
