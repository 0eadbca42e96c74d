"""Checks of the exercises inside lesson 04 (activation functions): ``softmax_rows``,
``sigmoid_grad_from_output``, ``tanh_grad_from_output`` (derived), ``relu_backward`` with
the dead units of a small batch (derived) and the momentum velocity computed by hand.

Each check is called by the cell right below its exercise. An exercise that still holds its
placeholder (``return ...`` or ``answer = ...``) gets one friendly "not answered yet" line and
no error, so the stored lesson runs top to bottom; a wrong answer raises ``CheckFailed`` with
expected vs got and a hint that does not give the code away; a wrong answer that matches a
common mistake (``core.Mistake``) is named ("this looks like ..."); a right one prints one ✔
line. The placeholder test is ``helpers.checks.exercise.pending``, shared by every lesson check.
Omits: grading points (lesson exercises are practice, not graded).
"""

import numpy as np

from ..activations import ACTIVATIONS
from ..layers import softmax
from . import core
from .core import Mistake, compare_arrays, compare_scalar, fail, fresh_rng, passed, run_student
from .exercise import pending

__all__ = ["DEAD_Z", "check_softmax_rows", "check_sigmoid_grad_from_output",
           "check_tanh_grad_from_output", "check_relu_backward", "check_momentum_velocity",
           "momentum_velocities"]

#: pre-activations of 5 ReLU units (columns) on a batch of 4 examples (rows): lesson 04 asks
#: which units are dead on this batch (their input is negative for every example)
DEAD_Z = np.array([[0.8, -1.2, -0.3, 0.0, -2.1],
                   [-0.5, -0.4, 1.1, -0.7, -0.2],
                   [1.3, -2.0, -0.9, -0.1, -1.5],
                   [-0.2, -0.6, 0.4, -1.8, -0.3]])


def check_softmax_rows(softmax_rows):
    """softmax_rows(z): z (N, C) -> (N, C), each row exp(z - max) / sum exp(z - max)."""
    __tracebackhide__ = True
    name = "softmax_rows(z)"
    probe = run_student(softmax_rows, np.zeros((1, 3)), name=name, case="z = [[0, 0, 0]]")
    if pending("softmax_rows", probe, what="write the body of softmax_rows"):
        return
    hint = ("exponentiate every score, then divide each row by the sum of ITS row "
            "(axis=1, keepdims=True)")
    mistakes = [("dividing by the sum of the whole matrix",
                 lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(),
                 "each example (row) is its own probability distribution: normalise every row "
                 "separately"),
                ("normalising the columns instead of the rows",
                 lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(axis=0),
                 "the classes of one example are along a row: sum along the row")]
    cases = [("z = [[0, 0, 0]]", lambda rng: np.zeros((1, 3))),
             ("a 4x5 matrix of random scores", lambda rng: rng.standard_normal((4, 5)) * 3),
             ("one row [1, 2, 3]", lambda rng: np.array([[1.0, 2.0, 3.0]])),
             ("a 3x10 float32 matrix",
              lambda rng: rng.standard_normal((3, 10)).astype(np.float32))]
    n = core.check_elementwise(softmax_rows, name, "z", cases, softmax, mistakes=mistakes,
                               atol=1e-7, hint=hint,
                               rtol=lambda z: 1e-5 if z.dtype == np.float32 else 1e-9)
    case = "large scores [[1000, 1001, 1002], [-1000, 0, 1000]] (must not overflow)"
    z = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    with np.errstate(over="raise", invalid="raise"):
        got = run_student(softmax_rows, z.copy(), name=name, case=case,
                          hint="subtract each row's maximum before np.exp: the result "
                               "does not change, and exp never sees a large number")
    compare_arrays(name, got, softmax(z), case=case, rtol=1e-9, atol=1e-12,
                   hint="subtract each row's maximum before np.exp")
    passed("softmax_rows", n + 1)


def _grad_from_output_cases(activation):
    """Outputs y = f(x) of an activation at fixed and random points: (case, make(rng) -> y)."""
    f = ACTIVATIONS[activation].f
    fixed = (np.array([0.0, 0.25, 0.5, 0.75, 1.0]) if activation == "sigmoid"
             else np.array([-1.0, -0.5, 0.0, 0.5, 1.0]))
    return [(f"y = {fixed.tolist()}", lambda rng: fixed),
            (f"y = {activation} of 8 random values", lambda rng: f(rng.standard_normal(8) * 3)),
            (f"y = {activation} of a random 3x4 matrix",
             lambda rng: f(rng.standard_normal((3, 4))))]


