"""Lesson 03's exercise checks: the worked answers (and answers written differently) pass,
every named mistake (``core.Mistake``) fed to its check is named in the message, other wrong
answers raise CheckFailed with a hint, the placeholders (``...`` and ``return ...``) print
'not answered yet' and do not raise."""

import re

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


Q = wt.backward()


@pytest.mark.parametrize("wrong, message", [
    (Q["dE/dw5"], "looks like dE/dw5"), (-DELTA_O1 * OUT_H2, "looks like the wrong sign"),
    (Q["dE/dout_o1"] * OUT_H2, "looks like sigma' forgotten"),
    (DELTA_O1 * Q["dout_o1/dnet_o1"] * OUT_H2, "looks like sigma' applied twice"),
    (DELTA_O1 * Q["net_h2"], "looks like the net input of h2"),
    (DELTA_O1 * OUT_H2 * 1.1, "wrong value")])
def test_dE_dw6_wrong_answers_fail(wrong, message):  # noqa: N802
    with pytest.raises(CheckFailed, match=message):
        checks.check_dE_dw6(wrong)


def test_w6_update_worked_answer_passes_and_uphill_fails(capsys):
    checks.check_w6_update(0.45 - 0.5 * DELTA_O1 * OUT_H2)
    assert "✔ w6 after one step" in capsys.readouterr().out
    with pytest.raises(CheckFailed, match="looks like a step uphill"):
        checks.check_w6_update(0.45 + 0.5 * DELTA_O1 * OUT_H2)
    with pytest.raises(CheckFailed, match="looks like the learning rate left out"):
        checks.check_w6_update(0.45 - DELTA_O1 * OUT_H2)
    with pytest.raises(CheckFailed, match="looks like the change of w6"):
        checks.check_w6_update(-0.5 * DELTA_O1 * OUT_H2)
    with pytest.raises(CheckFailed, match="wrong value"):
        checks.check_w6_update(0.45)


def output_delta(out, target):
    return (out - target) * out * (1 - out)


def test_output_delta_worked_answer_passes(capsys):
    checks.check_output_delta(output_delta)
    assert "✔ output_delta: all 4 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda out, target: (target - out) * out * (1 - out), "looks like the wrong sign"),
    (lambda out, target: out - target, "looks like sigma' forgotten"),
    (lambda out, target: output_delta(out, target) * out * (1 - out),
     "looks like sigma' applied twice"),
    (lambda out, target: (out - target) * out, "wrong values"),
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


def test_hidden_deltas_worked_answer_passes(capsys):
    slope = [0.593269992 * (1 - 0.593269992), 0.596884378 * (1 - 0.596884378)]
    d_o1, d_o2 = 0.138498562, -0.038098237
    checks.check_hidden_deltas((d_o1 * 0.40 + d_o2 * 0.50) * slope[0],
                               (d_o1 * 0.45 + d_o2 * 0.55) * slope[1])
    checks.check_hidden_deltas(np.float64(0.0087714), 0.0099543)     # rounded by hand
    assert capsys.readouterr().out.count("✔ hidden deltas") == 2


@pytest.mark.parametrize("mistake", checks.hidden_delta_mistakes(), ids=repr)
def test_hidden_deltas_name_every_mistake(mistake):
    with pytest.raises(CheckFailed, match=f"looks like {re.escape(mistake.label)}") as e:
        checks.check_hidden_deltas(*mistake.expected)
    assert mistake.hint in str(e.value)


def test_hidden_deltas_other_answers_fail():
    with pytest.raises(CheckFailed, match="wrong values"):
        checks.check_hidden_deltas(0.01, 0.01)
    with pytest.raises(CheckFailed, match="numbers"):
        checks.check_hidden_deltas("small", 0.01)


def test_hidden_weights_worked_answer_passes(capsys):
    delta_h = [0.008771355, 0.009954255]
    i1, i2 = wt.INPUTS
    checks.check_hidden_weights(0.15 - 0.5 * delta_h[0] * i1, 0.20 - 0.5 * delta_h[0] * i2,
                                0.25 - 0.5 * delta_h[1] * i1, 0.30 - 0.5 * delta_h[1] * i2)
    checks.check_hidden_weights(0.149780716, 0.199561432, 0.249751144, 0.299502287)  # slides
    assert capsys.readouterr().out.count("✔ w1..w4 after one step") == 2


