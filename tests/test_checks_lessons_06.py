"""The checks of lesson 06's exercises (helpers.checks.lesson06): the worked answers pass
with one ✔ line, wrong answers raise CheckFailed, the placeholders print 'not answered yet'
and raise nothing."""

import numpy as np
import pytest

from helpers.checks import lesson06
from helpers.checks.core import CheckFailed

ONE_HOT = np.array([[0, 0, 1, 0],   # label 2
                    [1, 0, 0, 0],   # label 0
                    [0, 0, 0, 1]])  # label 3


def accuracy_from_confusion(cm):  # the worked answer of the lesson
    return np.trace(cm) / cm.sum()


def test_worked_answers_pass(capsys):
    lesson06.check_one_hot_rows(ONE_HOT)
    lesson06.check_one_hot_rows(ONE_HOT.tolist())          # a nested list is fine too
    lesson06.check_accuracy_from_confusion(accuracy_from_confusion)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and all(line.startswith("✔") for line in out), out


def test_placeholders_print_and_do_not_raise(capsys):
    lesson06.check_one_hot_rows(...)
    lesson06.check_accuracy_from_confusion(lambda cm: ...)
    assert capsys.readouterr().out.count("not answered yet") == 2


@pytest.mark.parametrize("wrong, match", [
    (ONE_HOT[:, ::-1], "wrong values"),                     # columns counted from the end
    (ONE_HOT.T, "shape"),
    (np.array([2, 0, 3]), "shape"),
])
def test_wrong_one_hot_fails(wrong, match):
    with pytest.raises(CheckFailed, match=match):
        lesson06.check_one_hot_rows(wrong)


@pytest.mark.parametrize("wrong", [
    lambda cm: np.trace(cm),                                 # a count, not a fraction
    lambda cm: np.trace(cm) / cm.shape[0],
    lambda cm: cm[0, 0] / cm.sum(),
    lambda cm: np.mean(np.diag(cm) / cm.sum(axis=1)),        # mean recall
])
def test_wrong_accuracy_fails(wrong):
    with pytest.raises(CheckFailed):
        lesson06.check_accuracy_from_confusion(wrong)
