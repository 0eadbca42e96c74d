"""Checks of the exercises inside lesson 04 (activation functions): ``softmax_rows``,
``sigmoid_grad_from_output`` and the momentum velocity computed by hand.

Each check is called by the cell right below its exercise. An exercise that still holds its
placeholder (``return ...`` or ``answer = ...``) gets one friendly "not answered yet" line and
no error, so the stored lesson runs top to bottom; a wrong answer raises ``CheckFailed`` with
expected vs got and a hint that does not give the code away; a right one prints one ✔ line.
The placeholder test is ``helpers.checks.exercise.pending``, shared by every lesson check.
Omits: grading points (lesson exercises are practice, not graded).
"""

import numpy as np

from ..activations import ACTIVATIONS
from ..layers import softmax
from .core import check_elementwise, compare_arrays, compare_scalar, fresh_rng, passed, run_student
from .exercise import pending

__all__ = ["check_softmax_rows", "check_sigmoid_grad_from_output",
           "check_momentum_velocity"]


def check_softmax_rows(softmax_rows):
    """softmax_rows(z): z (N, C) -> (N, C), each row exp(z - max) / sum exp(z - max)."""
    __tracebackhide__ = True
    name = "softmax_rows(z)"
    probe = run_student(softmax_rows, np.zeros((1, 3)), name=name, case="z = [[0, 0, 0]]")
    if pending("softmax_rows", probe, what="write the body of softmax_rows"):
        return
    rng = fresh_rng()
    hint = ("exponentiate every score, then divide each row by the sum of ITS row "
            "(axis=1, keepdims=True)")
    cases = [("z = [[0, 0, 0]]", np.zeros((1, 3))),
             ("a 4x5 matrix of random scores", rng.standard_normal((4, 5)) * 3),
             ("one row [1, 2, 3]", np.array([[1.0, 2.0, 3.0]])),
             ("a 3x10 float32 matrix", rng.standard_normal((3, 10)).astype(np.float32))]
    n = check_elementwise(softmax_rows, name, "z", cases, softmax, atol=1e-7,
                          rtol=lambda z: 1e-5 if z.dtype == np.float32 else 1e-9, hint=hint)
    case = "large scores [[1000, 1001, 1002], [-1000, 0, 1000]] (must not overflow)"
    z = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    with np.errstate(over="raise", invalid="raise"):
        got = run_student(softmax_rows, z.copy(), name=name, case=case,
                          hint="subtract each row's maximum before np.exp: the result "
                               "does not change, and exp never sees a large number")
    compare_arrays(name, got, softmax(z), case=case, rtol=1e-9, atol=1e-12,
                   hint="subtract each row's maximum before np.exp")
    passed("softmax_rows", n + 1)


def check_sigmoid_grad_from_output(sigmoid_grad_from_output):
    """sigmoid_grad_from_output(y) -> y * (1 - y), where y = sigmoid(x) is the output."""
    __tracebackhide__ = True
    name = "sigmoid_grad_from_output(y)"
    probe = run_student(sigmoid_grad_from_output, np.array([0.5]), name=name, case="y = [0.5]")
    if pending("sigmoid_grad_from_output", probe,
               what="write the body of sigmoid_grad_from_output"):
        return
    rng = fresh_rng()
    sigmoid = ACTIVATIONS["sigmoid"]
    cases = [("y = [0, 0.25, 0.5, 0.75, 1]", np.array([0.0, 0.25, 0.5, 0.75, 1.0])),
             ("y = sigmoid of 8 random values", sigmoid.f(rng.standard_normal(8) * 3)),
             ("y = sigmoid of a random 3x4 matrix", sigmoid.f(rng.standard_normal((3, 4))))]
    n = check_elementwise(sigmoid_grad_from_output, name, "y", cases, sigmoid.grad_out,
                          rtol=1e-9, atol=1e-12,
                          hint="the argument is already the OUTPUT y = sigmoid(x): use y "
                               "itself, do not apply the sigmoid to it again")
    passed("sigmoid_grad_from_output", n)


def momentum_velocities(grad, lr, momentum, steps):
    """Velocities v_1..v_steps of SGD with momentum for a constant gradient ``grad``:
    v <- momentum * v - lr * grad, starting from v = 0 (lesson 04, section on momentum)."""
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
    compare_scalar("velocity after 3 steps", answer, expected, rtol=1e-3, atol=1e-4,
                   hint="apply v <- 0.5 * v - 0.05 * 2 three times, starting from v = 0; "
                        "a step against a positive gradient is negative")
    passed("velocity after 3 steps", 1, note=f" (v_3 = {expected:.3f})")
