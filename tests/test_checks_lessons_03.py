"""Lesson 03's exercise checks: the worked answers pass, wrong answers raise CheckFailed with
a hint, the placeholders (``...`` and ``return ...``) print 'not answered yet' and do not raise."""

import numpy as np
import pytest

from helpers.checks import lesson03 as checks
from helpers.checks.core import CheckFailed
from helpers.lessons import walkthrough as wt

DELTA_O1 = (0.75136507 - 0.01) * 0.75136507 * (1 - 0.75136507)   # rounded outputs, by hand
OUT_H2 = 0.596884378


def test_dE_dw6_worked_answer_passes(capsys):  # noqa: N802
    checks.check_dE_dw6(DELTA_O1 * OUT_H2)
    assert "✔ dE/dw6" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [(wt.backward()["dE/dw5"], "that is dE/dw5"),
                                            (-DELTA_O1 * OUT_H2, "sign"),
                                            (DELTA_O1 * OUT_H2 * 1.1, "wrong value")])
def test_dE_dw6_wrong_answers_fail(wrong, message):  # noqa: N802
    with pytest.raises(CheckFailed, match=message):
        checks.check_dE_dw6(wrong)


def test_w6_update_worked_answer_passes_and_uphill_fails(capsys):
    checks.check_w6_update(0.45 - 0.5 * DELTA_O1 * OUT_H2)
    assert "✔ w6 after one step" in capsys.readouterr().out
    with pytest.raises(CheckFailed, match="uphill"):
        checks.check_w6_update(0.45 + 0.5 * DELTA_O1 * OUT_H2)
    with pytest.raises(CheckFailed, match="wrong value"):
        checks.check_w6_update(0.45)


def output_delta(out, target):
    return (out - target) * out * (1 - out)


def test_output_delta_worked_answer_passes(capsys):
    checks.check_output_delta(output_delta)
    assert "✔ output_delta: all 4 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda out, target: (target - out) * out * (1 - out), "wrong sign"),
    (lambda out, target: out - target, "wrong values"),
    (lambda out, target: np.sum((out - target) * out * (1 - out)), "wrong shape"),
    (lambda out, target: output_delta(out, target)[0], "wrong shape"),
])
def test_output_delta_wrong_functions_fail(wrong, message):
    with pytest.raises(CheckFailed, match=message):
        checks.check_output_delta(wrong)


@pytest.mark.parametrize("check", [checks.check_dE_dw6, checks.check_w6_update])
@pytest.mark.parametrize("odd", ["0.08", None, [0.08]])
def test_numeric_answers_of_the_wrong_type_fail_readably(check, odd):
    with pytest.raises(CheckFailed):
        check(odd)


def test_placeholders_print_and_do_not_raise(capsys):
    checks.check_dE_dw6(...)
    checks.check_w6_update(...)
    checks.check_output_delta(lambda out, target: ...)
    out = capsys.readouterr().out
    assert out.count("not answered yet") == 3 and "✔" not in out