#: activation -> (the hint of a wrong derivative that matches no known mistake, the known
#: mistakes as (label, their value as a function of the output y, hint))
_GRAD_FROM_OUTPUT = {
    "sigmoid": (
        "the argument is already the OUTPUT y = sigmoid(x): use y itself, do not apply the "
        "sigmoid to it again",
        (("sigma' applied to the output as if it were the net input", ACTIVATIONS["sigmoid"].grad,
          "the argument is already sigma(x): the derivative needs no further sigmoid"),
         ("tanh's derivative", lambda y: 1 - y ** 2,
          "this is the sigmoid: read its row of the table in section 2"),
         ("the factor (1 - y) forgotten", lambda y: y,
          "the derivative is a product of two factors, both written with y"))),
    "tanh": (
        "differentiate tanh(x) = sinh(x) / cosh(x) and express the result with y = tanh(x) "
        "only; at y = 0 the slope must be 1",
        (("tanh' applied to the output as if it were the net input", ACTIVATIONS["tanh"].grad,
          "the argument is already tanh(x): write the derivative with y itself"),
         ("the sigmoid's derivative y(1 - y)", lambda y: y * (1 - y),
          "tanh is not the sigmoid: differentiate tanh and write the result with y = tanh(x)"),
         ("1 - y (the square forgotten)", lambda y: 1 - y,
          "differentiate sinh/cosh with the quotient rule: the output appears squared"))),
}


def _check_grad_from_output(fn, activation):
    """The check of a derivative written with the output y = f(x) of ``activation`` (both
    exercises of section 2): a probe for the unwritten stub, then every case of
    ``_grad_from_output_cases`` against the activation's ``grad_out``, a wrong answer named
    and hinted by ``_GRAD_FROM_OUTPUT[activation]``."""
    __tracebackhide__ = True
    label = f"{activation}_grad_from_output"
    name = f"{label}(y)"
    probe = run_student(fn, np.array([0.5]), name=name, case="y = [0.5]")
    if pending(label, probe, what=f"write the body of {label}"):
        return
    hint, mistakes = _GRAD_FROM_OUTPUT[activation]
    n = core.check_elementwise(fn, name, "y", _grad_from_output_cases(activation),
                               ACTIVATIONS[activation].grad_out, mistakes=mistakes,
                               rtol=1e-9, atol=1e-12, hint=hint)
    passed(label, n)


def check_sigmoid_grad_from_output(sigmoid_grad_from_output):
    """sigmoid_grad_from_output(y) -> y * (1 - y), where y = sigmoid(x) is the output."""
    __tracebackhide__ = True
    _check_grad_from_output(sigmoid_grad_from_output, "sigmoid")


def check_tanh_grad_from_output(tanh_grad_from_output):
    """tanh_grad_from_output(y) -> 1 - y**2, where y = tanh(x) is the output (derived in
    lesson 04 from the quotient rule or from tanh(x) = 2 sigmoid(2x) - 1)."""
    __tracebackhide__ = True
    _check_grad_from_output(tanh_grad_from_output, "tanh")


def _relu_mistakes(dout, x):
    """The known wrong gradients (shape of x) of relu_backward on incoming dout and input x."""
    return [
        Mistake("a gradient of 1 at x < 0 (the gradient passed through everywhere)", dout,
                "where the unit's input is negative its output is the constant 0: "
                "no gradient flows back there"),
        Mistake("a slope of 1 at x = 0", dout * (x >= 0),
                "at exactly 0 the lesson takes the slope of the flat side, 0 (the unit "
                "is off)"),
        Mistake("the incoming gradient forgotten", (x > 0).astype(float),
                "the chain rule multiplies the local slope by the gradient from above"),
        Mistake("the unit's output used instead of its slope", dout * np.maximum(x, 0),
                "the derivative of max(0, x) is a slope (0 or 1), not the output value")]


def _check_dead_units(dead_units):
    """Fail unless ``dead_units`` are the columns of DEAD_Z that are <= 0 in every row."""
    __tracebackhide__ = True
    dead = np.flatnonzero(np.all(DEAD_Z <= 0, axis=0))
    try:
        chosen = np.unique(np.asarray(dead_units, dtype=int).ravel())
    except (TypeError, ValueError):
        fail("dead_units", "should be a list of unit numbers", expected=str(dead.tolist()),
             got=repr(dead_units), hint="type the column numbers, e.g. [0, 2]")
    wrong = {"any": np.flatnonzero(np.any(DEAD_Z < 0, axis=0)),
             "live": np.flatnonzero(np.any(DEAD_Z > 0, axis=0)),
             "strict": np.flatnonzero(np.all(DEAD_Z < 0, axis=0))}
    if not np.array_equal(chosen, dead):
        label, tip = "", ("a dead unit passes no gradient back for ANY example of the batch: "
                          "look for columns that are <= 0 in every row")
        if np.array_equal(chosen, wrong["any"]):
            label = ": this looks like the units with at least one negative input"
            tip = "one example with a positive input is enough to keep a unit learning"
        elif np.array_equal(chosen, wrong["live"]):
            label = ": this looks like the units that are still alive"
        elif np.array_equal(chosen, wrong["strict"]):
            label = ": this looks like an input of exactly 0 counted as alive"
            tip = "at x = 0 the slope is 0 (the lesson's convention): no gradient either"
        fail("dead_units", f"wrong units{label}", case="the 4 x 5 batch DEAD_Z",
             expected=str(dead.tolist()), got=str(chosen.tolist()), hint=tip)


