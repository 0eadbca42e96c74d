"""The lesson pattern of DESIGN.md section 12 (issues 12 and 16), checked on every lesson 01-06:
objectives, prerequisites and time on top; >= 3 exercises stored unanswered, each with a check
cell and a collapsed worked answer that passes it; >= 2 of them *derive* exercises, each with
two collapsed hint tiers before the worked answer and whose answer is not printed above them;
one notes box; one quiz cell. Lesson 03's derive exercises are the hidden layer's backward
pass (both hidden deltas, the updated w1..w4)."""

import ast
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
HINTS = ("<details><summary>Hint 1: the idea</summary>",
         "<details><summary>Hint 2: the first step</summary>")
ANSWER = "<details><summary>Show the worked answer</summary>"
NUMBER = re.compile(r"-?\d+\.\d+(?:[eE][-+]?\d+)?")


def read(name):
    return nbformat.read(Path(__file__).parents[1] / "notebooks" / name, as_version=4).cells


def tags(cell):
    return cell.metadata.get("tags", [])


def exercises(cells):
    """[(index of the exercise, its check cell, its hint cells, its worked answer)]."""
    found = []
    for i, c in enumerate(cells):
        if "exercise" in tags(c):
            j = i + 2
            while j < len(cells) and "hint" in tags(cells[j]):
                j += 1
            found.append((i, cells[i + 1], cells[i + 2:j], cells[j] if j < len(cells) else None))
    return found


def check_arguments(check):
    """The names a check cell passes, e.g. ['w1_new', 'w2_new'] for check_x(w1_new, w2_new)."""
    call = ast.parse(check.source).body[0].value
    return [a.id for a in call.args if isinstance(a, ast.Name)]


def numbers(value):
    """The floats inside an answer (a number, a list or an array of numbers); [] otherwise."""
    try:
        arr = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        return []
    return [float(v) for v in arr if np.isfinite(v)]


def precise(v):
    """True for a number with 4 or more significant digits (0.149780716, not 0.5 or -1.5)."""
    return v != 0 and float(f"{v:.3g}") != v


