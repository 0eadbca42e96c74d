"""Lesson 01's exercise checks: the worked answers pass with one ✔ line, wrong answers raise
CheckFailed with a hint, the placeholder ``...`` prints 'not answered yet' and does not raise.
Every named mistake (``core.Mistake``) is fed to its check, which must say which one it looks
like. The last test checks that every glossary link of the notebooks has an entry."""

import re
from pathlib import Path

import numpy as np
import pytest

from helpers.activations import sigmoid
from helpers.checks import lesson01 as checks
from helpers.checks.core import CheckFailed


def test_nand_worked_answer_and_other_solutions_pass(capsys):
    checks.check_nand([-1, -1], -1.5)
    checks.check_nand(np.array([-2.0, -2.0]), -3)
    assert capsys.readouterr().out.count("✔") == 2


@pytest.mark.parametrize("w, theta, named", [((1, 1), 2, "AND"), ((-1, -1), -0.5, "NOR"),
                                             ((1, 1), 1, "OR")])
def test_nand_wrong_units_name_what_they_compute(w, theta, named):
    with pytest.raises(CheckFailed, match=f"computes {named}, not NAND") as err:
        checks.check_nand(w, theta)
    assert "hint" in str(err.value)


@pytest.mark.parametrize("w, theta, label", [((1, 1), 2, "flip the sign"),
                                             ((1, 1), 1, "inhibitory"),
                                             ((-1, -1), 0, "threshold is too high")])
def test_nand_named_mistakes_get_their_own_hint(w, theta, label):
    with pytest.raises(CheckFailed, match=label):
        checks.check_nand(w, theta)


def test_majority_worked_answer_and_other_solutions_pass(capsys):
    checks.check_majority([1, 1, 1], 2)
    checks.check_majority(np.array([0.5, 0.5, 0.5]), 0.75)
    checks.check_majority((2, 2, 2), 3.5)
    assert capsys.readouterr().out.count("✔ majority unit: all 8 cases passed") == 3


@pytest.mark.parametrize("w, theta, label", [((1, 1, 1), 1, "an OR of three"),
                                             ((1, 1, 1), 0.5, "an OR of three"),
                                             ((1, 1, 1), 3, "an AND of three")])
def test_majority_named_mistakes(w, theta, label):
    with pytest.raises(CheckFailed, match=f"this looks like {label}"):
        checks.check_majority(w, theta)


def test_majority_other_wrong_units_fail_with_the_wrong_rows():
    with pytest.raises(CheckFailed, match=r"wrong unit\n.*wrong on \(0, 1, 1\)") as err:
        checks.check_majority([1, 1, -1], 2)
    assert "same weight" in str(err.value)
    with pytest.raises(CheckFailed, match="shape"):
        checks.check_majority([1, 1], 2)


def test_nand_bad_shapes_and_types_fail_readably():
    with pytest.raises(CheckFailed, match="shape"):
        checks.check_nand([1, 1, 1], 0)
    with pytest.raises(CheckFailed, match="numbers"):
        checks.check_nand(["a", "b"], 0)


def test_placeholders_print_and_do_not_raise(capsys):
    checks.check_nand(..., ...)
    checks.check_nand([-1, -1], ...)
    checks.check_neuron_by_hand(..., ..., ...)
    checks.check_majority([1, ..., 1], 2)
    out = capsys.readouterr().out
    assert out.count("not answered yet") == 4 and "✔" not in out


def test_neuron_by_hand_worked_answer_passes(capsys):
    z = float(np.dot(checks.NEURON_W, checks.NEURON_X) + checks.NEURON_B)
    checks.check_neuron_by_hand(z, int(z >= 0), round(float(sigmoid(z)), 3))
    assert "✔ neuron by hand" in capsys.readouterr().out
    assert checks.neuron_by_hand()["z"] == z


@pytest.mark.parametrize("field", ["z", "step", "sigmoid"])
def test_neuron_by_hand_wrong_values_fail(field):
    right = checks.neuron_by_hand()
    answer = dict(right)
    answer[field] = {"z": right["z"] + 1, "step": 2, "sigmoid": 0.9}[field]   # no named mistake
    with pytest.raises(CheckFailed, match="wrong value"):
        checks.check_neuron_by_hand(answer["z"], answer["step"], answer["sigmoid"])


@pytest.mark.parametrize("answer, label", [
    ((-0.5, 0, 0.378), "the bias forgotten"),
    ((2.75, 1, 0.94), "minus sign of the input"),
    ((3.25, 1, 0.963), "added instead of multiplied"),
    ((-0.25, -1, 0.438), "the sign function"),
    ((-0.25, 1, 0.438), "firing on a negative net input"),
    ((-0.25, 0, 0.562), "sign in the exponent flipped"),
    ((-0.25, 0, 2.284), "read as \\(1/1\\) \\+ e\\^-z"),
    ((-0.25, 0, -0.25), "the net input used as the output"),
])
def test_neuron_by_hand_named_mistakes(answer, label):
    with pytest.raises(CheckFailed, match=f"this looks like .*{label}"):
        checks.check_neuron_by_hand(*answer)


def test_answers_of_the_wrong_type_fail_readably():
    with pytest.raises(CheckFailed, match="wrong type"):
        checks.check_neuron_by_hand("-0.25", 0, 0.438)
    with pytest.raises(CheckFailed, match="theta_nand"):
        checks.check_nand([-1, -1], "low")


def test_every_glossary_link_has_an_entry():
    """Each `glossary.md#anchor` link in the notebooks names a `## heading` of the glossary
    (headings are lower case, so JupyterLab's and GitHub's anchors agree)."""
    root = Path(__file__).parents[1]
    text = (root / "notebooks" / "glossary.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == sorted(headings) and all(h == h.lower() for h in headings)
    anchors = {h.replace(" ", "-") for h in headings}
    links = set(re.findall(r"\(#([a-z0-9-]+)\)", text))
    for path in [*(root / "notebooks").glob("*.ipynb"), *(root / "solutions").glob("*.ipynb")]:
        links |= set(re.findall(r"glossary\.md#([A-Za-z0-9_-]+)", path.read_text("utf-8")))
    assert links and links <= anchors, sorted(links - anchors)