def check_relu_backward(relu_backward, dead_units):
    """relu_backward(dout, x) -> dout * (x > 0) (gradient 0 at x = 0, the lesson's
    convention), and ``dead_units``: the columns of ``DEAD_Z`` whose input is <= 0 for every
    example, i.e. whose ReLU passes no gradient back on that batch."""
    __tracebackhide__ = True
    name = "relu_backward(dout, x)"
    probe = run_student(relu_backward, np.ones((1, 2)), np.array([[1.0, -1.0]]), name=name,
                        case="dout = [[1, 1]], x = [[1, -1]]")
    if pending("relu_backward", probe, dead_units, what="relu_backward and dead_units"):
        return
    rng = fresh_rng()
    hint = ("the local slope of max(0, x) is 1 where the unit is on and 0 where it is off; "
            "multiply the incoming gradient by it")
    exact_zero = np.array([[0.0, 2.0, -3.0, 0.0], [1.5, 0.0, -0.5, 4.0]])
    cases = [("x with exact zeros [[0, 2, -3, 0], [1.5, 0, -0.5, 4]]",
              rng.standard_normal((2, 4)), exact_zero),
             ("random dout and x of shape (5, 3)", rng.standard_normal((5, 3)),
              rng.standard_normal((5, 3))),
             ("random float32 dout and x of shape (4, 6)",
              rng.standard_normal((4, 6)).astype(np.float32),
              np.where(rng.random((4, 6)) < 0.2, 0, rng.standard_normal((4, 6))).astype(
                  np.float32))]
    for case, dout, x in cases:
        dout_in, x_in = dout.copy(), x.copy()
        got = run_student(relu_backward, dout_in, x_in, name=name, case=case)
        core.expect_unchanged(name, "dout", dout_in, dout, case)
        core.expect_unchanged(name, "x", x_in, x, case)
        mistakes = _relu_mistakes(dout, x)
        compare_arrays(name, got, dout * (x > 0), case=case,
                       rtol=1e-5 if x.dtype == np.float32 else 1e-12, atol=1e-12, hint=hint,
                       mistakes=mistakes)
    _check_dead_units(dead_units)
    passed("relu_backward and dead_units", len(cases) + 1)


def momentum_velocities(grad, lr, momentum, steps):
    """Velocities v_1..v_steps of SGD with momentum for a constant gradient ``grad``:
    v <- momentum * v - lr * grad, starting from v = 0 (lesson 04, going further)."""
    v, out = 0.0, []
    for _ in range(steps):
        v = momentum * v - lr * grad
        out.append(v)
    return out


def check_momentum_velocity(answer):
    """The velocity after 3 momentum steps with gradient 2, learning rate 0.05, momentum 0.5."""
    __tracebackhide__ = True
    if pending("velocity after 3 steps", answer, what="the velocity v_3"):
        return
    expected = momentum_velocities(2.0, 0.05, 0.5, 3)[-1]
    mistakes = [Mistake("the velocity with the sign of a step along the gradient", -expected,
                        "the step goes against the gradient: a positive gradient gives a "
                        "negative velocity"),
                Mistake("plain SGD's step times three (momentum forgotten)", 3 * -0.05 * 2.0,
                        "each step first keeps momentum * v of the previous velocity"),
                Mistake("the velocity after 2 steps", momentum_velocities(2.0, 0.05, 0.5, 2)[-1],
                        "apply the rule three times, starting from v = 0")]
    compare_scalar("velocity after 3 steps", answer, expected, rtol=1e-3, atol=1e-4,
                   hint="apply v <- 0.5 * v - 0.05 * 2 three times, starting from v = 0; "
                        "a step against a positive gradient is negative", mistakes=mistakes)
    passed("velocity after 3 steps", 1, note=f" (v_3 = {expected:.3f})")
