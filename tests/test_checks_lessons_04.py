"""The checks of lesson 04's exercises (helpers.checks.lesson04): the worked answers pass
with one ✔ line, wrong answers raise CheckFailed, the placeholders print 'not answered yet'
and raise nothing."""

import numpy as np
import pytest

from helpers.checks import lesson04
from helpers.checks.core import CheckFailed


def softmax_rows(z):  # the worked answer of the lesson
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sigmoid_grad_from_output(y):
    return y * (1 - y)


def placeholder(*args):
    return ...


def test_worked_answers_pass(capsys):
    lesson04.check_softmax_rows(softmax_rows)
    lesson04.check_sigmoid_grad_from_output(sigmoid_grad_from_output)
    lesson04.check_momentum_velocity(-0.175)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and all(line.startswith("✔") for line in out), out


@pytest.mark.parametrize("check", [lesson04.check_softmax_rows,
                                   lesson04.check_sigmoid_grad_from_output])
def test_placeholder_functions_print_and_do_not_raise(check, capsys):
    check(placeholder)
    assert "not answered yet" in capsys.readouterr().out


def test_placeholder_number_prints_and_does_not_raise(capsys):
    lesson04.check_momentum_velocity(...)
    assert "not answered yet" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, match", [
    (lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True), "overflow|finite|raised"),
    (lambda z: np.exp(z) / np.exp(z).sum(), "wrong values"),                # whole-array sum
    (lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(axis=0), "wrong values"),
    (lambda z: z, "wrong values"),
])
def test_wrong_softmax_fails(wrong, match):
    with pytest.raises(CheckFailed, match=match):
        lesson04.check_softmax_rows(wrong)


def test_softmax_that_changes_its_input_fails():
    def in_place(z):
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z
    with pytest.raises(CheckFailed, match="modified its input"):
        lesson04.check_softmax_rows(in_place)


@pytest.mark.parametrize("wrong", [
    lambda y: (1 / (1 + np.exp(-y))) * (1 - 1 / (1 + np.exp(-y))),      # sigmoid applied again
    lambda y: 1 - y ** 2,                                                 # tanh's formula
])
def test_wrong_sigmoid_grad_fails(wrong):
    with pytest.raises(CheckFailed, match="wrong values"):
        lesson04.check_sigmoid_grad_from_output(wrong)


@pytest.mark.parametrize("wrong", [0.175, -0.3, -0.15, "-0.175"])
def test_wrong_velocity_fails(wrong):
    with pytest.raises(CheckFailed):
        lesson04.check_momentum_velocity(wrong)


def test_momentum_velocities_follow_the_rule():
    v = lesson04.momentum_velocities(2.0, 0.5, 0.5, 3)
    assert v == pytest.approx([-1.0, -1.5, -1.75])
