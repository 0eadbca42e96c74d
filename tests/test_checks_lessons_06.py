"""The checks of lesson 06's exercises (helpers.checks.lesson06): the worked answers pass
with one ✔ line, wrong answers raise CheckFailed, every named common mistake is reported by
its name, the placeholders print 'not answered yet' and raise nothing."""

import numpy as np
import pytest

from helpers.checks import lesson06
from helpers.checks.core import CheckFailed

ONE_HOT = np.array([[0, 0, 1, 0],   # label 2
                    [1, 0, 0, 0],   # label 0
                    [0, 0, 0, 1]])  # label 3


def accuracy_from_confusion(cm):  # the worked answers of the lesson
    return np.trace(cm) / cm.sum()


def split_validation(X, y, n_val, seed):
    order = np.random.default_rng(seed).permutation(len(y))
    val, fit = order[:n_val], order[n_val:]
    return (X[fit], y[fit]), (X[val], y[val])


def choose_keep_prob(table):
    return table["validation error"].idxmin()


def test_worked_answers_pass(capsys):
    lesson06.check_one_hot_rows(ONE_HOT)
    lesson06.check_one_hot_rows(ONE_HOT.tolist())          # a nested list is fine too
    lesson06.check_accuracy_from_confusion(accuracy_from_confusion)
    lesson06.check_split_validation(split_validation)
    lesson06.check_choose_keep_prob(choose_keep_prob)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 5 and all(line.startswith("✔") for line in out), out


def test_correct_answers_written_differently_pass(capsys):
    def last_rows(X, y, n_val, seed):                      # an ordered split is fine too
        return (X[:-n_val], y[:-n_val]), (X[-n_val:], y[-n_val:])

    lesson06.check_split_validation(last_rows)
    lesson06.check_choose_keep_prob(lambda t: float(t.index[np.argmin(t["validation error"])]))
    assert capsys.readouterr().out.count("✔") == 2


def test_placeholders_print_and_do_not_raise(capsys):
    lesson06.check_one_hot_rows(...)
    lesson06.check_accuracy_from_confusion(lambda cm: ...)
    lesson06.check_split_validation(lambda X, y, n_val, seed: ...)
    lesson06.check_choose_keep_prob(lambda table: ...)
    assert capsys.readouterr().out.count("not answered yet") == 4


@pytest.mark.parametrize("wrong, label", [
    (ONE_HOT[:, ::-1], "counted from the right"),
    (np.array([[1, 1, 1, 0], [1, 0, 0, 0], [1, 1, 1, 1]]), "every column up to the label"),
    (np.array([[2, 0, 0, 0], [0, 0, 0, 0], [3, 0, 0, 0]]), "value written in the first column"),
])
def test_named_mistakes_of_one_hot(wrong, label):
    with pytest.raises(CheckFailed, match=f"looks like .*{label}"):
        lesson06.check_one_hot_rows(wrong)


@pytest.mark.parametrize("wrong", [ONE_HOT.T, np.array([2, 0, 3])])
def test_one_hot_of_the_wrong_shape_fails(wrong):
    with pytest.raises(CheckFailed, match="shape"):
        lesson06.check_one_hot_rows(wrong)


@pytest.mark.parametrize("wrong, label", [
    (lambda cm: np.trace(cm), "number of correct predictions"),
    (lambda cm: 1 - np.trace(cm) / cm.sum(), "error rate"),
    (lambda cm: np.mean(np.diag(cm) / cm.sum(axis=1)), "per-class recalls"),
    (lambda cm: np.trace(cm) / cm.shape[0], "divided by the number of classes"),
])
def test_named_mistakes_of_accuracy(wrong, label):
    with pytest.raises(CheckFailed, match=f"looks like .*{label}"):
        lesson06.check_accuracy_from_confusion(wrong)


def test_other_wrong_accuracy_fails():
    with pytest.raises(CheckFailed, match="wrong value"):
        lesson06.check_accuracy_from_confusion(lambda cm: cm[0, 0] / cm.sum())


def test_named_mistakes_of_split_validation():
    def kept_in_fit(X, y, n_val, seed):
        return (X, y), (X[:n_val], y[:n_val])

    def overlap(X, y, n_val, seed):
        return (X[n_val - 1:-1], y[n_val - 1:-1]), (X[:n_val], y[:n_val])

    def labels_apart(X, y, n_val, seed):
        order = np.random.default_rng(seed).permutation(len(y))
        return (X[order[n_val:]], y[n_val:]), (X[order[:n_val]], y[:n_val])

    for wrong, label in [(kept_in_fit, "validation rows still in the fit set"),
                         (overlap, "rows in both parts"),
                         (labels_apart, "labels separated from their images")]:
        with pytest.raises(CheckFailed, match=f"looks like .*{label}"):
            lesson06.check_split_validation(wrong)


def test_split_that_changes_its_input_fails():
    def shuffles_in_place(X, y, n_val, seed):
        order = np.random.default_rng(seed).permutation(len(y))
        X[:], y[:] = X[order], y[order]
        return (X[n_val:], y[n_val:]), (X[:n_val], y[:n_val])

    with pytest.raises(CheckFailed, match="modified its input"):
        lesson06.check_split_validation(shuffles_in_place)


@pytest.mark.parametrize("wrong, label", [
    (lambda t: t["test error"].idxmin(), "choosing on the test set"),
    (lambda t: t["train error"].idxmin(), "choosing on the training error"),
    (lambda t: t["validation error"].idxmax(), "largest validation error"),
])
def test_named_mistakes_of_choose_keep_prob(wrong, label):
    with pytest.raises(CheckFailed, match=f"looks like .*{label}"):
        lesson06.check_choose_keep_prob(wrong)
