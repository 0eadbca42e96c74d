"""Checks of the exercises inside lesson 06 (the MNIST dropout project): the one-hot rows of
three labels written by hand, and ``accuracy_from_confusion`` (accuracy read off a confusion
matrix).

Same conventions as the other lesson checks: a placeholder (``return ...`` or
``answer = ...``, see ``helpers.checks.exercise.pending``) prints one "not answered yet" line,
a wrong answer raises ``CheckFailed``, a right one prints one ✔ line.
Omits: grading points (lesson exercises are practice, not graded).
"""

import numpy as np

from ..data import one_hot
from .core import compare_arrays, compare_scalar, expect_unchanged, fresh_rng, passed, run_student
from .exercise import pending

__all__ = ["ONE_HOT_LABELS", "check_one_hot_rows", "check_accuracy_from_confusion"]

#: the labels whose one-hot rows (4 classes) the exercise asks for
ONE_HOT_LABELS = (2, 0, 3)


def check_one_hot_rows(answer):
    """The one-hot rows of the labels 2, 0, 3 with 4 classes: an array of shape (3, 4)."""
    __tracebackhide__ = True
    if pending("one-hot rows", answer, what="the three rows"):
        return
    expected = one_hot(np.array(ONE_HOT_LABELS), 4)
    compare_arrays("one-hot rows", np.asarray(answer, dtype=float), expected,
                   case=f"labels {list(ONE_HOT_LABELS)}, 4 classes (0, 1, 2, 3)",
                   kind="float", exact=True,
                   hint="one row per label, one column per class; the 1 goes into the column "
                        "whose number is the label (counting from 0)")
    passed("one-hot rows", 1)


def check_accuracy_from_confusion(accuracy_from_confusion):
    """accuracy_from_confusion(cm) -> the fraction of correct predictions (a float in [0, 1])
    of a (C, C) confusion matrix with rows = true class and columns = predicted class."""
    __tracebackhide__ = True
    name = "accuracy_from_confusion(cm)"
    small = np.array([[5, 1], [2, 2]])
    probe = run_student(accuracy_from_confusion, small.copy(), name=name,
                        case="cm = [[5, 1], [2, 2]]")
    if pending("accuracy_from_confusion", probe,
               what="write the body of accuracy_from_confusion"):
        return
    rng = fresh_rng()
    hint = ("the correct predictions are the counts where the true class equals the "
            "predicted class; divide them by the number of all predictions")
    cases = [("cm = [[5, 1], [2, 2]]", small),
             ("a random 10x10 confusion matrix", rng.integers(0, 50, (10, 10))),
             ("a random 3x3 confusion matrix", rng.integers(0, 9, (3, 3)) + np.eye(3, dtype=int)),
             ("a perfect classifier (diagonal 4x4 matrix)", np.diag(rng.integers(1, 20, 4)))]
    for case, cm in cases:
        cm_in = cm.copy()
        got = run_student(accuracy_from_confusion, cm_in, name=name, case=case)
        expect_unchanged(name, "cm", cm_in, cm, case)
        compare_scalar(name, got, np.trace(cm) / cm.sum(), case=case, rtol=1e-9, hint=hint)
    passed("accuracy_from_confusion", len(cases))
