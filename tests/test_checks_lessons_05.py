"""The checks of lesson 05's exercises (helpers.checks.lesson05): the worked answers pass
with one ✔ line, wrong answers raise CheckFailed, the placeholders print 'not answered yet'
and raise nothing."""

import pytest

from helpers.checks import lesson05
from helpers.checks.core import CheckFailed


def l2_gradient(dW, W, lam):  # the worked answer of the lesson
    return dW + lam * W


def test_worked_answers_pass(capsys):
    lesson05.check_l2_gradient(l2_gradient)
    lesson05.check_inverted_dropout_values(5.0, 3.0)
    lesson05.check_adam_first_step(-0.01)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and all(line.startswith("✔") for line in out), out


def test_placeholders_print_and_do_not_raise(capsys):
    lesson05.check_l2_gradient(lambda dW, W, lam: ...)
    lesson05.check_inverted_dropout_values(..., 3.0)
    lesson05.check_adam_first_step(...)
    out = capsys.readouterr().out
    assert out.count("not answered yet") == 3, out


@pytest.mark.parametrize("wrong, match", [
    (lambda dW, W, lam: dW + lam / 2 * W, "wrong values"),       # forgot the derivative's 2
    (lambda dW, W, lam: dW - lam * W, "wrong values"),
    (lambda dW, W, lam: lam * W, "wrong values"),
    (lambda dW, W, lam: (dW + lam * W).sum(), "shape"),
])
def test_wrong_l2_gradient_fails(wrong, match):
    with pytest.raises(CheckFailed, match=match):
        lesson05.check_l2_gradient(wrong)


def test_l2_gradient_in_place_fails():
    def in_place(dW, W, lam):
        dW += lam * W
        return dW
    with pytest.raises(CheckFailed, match="modified its input dW"):
        lesson05.check_l2_gradient(in_place)


@pytest.mark.parametrize("kept, expected", [(3.0, 3.0), (1.8, 1.8), (5.0, 5.0), (5.0, 1.8)])
def test_wrong_dropout_values_fail(kept, expected):
    with pytest.raises(CheckFailed):
        lesson05.check_inverted_dropout_values(kept, expected)


@pytest.mark.parametrize("wrong", [0.01, -0.004, -0.00004])
def test_wrong_adam_step_fails(wrong):
    with pytest.raises(CheckFailed):
        lesson05.check_adam_first_step(wrong)


def test_adam_first_step_is_about_minus_lr():
    assert lesson05.adam_first_step(1.0, 0.004, 0.01) == pytest.approx(-0.01, rel=1e-5)
    assert lesson05.adam_first_step(0.0, -50.0, 0.001) == pytest.approx(0.001, rel=1e-5)
