"""The checks of lesson 05's exercises (helpers.checks.lesson05): the worked answers pass
with one ✔ line, wrong answers raise CheckFailed, every named common mistake is reported by
its name, the placeholders print 'not answered yet' and raise nothing."""

import numpy as np
import pytest

from helpers.checks import lesson05
from helpers.checks.core import CheckFailed


def l2_gradient(dW, W, lam):  # the worked answers of the lesson
    return dW + lam * W


def decay_factor(lr, lam):
    return 1 - lr * lam


def test_worked_answers_pass(capsys):
    lesson05.check_l2_gradient(l2_gradient)
    lesson05.check_decay_factor(decay_factor)
    lesson05.check_inverted_dropout_values(5.0, 3.0, 3.0)
    lesson05.check_adam_first_step(-0.01)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4 and all(line.startswith("✔") for line in out), out


def test_placeholders_print_and_do_not_raise(capsys):
    lesson05.check_l2_gradient(lambda dW, W, lam: ...)
    lesson05.check_decay_factor(lambda lr, lam: ...)
    lesson05.check_inverted_dropout_values(5.0, ..., 3.0)
    lesson05.check_adam_first_step(...)
    out = capsys.readouterr().out
    assert out.count("not answered yet") == 4, out


@pytest.mark.parametrize("wrong, label", [
    (lambda dW, W, lam: dW - lam * W, "wrong sign"),
    (lambda dW, W, lam: dW + lam, "adding lambda itself"),
    (lambda dW, W, lam: dW + lam / 2 * W, "not cancelled"),
    (lambda dW, W, lam: dW + 2 * lam * W, "1/2 of the penalty forgotten"),
    (lambda dW, W, lam: lam * W, "data loss's gradient forgotten"),
])
def test_named_mistakes_of_l2_gradient(wrong, label):
    with pytest.raises(CheckFailed, match=f"looks like .*{label}"):
        lesson05.check_l2_gradient(wrong)


def test_other_wrong_l2_gradients_fail():
    with pytest.raises(CheckFailed, match="shape"):
        lesson05.check_l2_gradient(lambda dW, W, lam: (dW + lam * W).sum())

    def in_place(dW, W, lam):
        dW += lam * W
        return dW
    with pytest.raises(CheckFailed, match="modified its input dW"):
        lesson05.check_l2_gradient(in_place)


@pytest.mark.parametrize("wrong, label", [
    (lambda lr, lam: 1 - lam, "subtracting lambda"),
    (lambda lr, lam: lr * lam, "amount taken off"),
    (lambda lr, lam: 1 + lr * lam, "grows the weights"),
    (lambda lr, lam: 1 - lr * lam / 2, "1/2 of the penalty kept"),
])
def test_named_mistakes_of_decay_factor(wrong, label):
    with pytest.raises(CheckFailed, match=f"looks like .*{label}"):
        lesson05.check_decay_factor(wrong)


def test_decay_factor_must_be_a_number():
    with pytest.raises(CheckFailed, match="type"):
        lesson05.check_decay_factor(lambda lr, lam: np.array([1 - lr * lam, 0.0]))


@pytest.mark.parametrize("values, label", [
    ((3.0, 3.0, 3.0), "1/keep_prob missing"),
    ((1.8, 3.0, 3.0), "multiplying by the keep probability"),
    ((5.0, 5.0, 3.0), "dropped outcome left out"),
    ((5.0, 1.8, 3.0), "scale-at-test form's expectation"),
    ((5.0, 3.0, 1.8), "scaling at test time as well"),
    ((5.0, 3.0, 5.0), "dropout applied at test time"),
    ((5.0, 3.0, 0.0), "dropped unit at test time"),
])
def test_named_mistakes_of_inverted_dropout(values, label):
    with pytest.raises(CheckFailed, match=f"looks like .*{label}"):
        lesson05.check_inverted_dropout_values(*values)


@pytest.mark.parametrize("wrong, label", [(0.01, "sign"), (-0.00004, "plain SGD"),
                                          (-0.0316, "bias correction forgotten")])
def test_named_mistakes_of_adam(wrong, label):
    with pytest.raises(CheckFailed, match=f"looks like .*{label}"):
        lesson05.check_adam_first_step(wrong)


def test_adam_first_step_is_about_minus_lr():
    assert lesson05.adam_first_step(1.0, 0.004, 0.01) == pytest.approx(-0.01, rel=1e-5)
    assert lesson05.adam_first_step(0.0, -50.0, 0.001) == pytest.approx(0.001, rel=1e-5)