@pytest.mark.parametrize("mistake", checks.hidden_weight_mistakes(), ids=repr)
def test_hidden_weights_name_every_mistake(mistake):
    with pytest.raises(CheckFailed, match=f"looks like {re.escape(mistake.label)}") as e:
        checks.check_hidden_weights(*mistake.expected)
    assert mistake.hint in str(e.value)


def test_hidden_weights_other_answers_fail():
    with pytest.raises(CheckFailed, match="wrong values"):
        checks.check_hidden_weights(0.15, 0.2, 0.25, 0.3)


def hidden_delta(delta_out, W_out, h):
    return (delta_out @ W_out.T) * h * (1 - h)


def hidden_delta_loop(delta_out, W_out, h):
    # a student's version: loops over samples and units, np.dot per entry
    out = np.zeros_like(h)
    for n in range(h.shape[0]):
        for j in range(h.shape[1]):
            out[n, j] = np.dot(delta_out[n], W_out[j]) * h[n, j] * (1 - h[n, j])
    return out


def hidden_delta_einsum(delta_out, W_out, h):
    return np.einsum("nk,jk->nj", delta_out, W_out) * np.where(h > 0, h - h ** 2, 0.0)


@pytest.mark.parametrize("fn", [hidden_delta, hidden_delta_loop, hidden_delta_einsum])
def test_hidden_delta_correct_versions_pass(fn, capsys):
    checks.check_hidden_delta(fn)
    assert "✔ hidden_delta: all 5 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda d, W, h: d @ W.T, "looks like the hidden units' sigma' forgotten"),
    (lambda d, W, h: hidden_delta(d, W, h) * h * (1 - h), "looks like sigma' applied twice"),
    (lambda d, W, h: (d @ W.T) * (1 / (1 + np.exp(-h))) * (1 - 1 / (1 + np.exp(-h))),
     "looks like the slope computed as if h were the net input"),
    (lambda d, W, h: -hidden_delta(d, W, h), "looks like the wrong sign"),
    (lambda d, W, h: (d @ W) * h * (1 - h), "looks like W_out not transposed"),
    (lambda d, W, h: hidden_delta(d, W, h).sum(axis=0), "wrong shape"),
])
def test_hidden_delta_wrong_functions_are_named(wrong, message):
    with pytest.raises(CheckFailed, match=message):
        checks.check_hidden_delta(wrong)


def test_hidden_delta_that_modifies_its_input_fails():
    def in_place(delta_out, W_out, h):
        h *= 1 - h
        return (delta_out @ W_out.T) * h

    with pytest.raises(CheckFailed, match="modified its input h"):
        checks.check_hidden_delta(in_place)


def test_placeholders_print_and_do_not_raise(capsys):
    checks.check_dE_dw6(...)
    checks.check_w6_update(...)
    checks.check_output_delta(lambda out, target: ...)
    checks.check_hidden_deltas(..., 0.1)
    checks.check_hidden_weights(0.1, ..., ..., ...)
    checks.check_hidden_delta(lambda delta_out, W_out, h: ...)
    out = capsys.readouterr().out
    assert out.count("not answered yet") == 6 and "✔" not in out


def remote_proxy(fn):
    """``fn`` behind the grader's remote backend (serve.answer on a namespace in this process:
    the protocol only; the sandbox is tested in test_grading.py)."""
    from helpers.checks import remote, serve, wire

    channel = remote.Channel(lambda text, timeout: wire.dumps(serve.answer(text, {"f": fn})))
    return channel.lookup("f")


@pytest.mark.parametrize("check, right, wrong, label", [
    (checks.check_output_delta, output_delta, lambda out, target: out - target,
     "sigma' forgotten"),
    (checks.check_hidden_delta, hidden_delta, lambda d, W, h: d @ W.T,
     "the hidden units' sigma' forgotten"),
])
def test_function_checks_work_through_the_remote_backend(check, right, wrong, label, capsys):
    check(remote_proxy(right))
    assert capsys.readouterr().out.startswith("✔")
    with pytest.raises(CheckFailed, match=f"looks like {re.escape(label)}"):
        check(remote_proxy(wrong))
