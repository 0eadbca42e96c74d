"""Lesson 02's exercise checks: the worked answers pass, wrong answers raise CheckFailed, the
placeholder ``...`` prints 'not answered yet' and does not raise."""

import numpy as np
import pytest

from helpers.checks import lesson02 as checks
from helpers.checks.core import CheckFailed


def worked_update():
    w, x = np.array(checks.UPDATE_W), np.array(checks.UPDATE_X)
    y = 1 if w @ x + checks.UPDATE_B >= 0 else 0
    err = checks.UPDATE_D - y
    return w + checks.UPDATE_LR * err * x, checks.UPDATE_B + checks.UPDATE_LR * err


def test_update_worked_answer_passes(capsys):
    w_new, b_new = worked_update()
    assert not np.allclose(w_new, checks.UPDATE_W)        # the example is a mistake
    checks.check_update(list(w_new), b_new)
    assert "✔ perceptron update" in capsys.readouterr().out


def test_update_wrong_answers_fail_with_hints():
    w_new, b_new = worked_update()
    with pytest.raises(CheckFailed, match="equals the old weights"):
        checks.check_update(list(checks.UPDATE_W), checks.UPDATE_B)
    with pytest.raises(CheckFailed, match="wrong values"):
        checks.check_update(w_new + 0.3, b_new)                            # no named mistake
    with pytest.raises(CheckFailed, match="b_new"):
        checks.check_update(w_new, b_new + 1)


def test_xor_worked_answer_and_swapped_units_pass(capsys):
    checks.check_xor_hidden([[1, -1], [1, -1]], [-0.5, 1.5])
    checks.check_xor_hidden([[-1, 1], [-1, 1]], [1.5, -0.5])
    assert capsys.readouterr().out.count("✔ XOR hidden layer") == 2


def test_xor_wrong_hidden_layer_fails():
    with pytest.raises(CheckFailed, match="does not compute XOR") as err:
        checks.check_xor_hidden([[1, 1], [1, 1]], [-0.5, -0.5])   # two OR units
    assert "h = " in str(err.value)
    with pytest.raises(CheckFailed, match="shape"):
        checks.check_xor_hidden([1, 1], [0, 0])


def test_placeholders_print_and_do_not_raise(capsys):
    checks.check_update(..., ...)
    checks.check_xor_hidden([[..., ...], [..., ...]], [..., ...])
    out = capsys.readouterr().out
    assert out.count("not answered yet") == 2 and "✔" not in out


@pytest.mark.parametrize("answer, label", [
    (((-0.3, -0.9), 0.6), "the wrong sign \\(the input subtracted\\)"),
    (((1.2, 0.6), 0.6), "the learning rate left out"),
    (((0.7, 0.1), 0.1), "the bias left unchanged"),
    (((0.7, 0.1), -0.4), "the wrong sign for the bias"),
])
def test_update_named_mistakes(answer, label):
    with pytest.raises(CheckFailed, match=f"this looks like {label}"):
        checks.check_update(*answer)


@pytest.mark.parametrize("W1, b1, label", [
    ([[1, 1], [1, 1]], [-0.5, -0.5], "OR: both hidden units fire on \\(1,1\\)"),
    ([[1, 1], [1, 1]], [-1.5, -1.5], "AND"),
    ([[1, -1], [1, -1]], [0.5, -1.5], "a network that never fires"),   # thresholds as biases
])
def test_xor_named_mistakes(W1, b1, label):
    with pytest.raises(CheckFailed, match=f"it computes {label}") as err:
        checks.check_xor_hidden(W1, b1)
    assert "column j of W_hidden" in str(err.value)


def test_net_input_change_worked_answer_and_the_long_way_pass(capsys):
    w, x = np.array(checks.CHANGE_W), np.array(checks.CHANGE_X)
    y = 1 if w @ x + checks.CHANGE_B >= 0 else 0
    err = checks.CHANGE_D - y
    checks.check_net_input_change(checks.CHANGE_LR * err * (x @ x + 1))       # the formula
    w_new, b_new = w + checks.CHANGE_LR * err * x, checks.CHANGE_B + checks.CHANGE_LR * err
    checks.check_net_input_change((w_new @ x + b_new) - (w @ x + checks.CHANGE_B))
    assert capsys.readouterr().out.count("✔ change of the net input") == 2
    assert np.isclose(checks.net_input_change(), -0.6)


@pytest.mark.parametrize("answer, label", [(-0.5, "the bias's change left out"),
                                           (0.6, "the wrong sign"),
                                           (-6.0, "the learning rate left out"),
                                           (-0.2, "the inputs added instead of squared")])
def test_net_input_change_named_mistakes(answer, label):
    with pytest.raises(CheckFailed, match=f"this looks like {label}"):
        checks.check_net_input_change(answer)


def test_net_input_change_other_answers_fail():
    with pytest.raises(CheckFailed, match="wrong value"):
        checks.check_net_input_change(0.5)
    with pytest.raises(CheckFailed, match="wrong type"):
        checks.check_net_input_change("-0.6")
    checks.check_net_input_change(...)      # the placeholder prints, does not raise