def shown_text(cells):
    """Everything a student sees in ``cells`` without opening a hint or a worked answer:
    sources (except hint and answer cells) and text outputs."""
    parts = []
    for c in cells:
        if "hint" in tags(c) or c.source.startswith(ANSWER):
            continue
        parts.append(c.source)
        for out in c.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.append(str(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def leaks(cells, i, check, namespace):
    """The precise numbers of the answer (the values ``check`` passes, from ``namespace``)
    that the cells above exercise ``i`` already show: [(name, value)]."""
    above = [float(m) for m in NUMBER.findall(shown_text(cells[:i]))]
    return [(arg, v) for arg in check_arguments(check)
            for v in filter(precise, numbers(namespace.get(arg)))
            if any(np.isclose(a, v, rtol=1e-6, atol=0) for a in above)]


def run_answer(module, answer, check, capsys):
    """Run the worked answer's code, then the check cell; return (namespace, check's output)."""
    code = re.search(r"```python\n(.*?)```", answer.source, re.S).group(1)
    namespace = {"checks": module, "np": np}
    exec(code, namespace)                          # the worked answer ...
    capsys.readouterr()
    exec(check.source, namespace)                  # ... run through its check
    return namespace, capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_lesson_follows_the_exercise_pattern(name, capsys):
    """Top cell, >= 3 exercises each stored unanswered with a check and a collapsed worked
    answer that passes it, one notes box, one quiz cell."""
    cells = read(name)
    top = cells[0].source
    assert "- [ ]" in top and "**Prerequisites:**" in top and "**Time:**" in top
    assert "glossary.md" in top
    module = importlib.import_module(f"helpers.checks.{LESSONS[name]}")
    found = exercises(cells)
    assert len(found) >= 3, f"{name}: {len(found)} exercises, expected >= 3"
    for i, check, _, answer in found:
        assert check.cell_type == "code" and check.source.startswith("checks.check_"), (name, i)
        assert "not answered yet" in "".join(o.get("text", "") for o in check.outputs), (name, i)
        assert answer is not None and answer.cell_type == "markdown", (name, i)
        assert answer.source.startswith(ANSWER), (name, i)
        _, out = run_answer(module, answer, check, capsys)
        assert out.startswith("✔"), (name, i, out)
    markdown = [c.source for c in cells if c.cell_type == "markdown"]
    assert sum("**Notes on the slides.**" in s for s in markdown) == 1
    quiz = [c for c in cells if "quiz" in tags(c)]
    assert len(quiz) == 1 and quiz[0].source.startswith("quiz_set(")
    topic = re.match(r'quiz_set\("(\w+)"\)', quiz[0].source).group(1)
    assert len(quizzes(topic)) >= 3, topic
    assert not any("NBVAL_IGNORE_OUTPUT" in c.source for c in cells)


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_lesson_has_derive_exercises_with_hints(name, capsys):
    """>= 2 exercises tagged derive; each is followed by its check, then the two hint tiers
    (collapsed markdown tagged hint: the idea, then the first step), then the worked answer;
    no precise number of its answer is shown anywhere above it; hints sit only there."""
    cells = read(name)
    module = importlib.import_module(f"helpers.checks.{LESSONS[name]}")
    found = exercises(cells)
    derive = [e for e in found if "derive" in tags(cells[e[0]])]
    assert len(derive) >= 2, f"{name}: {len(derive)} derive exercises, expected >= 2"
    for i, check, hints, answer in derive:
        assert len(hints) >= 2, (name, i, "expected >= 2 hint cells after the check")
        assert all(h.cell_type == "markdown" and h.source.rstrip().endswith("</details>")
                   for h in hints), (name, i)
        assert hints[0].source.startswith(HINTS[0]) and hints[1].source.startswith(HINTS[1]), \
            (name, i)
        namespace, out = run_answer(module, answer, check, capsys)
        assert out.startswith("✔"), (name, i, out)
        assert not leaks(cells, i, check, namespace), f"{name}: answer printed above cell {i}"
    in_place = {id(h) for e in found for h in e[2]}
    stray = [k for k, c in enumerate(cells) if "hint" in tags(c) and id(c) not in in_place]
    assert not stray, f"{name}: hint cells not right after an exercise's check: {stray}"


def test_lesson_03_derives_the_hidden_layer():
    """Lesson 03's derive exercises check both hidden deltas, the updated w1..w4 and the
    batch hidden_delta, and the hidden layer's formulas appear above them only in hints."""
    cells = read("03_backprop_walkthrough.ipynb")
    derive = {e[1].source.split("(")[0]: e[0] for e in exercises(cells)
              if "derive" in tags(cells[e[0]])}
    assert {"checks.check_hidden_deltas", "checks.check_hidden_weights",
            "checks.check_hidden_delta"} <= set(derive), sorted(derive)
    first = min(derive.values())
    shown = shown_text(cells[:derive["checks.check_hidden_delta"]])
    assert "W_2^\\top)\\odot H" not in shown and "W_out.T" not in shown
    assert "delta_{o1} w_5 + \\delta_{o2} w_7" not in shown_text(cells[:first])


def test_an_answer_printed_above_its_derive_exercise_is_found(capsys):
    """The leak test can fail: lesson 03 with w1+ printed in a cell above exercise 4 (and the
    same number inside a hint, which does not count)."""
    cells = read("03_backprop_walkthrough.ipynb")
    i, check, hints, answer = next(e for e in exercises(cells)
                                   if e[1].source.startswith("checks.check_hidden_weights"))
    namespace, _ = run_answer(importlib.import_module("helpers.checks.lesson03"), answer, check,
                              capsys)
    assert leaks(cells, i, check, namespace) == []
    doctored = [*cells[:i], nbformat.v4.new_markdown_cell("so w1 becomes 0.149780716"),
                *cells[i:]]
    assert leaks(doctored, i + 1, check, namespace) == [("w1_new", namespace["w1_new"])]
    hinted = [*cells[:i], hints[0].copy(), *cells[i:]]
    hinted[i].source += " 0.149780716"
    assert leaks(hinted, i + 1, check, namespace) == []
