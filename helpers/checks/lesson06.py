"""Checks of the exercises inside lesson 06 (the MNIST dropout project): the one-hot rows of
three labels written by hand, ``accuracy_from_confusion`` (accuracy read off a confusion
matrix), and model selection (derived): ``split_validation`` (carve a validation set out of
the training images) and ``choose_keep_prob`` (pick a setting on validation error only).

Same conventions as the other lesson checks: a placeholder (``return ...`` or
``answer = ...``, see ``helpers.checks.exercise.pending``) prints one "not answered yet" line,
a wrong answer raises ``CheckFailed`` (naming the common mistake it matches, see
``core.Mistake``), a right one prints one ✔ line.
Omits: grading points (lesson exercises are practice, not graded).
"""

import numpy as np
import pandas as pd

from ..data import one_hot
from . import core
from .core import Mistake, compare_arrays, compare_scalar, fail, fresh_rng, passed, run_student
from .exercise import pending

__all__ = ["ONE_HOT_LABELS", "check_one_hot_rows", "check_accuracy_from_confusion",
           "check_split_validation", "check_choose_keep_prob"]

#: the labels whose one-hot rows (4 classes) the exercise asks for
ONE_HOT_LABELS = (2, 0, 3)


def check_one_hot_rows(answer):
    """The one-hot rows of the labels 2, 0, 3 with 4 classes: an array of shape (3, 4)."""
    __tracebackhide__ = True
    if pending("one-hot rows", answer, what="the three rows"):
        return
    labels = np.array(ONE_HOT_LABELS)
    expected = one_hot(labels, 4)
    mistakes = [Mistake("columns counted from the right", expected[:, ::-1],
                        "column 0 is the first (leftmost) column"),
                Mistake("ones in every column up to the label",
                        (np.arange(4) <= labels[:, None]).astype(float),
                        "a one-hot row has exactly one 1: a label is a name, not a count"),
                Mistake("the label's value written in the first column",
                        np.eye(4)[np.zeros(3, int)] * labels[:, None],
                        "the label decides WHERE the 1 goes, not what number is written")]
    compare_arrays("one-hot rows", np.asarray(answer, dtype=float), expected,
                   case=f"labels {list(ONE_HOT_LABELS)}, 4 classes (0, 1, 2, 3)",
                   kind="float", exact=True, mistakes=mistakes,
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
        core.expect_unchanged(name, "cm", cm_in, cm, case)
        right = np.trace(cm) / cm.sum()
        mistakes = [Mistake("the number of correct predictions, not the fraction",
                            np.trace(cm), "accuracy is a fraction between 0 and 1"),
                    Mistake("the error rate (1 - accuracy)", 1 - right,
                            "the diagonal holds the CORRECT predictions"),
                    Mistake("the mean of the per-class recalls",
                            np.mean(np.diag(cm) / np.maximum(cm.sum(axis=1), 1)),
                            "accuracy counts every prediction once: classes with more "
                            "images weigh more"),
                    Mistake("the correct count divided by the number of classes",
                            np.trace(cm) / cm.shape[0],
                            "divide by the number of predictions, all cells together")]
        compare_scalar(name, got, right, case=case, rtol=1e-9, hint=hint, mistakes=mistakes)
    passed("accuracy_from_confusion", len(cases))


def _identifiable(n, d):
    """Rows whose first column is the row number (so a split can be traced) and labels that
    depend on it (so labels that lost their rows show)."""
    X = np.repeat(np.arange(n, dtype=np.float64)[:, None], d, axis=1)
    return X, (np.arange(n) * 7 + 3) % 10


def _check_split_case(split_validation, name, rng, n, d, n_val):
    """One case of check_split_validation: n rows of d features, n_val held out, a random seed."""
    __tracebackhide__ = True
    X, y = _identifiable(n, d)
    seed = int(rng.integers(0, 1000))
    case = f"{n} rows of {d} features, n_val = {n_val}, seed = {seed}"
    X_in, y_in = X.copy(), y.copy()
    got = run_student(split_validation, X_in, y_in, n_val, seed, name=name, case=case)
    core.expect_unchanged(name, "X", X_in, X, case)
    core.expect_unchanged(name, "y", y_in, y, case)
    fit_part, val_part = core.unpack(name, got, ["(X_fit, y_fit)", "(X_val, y_val)"], case)
    (X_fit, y_fit) = core.unpack(name, fit_part, ["X_fit", "y_fit"], case)
    (X_val, y_val) = core.unpack(name, val_part, ["X_val", "y_val"], case)
    if np.shape(X_fit)[:1] == (n,):
        fail(name, "wrong answer: this looks like the validation rows still in the fit set",
             case, f"X_fit with {n - n_val} rows", f"X_fit with {n} rows",
             hint="a validation image must be one the network never trained on: take "
                  "the held-out rows OUT of the fitting part")
    compare_arrays(f"{name}: X_val", X_val, X[:n_val], case=case, values=False)
    compare_arrays(f"{name}: X_fit", X_fit, X[n_val:], case=case, values=False)
    rows_fit, rows_val = np.asarray(X_fit)[:, 0], np.asarray(X_val)[:, 0]
    if np.intersect1d(rows_fit, rows_val).size:
        fail(name, "wrong answer: this looks like rows in both parts (an overlap)", case,
             "every row in exactly one part",
             f"{np.intersect1d(rows_fit, rows_val).size} row(s) in both",
             hint="draw ONE random order of the row numbers and cut it in two")
    if not np.array_equal(np.sort(np.r_[rows_fit, rows_val]), np.arange(n)):
        fail(name, "some rows are missing or repeated", case, "all rows, each once",
             hint="draw one random order of the row numbers and cut it in two")
    for part, rows, labels in (("y_fit", rows_fit, y_fit), ("y_val", rows_val, y_val)):
        if not np.array_equal(np.asarray(labels), y[rows.astype(int)]):
            fail(name, f"wrong answer: this looks like labels separated from their images "
                       f"({part})", case,
                 hint="index X and y with the SAME row numbers, so each label stays "
                      "with its image")


def check_split_validation(split_validation):
    """split_validation(X, y, n_val, seed) -> ((X_fit, y_fit), (X_val, y_val)): ``n_val``
    rows held out for validation, the rest for fitting; every row in exactly one part, each
    label still with its image, inputs unchanged."""
    __tracebackhide__ = True
    name = "split_validation(X, y, n_val, seed)"
    X0, y0 = _identifiable(10, 3)
    probe = run_student(split_validation, X0, y0, 2, 0, name=name,
                        case="10 rows, n_val = 2, seed = 0")
    if pending("split_validation", probe, what="write the body of split_validation"):
        return
    rng = fresh_rng()
    cases = [(10, 3, 2), (int(rng.integers(50, 200)), 4, 0), (int(rng.integers(200, 500)), 2, 0)]
    cases = [(n, d, v or int(rng.integers(5, n // 3))) for n, d, v in cases]
    for n, d, n_val in cases:
        _check_split_case(split_validation, name, rng, n, d, n_val)
    passed("split_validation", len(cases))


def _sweep_table(rng):
    """A random sweep result: five keep probabilities, where the lowest training, validation
    and test errors all fall on different settings."""
    p = np.array([0.2, 0.4, 0.6, 0.8, 1.0])
    while True:
        errors = rng.uniform(0.01, 0.2, (5, 3)).round(4)
        best = errors.argmin(axis=0)
        if len(set(best)) == 3 and errors[:, 1].argmax() not in best:
            return pd.DataFrame(errors, index=pd.Index(p, name="p"),
                                columns=["train error", "validation error", "test error"])


def check_choose_keep_prob(choose_keep_prob):
    """choose_keep_prob(table) -> the keep probability (a value of the table's index) with
    the lowest validation error; ``table`` has columns 'train error', 'validation error' and
    'test error' (a colleague measured all three)."""
    __tracebackhide__ = True
    name = "choose_keep_prob(table)"
    rng = fresh_rng()
    first = _sweep_table(rng)
    probe = run_student(choose_keep_prob, first.copy(), name=name, case="a sweep of 5 values")
    if pending("choose_keep_prob", probe, what="write the body of choose_keep_prob"):
        return
    tables = [first, _sweep_table(rng), _sweep_table(rng)]
    for i, table in enumerate(tables, 1):
        case = f"sweep table {i}:\n            " + table.to_string().replace(
            "\n", "\n            ")
        got = run_student(choose_keep_prob, table.copy(), name=name, case=case)
        mistakes = [
            Mistake("choosing on the test set", table["test error"].idxmin(),
                    "the test set must stay unseen until the one final report: a setting "
                    "chosen on it makes its error an optimistic estimate"),
            Mistake("choosing on the training error", table["train error"].idxmin(),
                    "the training error rewards memorising: the smallest is often the most "
                    "overfitted network"),
            Mistake("the largest validation error", table["validation error"].idxmax(),
                    "a lower error is better")]
        compare_scalar(name, got, table["validation error"].idxmin(), case=case, rtol=1e-9,
                       mistakes=mistakes,
                       hint="which of the three sets is there for making choices?")
    passed("choose_keep_prob", len(tables))
