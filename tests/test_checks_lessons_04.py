"""The checks of lesson 04's exercises (helpers.checks.lesson04): the worked answers pass
with one ✔ line, wrong answers raise CheckFailed, every named common mistake is reported by
its name, the placeholders print 'not answered yet' and raise nothing."""

import numpy as np
import pytest

from helpers.checks import lesson04
from helpers.checks.core import CheckFailed


def softmax_rows(z):  # the worked answers of the lesson
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sigmoid_grad_from_output(y):
    return y * (1 - y)


def tanh_grad_from_output(y):
    return 1 - y ** 2


def relu_backward(dout, x):
    return dout * (x > 0)


DEAD_UNITS = [1, 3, 4]


def placeholder(*args):
    return ...


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_worked_answers_pass(capsys):
    lesson04.check_softmax_rows(softmax_rows)
    lesson04.check_sigmoid_grad_from_output(sigmoid_grad_from_output)
    lesson04.check_tanh_grad_from_output(tanh_grad_from_output)
    lesson04.check_relu_backward(relu_backward, DEAD_UNITS)
    lesson04.check_momentum_velocity(-0.175)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 5 and all(line.startswith("✔") for line in out), out


def test_correct_answers_written_differently_pass(capsys):
    lesson04.check_relu_backward(lambda d, x: np.where(x > 0, d, 0.0), (4, 1, 3))
    lesson04.check_tanh_grad_from_output(lambda y: (1 - y) * (1 + y))
    assert capsys.readouterr().out.count("✔") == 2


@pytest.mark.parametrize("check", [lesson04.check_softmax_rows,
                                   lesson04.check_sigmoid_grad_from_output,
                                   lesson04.check_tanh_grad_from_output])
def test_placeholder_functions_print_and_do_not_raise(check, capsys):
    check(placeholder)
    assert "not answered yet" in capsys.readouterr().out


def test_placeholder_answers_print_and_do_not_raise(capsys):
    lesson04.check_momentum_velocity(...)
    lesson04.check_relu_backward(placeholder, DEAD_UNITS)
    lesson04.check_relu_backward(relu_backward, ...)
    assert capsys.readouterr().out.count("not answered yet") == 3


@pytest.mark.parametrize("check, wrong, label", [
    (lesson04.check_softmax_rows, lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(),
     "sum of the whole matrix"),
    (lesson04.check_softmax_rows, lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(axis=0),
     "columns instead of the rows"),
    (lesson04.check_sigmoid_grad_from_output, lambda y: sigmoid(y) * (1 - sigmoid(y)),
     "applied to the output"),
    (lesson04.check_sigmoid_grad_from_output, lambda y: 1 - y ** 2, "tanh's derivative"),
    (lesson04.check_sigmoid_grad_from_output, lambda y: y + 0.0, r"\(1 - y\) forgotten"),
    (lesson04.check_tanh_grad_from_output, lambda y: 1 - np.tanh(y) ** 2, "applied to the output"),
    (lesson04.check_tanh_grad_from_output, lambda y: y * (1 - y), "sigmoid's derivative"),
    (lesson04.check_tanh_grad_from_output, lambda y: 1 - y, "square forgotten"),
])
def test_named_mistakes_of_the_elementwise_exercises(check, wrong, label):
    with pytest.raises(CheckFailed, match=f"looks like .*{label}"):
        check(wrong)


@pytest.mark.parametrize("wrong, label", [
    (lambda d, x: d + 0.0, "gradient of 1 at x < 0"),
    (lambda d, x: d * (x >= 0), "slope of 1 at x = 0"),
    (lambda d, x: (x > 0).astype(float), "incoming gradient forgotten"),
    (lambda d, x: d * np.maximum(x, 0), "output used instead of its slope"),
])
def test_named_mistakes_of_relu_backward(wrong, label):
    with pytest.raises(CheckFailed, match=f"looks like .*{label}"):
        lesson04.check_relu_backward(wrong, DEAD_UNITS)


@pytest.mark.parametrize("dead, label", [
    ([0, 1, 2, 3, 4], "at least one negative input"),
    ([0, 2], "still alive"),
    ([1, 4], "exactly 0 counted as alive"),
    ([1], "wrong units"),
])
def test_wrong_dead_units_are_named(dead, label):
    with pytest.raises(CheckFailed, match=label):
        lesson04.check_relu_backward(relu_backward, dead)


def test_wrong_softmax_fails():
    with pytest.raises(CheckFailed, match="overflow|finite|raised"):
        lesson04.check_softmax_rows(lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))
    with pytest.raises(CheckFailed, match="wrong values"):
        lesson04.check_softmax_rows(lambda z: z)


def test_softmax_that_changes_its_input_fails():
    def in_place(z):
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z
    with pytest.raises(CheckFailed, match="modified its input"):
        lesson04.check_softmax_rows(in_place)


@pytest.mark.parametrize("wrong, label", [(0.175, "sign of a step along"),
                                          (-0.3, "momentum forgotten"),
                                          (-0.15, "after 2 steps")])
def test_named_mistakes_of_the_velocity(wrong, label):
    with pytest.raises(CheckFailed, match=f"looks like .*{label}"):
        lesson04.check_momentum_velocity(wrong)


@pytest.mark.parametrize("wrong", [-0.2, "-0.175"])
def test_other_wrong_velocities_fail(wrong):
    with pytest.raises(CheckFailed):
        lesson04.check_momentum_velocity(wrong)


def test_momentum_velocities_follow_the_rule():
    v = lesson04.momentum_velocities(2.0, 0.5, 0.5, 3)
    assert v == pytest.approx([-1.0, -1.5, -1.75])
