"""Lesson 01's exercise checks: the worked answers pass with one ✔ line, wrong answers raise
CheckFailed with a hint, the placeholder ``...`` prints 'not answered yet' and does not raise.
The last test checks the exercise pattern of the stored lessons 01-03 (each worked answer, run,
passes its own check)."""

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


def test_nand_bad_shapes_and_types_fail_readably():
    with pytest.raises(CheckFailed, match="shape"):
        checks.check_nand([1, 1, 1], 0)
    with pytest.raises(CheckFailed, match="numbers"):
        checks.check_nand(["a", "b"], 0)


def test_placeholders_print_and_do_not_raise(capsys):
    checks.check_nand(..., ...)
    checks.check_nand([-1, -1], ...)
    checks.check_neuron_by_hand(..., ..., ...)
    out = capsys.readouterr().out
    assert out.count("not answered yet") == 3 and "✔" not in out


def test_neuron_by_hand_worked_answer_passes(capsys):
    z = float(np.dot(checks.NEURON_W, checks.NEURON_X) + checks.NEURON_B)
    checks.check_neuron_by_hand(z, int(z >= 0), round(float(sigmoid(z)), 3))
    assert "✔ neuron by hand" in capsys.readouterr().out
    assert checks.neuron_by_hand()["z"] == z


@pytest.mark.parametrize("field", ["z", "step", "sigmoid"])
def test_neuron_by_hand_wrong_values_fail(field):
    right = checks.neuron_by_hand()
    answer = dict(right)
    answer[field] = {"z": right["z"] + 1, "step": 1 - right["step"],
                     "sigmoid": 1 - right["sigmoid"]}[field]
    with pytest.raises(CheckFailed, match="wrong value"):
        checks.check_neuron_by_hand(answer["z"], answer["step"], answer["sigmoid"])


def test_answers_of_the_wrong_type_fail_readably():
    with pytest.raises(CheckFailed, match="wrong type"):
        checks.check_neuron_by_hand("-0.25", 0, 0.438)
    with pytest.raises(CheckFailed, match="theta_nand"):
        checks.check_nand([-1, -1], "low")


def test_every_glossary_link_has_an_entry():
    """Each `glossary.md#anchor` link in the notebooks names a `### heading` of the glossary
    (headings are lower case, so JupyterLab's and GitHub's anchors agree)."""
    root = Path(__file__).parents[1]
    text = (root / "notebooks" / "glossary.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### (.+)$", text, re.M)
    assert headings == sorted(headings) and all(h == h.lower() for h in headings)
    anchors = {h.replace(" ", "-") for h in headings}
    links = set(re.findall(r"\(#([a-z0-9-]+)\)", text))
    for path in [*(root / "notebooks").glob("*.ipynb"), *(root / "solutions").glob("*.ipynb")]:
        links |= set(re.findall(r"glossary\.md#([A-Za-z0-9_-]+)", path.read_text("utf-8")))
    assert links and links <= anchors, sorted(links - anchors)
