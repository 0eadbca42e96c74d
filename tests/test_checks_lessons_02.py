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
        checks.check_update(2 * np.array(checks.UPDATE_W) - w_new, b_new)   # subtracted
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
