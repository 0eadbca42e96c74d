"""Checks of the exercises inside lesson 05 (regularization): ``l2_gradient`` (the L2 term
of the gradient), the two values of an inverted-dropout unit, and the size of Adam's first
step.

Same conventions as the other lesson checks: a placeholder (``return ...`` or
``answer = ...``, see ``helpers.checks.exercise.pending``) prints one "not answered yet"
line, a wrong answer raises ``CheckFailed``, a right one prints one ✔ line.
Omits: grading points (lesson exercises are practice, not graded).
"""

import numpy as np

from ..optim import adam
from .core import compare_arrays, compare_scalar, expect_unchanged, fresh_rng, passed, run_student
from .exercise import pending

__all__ = ["check_l2_gradient", "check_inverted_dropout_values", "check_adam_first_step"]


def check_l2_gradient(l2_gradient):
    """l2_gradient(dW, W, lam) -> dW + lam * W, the gradient of data loss + lam/2 ||W||^2."""
    __tracebackhide__ = True
    name = "l2_gradient(dW, W, lam)"
    probe = run_student(l2_gradient, np.zeros((2, 2)), np.ones((2, 2)), 0.1, name=name,
                        case="dW = zeros (2, 2), W = ones (2, 2), lam = 0.1")
    if pending("l2_gradient", probe, what="write the body of l2_gradient"):
        return
    rng = fresh_rng()
    hint = ("differentiate lam/2 * sum(W**2) with respect to W and add the result to the "
            "gradient of the data loss")
    cases = [("dW = zeros (2, 2), W = ones (2, 2), lam = 0.1",
              np.zeros((2, 2)), np.ones((2, 2)), 0.1),
             ("random dW and W of shape (4, 3), lam = 0.01",
              rng.standard_normal((4, 3)), rng.standard_normal((4, 3)), 0.01),
             ("random dW and W of shape (5, 2), lam = 0 (no penalty)",
              rng.standard_normal((5, 2)), rng.standard_normal((5, 2)), 0.0),
             ("random dW and W of shape (3, 6), lam = 0.5",
              rng.standard_normal((3, 6)), rng.standard_normal((3, 6)), 0.5)]
    for case, dW, W, lam in cases:
        dW_in, W_in = dW.copy(), W.copy()
        got = run_student(l2_gradient, dW_in, W_in, lam, name=name, case=case)
        expect_unchanged(name, "dW", dW_in, dW, case)
        expect_unchanged(name, "W", W_in, W, case)
        compare_arrays(name, got, dW + lam * W, case=case, rtol=1e-9, atol=1e-12, hint=hint)
    passed("l2_gradient", len(cases))


def check_inverted_dropout_values(kept_value, expected_value):
    """A unit with output h = 3 and keep probability p = 0.6 under inverted dropout: the
    value it passes on when kept (h / p = 5) and its expected value in training (h = 3)."""
    __tracebackhide__ = True
    if pending("inverted dropout values", kept_value, expected_value,
               what="kept_value and expected_value"):
        return
    h, p = 3.0, 0.6
    compare_scalar("kept_value", kept_value, h / p, rtol=1e-3,
                   hint="inverted dropout divides every kept value by the keep probability")
    compare_scalar("expected_value", expected_value, p * (h / p) + (1 - p) * 0.0, rtol=1e-3,
                   hint="average the two outcomes, each weighted by its probability: kept "
                        "(probability p) and dropped (probability 1 - p, value 0)")
    passed("inverted dropout values", 2)


def adam_first_step(w, grad, lr):
    """The change of ``w`` after Adam's first update (default betas) for gradient ``grad``."""
    w_new, _ = adam(np.array([w], dtype=np.float64), np.array([grad], dtype=np.float64),
                    {"learning_rate": lr})
    return float(w_new[0]) - w


def check_adam_first_step(answer):
    """The change of a weight in Adam's first step with gradient 0.004, learning rate 0.01."""
    __tracebackhide__ = True
    if pending("Adam's first step", answer, what="the change of the weight"):
        return
    expected = adam_first_step(1.0, 0.004, 0.01)
    compare_scalar("Adam's first step", answer, expected, rtol=1e-3,
                   hint="after the bias correction, m_hat = g and v_hat = g**2 on the first "
                        "step; the step is -lr * m_hat / (sqrt(v_hat) + eps), and its sign "
                        "is opposite to the gradient's")
    passed("Adam's first step", 1, note=f" (change {expected:.4f}: about -lr, whatever the "
                                        "size of the gradient)")
