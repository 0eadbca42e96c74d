"""The lesson pattern of issue 12 / DESIGN.md section 12, checked on every lesson 01-06:
objectives, prerequisites and time on top, exercises stored unanswered with a check and a
worked answer that passes it, one notes box, one quiz cell."""

import importlib
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from helpers.lessons.quiz_bank import quizzes

LESSONS = {"01_neurons.ipynb": "lesson01", "02_perceptron.ipynb": "lesson02",
           "03_backprop_walkthrough.ipynb": "lesson03", "04_activations.ipynb": "lesson04",
           "05_regularization.ipynb": "lesson05", "06_dropout_mnist.ipynb": "lesson06"}


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_lesson_follows_the_exercise_pattern(name, capsys):
    """Objectives, prerequisites and time on top; >= 2 exercises, each stored unanswered, with
    a check cell and a collapsed worked answer whose code passes that check; one notes box;
    one quiz cell."""
    nb = nbformat.read(Path(__file__).parents[1] / "notebooks" / name, as_version=4)
    cells = nb.cells
    top = cells[0].source
    assert "- [ ]" in top and "**Prerequisites:**" in top and "**Time:**" in top
    assert "glossary.md" in top
    module = importlib.import_module(f"helpers.checks.{LESSONS[name]}")
    exercises = [i for i, c in enumerate(cells) if "exercise" in c.metadata.get("tags", [])]
    assert len(exercises) >= 2
    for i in exercises:
        check, answer = cells[i + 1], cells[i + 2]
        assert check.cell_type == "code" and check.source.startswith("checks.check_")
        assert "not answered yet" in "".join(o.get("text", "") for o in check.outputs)
        assert answer.source.startswith("<details><summary>Show the worked answer</summary>")
        code = re.search(r"```python\n(.*?)```", answer.source, re.S).group(1)
        namespace = {"checks": module, "np": np}
        exec(code, namespace)                          # the worked answer ...
        capsys.readouterr()
        exec(check.source, namespace)                  # ... passes its check
        assert capsys.readouterr().out.startswith("✔"), (name, i)
    markdown = [c.source for c in cells if c.cell_type == "markdown"]
    assert sum("**Notes on the slides.**" in s for s in markdown) == 1
    quiz = [c for c in cells if "quiz" in c.metadata.get("tags", [])]
    assert len(quiz) == 1 and quiz[0].source.startswith("quiz_set(")
    topic = re.match(r'quiz_set\("(\w+)"\)', quiz[0].source).group(1)
    assert len(quizzes(topic)) >= 3, topic
    assert not any("NBVAL_IGNORE_OUTPUT" in c.source for c in cells)
