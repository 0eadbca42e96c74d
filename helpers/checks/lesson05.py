"""Checks of the exercises inside lesson 05 (regularization): ``l2_gradient`` (the L2 term
of the gradient), ``decay_factor`` (the SGD update with L2 written as weight decay, derived),
the three values of an inverted-dropout unit (derived: kept, expected in training, at test
time) and the size of Adam's first step.

Same conventions as the other lesson checks: a placeholder (``return ...`` or
``answer = ...``, see ``helpers.checks.exercise.pending``) prints one "not answered yet"
line, a wrong answer raises ``CheckFailed`` (naming the common mistake it matches, see
``core.Mistake``), a right one prints one ✔ line.
Omits: grading points (lesson exercises are practice, not graded).
"""

import numpy as np

from ..optim import adam
from . import core
from .core import Mistake, compare_arrays, compare_scalar, fresh_rng, passed, run_student
from .exercise import pending

__all__ = ["DROPOUT_UNIT", "check_l2_gradient", "check_decay_factor",
           "check_inverted_dropout_values", "check_adam_first_step", "adam_first_step"]

#: the unit of the inverted-dropout exercise: its output h and the keep probability p
DROPOUT_UNIT = {"h": 3.0, "p": 0.6}


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
        core.expect_unchanged(name, "dW", dW_in, dW, case)
        core.expect_unchanged(name, "W", W_in, W, case)
        mistakes = [
            Mistake("the penalty's gradient with the wrong sign", dW - lam * W,
                    "the penalty is ADDED to the cost, so its gradient is added too"),
            Mistake("adding lambda itself instead of lambda times W", dW + lam,
                    "the penalty depends on each weight: its derivative does too"),
            Mistake("the 2 of the square not cancelled against the 1/2", dW + lam / 2 * W,
                    "the derivative of w**2 is 2w, and the penalty has a factor 1/2"),
            Mistake("the 1/2 of the penalty forgotten", dW + 2 * lam * W,
                    "the course's penalty is lam/2 * sum(W**2): keep its 1/2"),
            Mistake("the data loss's gradient forgotten", lam * W,
                    "the cost is data loss + penalty: both contribute to the gradient")]
        compare_arrays(name, got, dW + lam * W, case=case, rtol=1e-9, atol=1e-12, hint=hint,
                       mistakes=mistakes)
    passed("l2_gradient", len(cases))


def check_decay_factor(decay_factor):
    """decay_factor(lr, lam) -> 1 - lr * lam: one SGD step on data loss + lam/2 ||W||^2 is
    W <- decay_factor * W - lr * dW (derived in lesson 05)."""
    __tracebackhide__ = True
    name = "decay_factor(lr, lam)"
    probe = run_student(decay_factor, 0.5, 0.1, name=name, case="lr = 0.5, lam = 0.1")
    if pending("decay_factor", probe, what="write the body of decay_factor"):
        return
    rng = fresh_rng()
    cases = [(0.5, 0.1), (0.1, 0.0), (float(rng.uniform(0.01, 1)), float(rng.uniform(1e-4, 0.1))),
             (float(rng.uniform(0.01, 1)), float(rng.uniform(1e-4, 0.1)))]
    for lr, lam in cases:
        case = f"lr = {lr:.4g}, lam = {lam:.4g}"
        got = run_student(decay_factor, lr, lam, name=name, case=case)
        mistakes = [
            Mistake("subtracting lambda (the learning rate forgotten)", 1 - lam,
                    "the penalty's gradient is part of the step, and every part of the step "
                    "is multiplied by the learning rate"),
            Mistake("the amount taken off instead of the factor that remains", lr * lam,
                    "the factor multiplies W: it says what is LEFT of each weight"),
            Mistake("a factor that grows the weights", 1 + lr * lam,
                    "gradient descent subtracts the gradient, penalty term included"),
            Mistake("the 1/2 of the penalty kept in the gradient", 1 - lr * lam / 2,
                    "the derivative of lam/2 * w**2 is lam * w")]
        compare_scalar(name, got, 1 - lr * lam, case=case, rtol=1e-9, atol=1e-12,
                       hint="write W - lr * (gradient of the regularized cost) and collect "
                            "the terms that multiply W", mistakes=mistakes)
    passed("decay_factor", len(cases))


def check_inverted_dropout_values(kept_value, expected_value, test_value):
    """A unit with output h = 3 and keep probability p = 0.6 under inverted dropout: the
    value it passes on when kept (h / p = 5), its expected value in training (h = 3) and
    what it passes on at test time (h = 3: nothing is dropped or rescaled)."""
    __tracebackhide__ = True
    if pending("inverted dropout values", kept_value, expected_value, test_value,
               what="kept_value, expected_value and test_value"):
        return
    h, p = DROPOUT_UNIT["h"], DROPOUT_UNIT["p"]
    compare_scalar("kept_value", kept_value, h / p, rtol=1e-3, mistakes=[
        Mistake("the 1/keep_prob missing", h,
                "inverted dropout rescales the units it keeps during training"),
        Mistake("multiplying by the keep probability instead of dividing", h * p,
                "the kept units must make up for the dropped ones: they get larger")],
        hint="inverted dropout divides every kept value by the keep probability")
    compare_scalar("expected_value", expected_value, h, rtol=1e-3, mistakes=[
        Mistake("the dropped outcome left out of the average", h / p,
                "the unit is dropped with probability 1 - p and then passes 0: weight each "
                "outcome by its probability"),
        Mistake("the scale-at-test form's expectation", h * p,
                "with inverted dropout the kept value is h / p, not h")],
        hint="average the two outcomes, each weighted by its probability: kept "
             "(probability p) and dropped (probability 1 - p, value 0)")
    compare_scalar("test_value", test_value, h, rtol=1e-3, mistakes=[
        Mistake("scaling at test time as well (the original form's rule)", h * p,
                "inverted dropout already rescaled during training: at test time the "
                "network is used as it is"),
        Mistake("dropout applied at test time", h / p,
                "at test time every unit is kept: nothing is dropped, nothing is rescaled"),
        Mistake("a dropped unit at test time", 0.0,
                "at test time every unit is kept")],
        hint="at test time every unit is on; compare with its expected value in training")
    passed("inverted dropout values", 3)


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
    mistakes = [Mistake("a step along the gradient (the sign)", -expected,
                        "Adam, like SGD, steps against the gradient"),
                Mistake("plain SGD's step, -lr * g", -0.01 * 0.004,
                        "Adam divides by the running size of the gradient"),
                Mistake("the bias correction forgotten", -0.01 * 0.1 / np.sqrt(0.001),
                        "m and v start at 0: on step 1 divide them by 1 - beta**1")]
    compare_scalar("Adam's first step", answer, expected, rtol=1e-3, mistakes=mistakes,
                   hint="after the bias correction, m_hat = g and v_hat = g**2 on the first "
                        "step; the step is -lr * m_hat / (sqrt(v_hat) + eps), and its sign "
                        "is opposite to the gradient's")
    passed("Adam's first step", 1, note=f" (change {expected:.4f}: about -lr, whatever the "
                                        "size of the gradient)")
