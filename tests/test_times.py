"""The lesson and lab times (helpers.instructor.times): computed from the notebooks, written
onto the start page and into each lesson's first cell, and checked against what they say."""

import re
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers.__main__ import main as cli
from helpers.instructor import times
from helpers.lessons.quiz_bank import quizzes


def timed(source, seconds, tags=()):
    cell = new_code_cell(source)
    cell.metadata["execution"] = {
        "iopub.execute_input": "2026-01-01T10:00:00.000000Z",
        "shell.execute_reply": f"2026-01-01T10:{seconds // 60:02d}:{seconds % 60:02d}.000000Z"}
    cell.metadata["tags"] = list(tags)
    return cell


def words(n, head=""):
    return new_markdown_cell((head + "\n\n" if head else "") + " ".join(["word"] * n))


def test_a_notebook_is_reading_plus_running_plus_exercises_plus_questions(tmp_path):
    nb = new_notebook(cells=[
        words(398, "# Title"),                          # 400 words with the two of the title
        timed("x = 1", 90),
        timed("x = ...", 30, tags=["exercise"]),
        timed('quiz_set("neurons")', 0),
        words(198, "## Going further (optional)"),      # 198 words + a 4-word heading
        timed("y = 2", 60, tags=["exercise"]),
        words(0, "## Key takeaways"),                   # 3 words, back in the main part
    ])
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    t = times.measure(path)
    n_quiz = len(quizzes("neurons"))
    assert t["main"] == pytest.approx((400 + 3) / 200 + 120 / 60 + 5 + n_quiz)
    assert t["optional"] == pytest.approx(202 / 200 + 60 / 60 + 5)
    assert (t["words"], t["run_s"], t["exercises"], t["questions"]) == (605, 180, 2, n_quiz)
    with pytest.raises(ValueError, match="path"):
        times.measure(tmp_path / "missing.ipynb")


def test_stated_times_are_read_and_written_back():
    assert times.stated_time("**Time:** about\n45 minutes; runs fast") == (45, None)
    assert times.stated_time("**Time:** about 75 minutes (plus 15 for the optional "
                             "appendices).") == (75, 15)
    assert times.stated_time("**Time:** about 60 minutes, plus about 15 for the optional "
                             "*Going\nfurther* part at the end; it runs") == (60, 15)
    assert times.stated_time("no time here") is None
    assert times.time_text({"main": 43.0, "optional": 1.0}) == "**Time:** about 45 minutes"
    assert times.time_text({"main": 56.0, "optional": 6.4}) == (
        "**Time:** about 55 minutes (plus 5 for the optional part at the end)")
    assert [times.rounded(m) for m in (0.5, 7.4, 7.6, 61)] == [5, 5, 10, 60]
    source = "**Time:** about 60 minutes, plus 15 for the optional *Going further*\npart; runs"
    written = times.STATED.sub(times.time_text({"main": 43.0, "optional": 8.0}), source)
    assert written == ("**Time:** about 45 minutes (plus 10 for the optional part at the "
                       "end); runs")


def test_labs_follow_the_lesson_they_need():
    order = [rel for rel, _, _ in times.STUDY_ORDER]
    assert order.index("labs/02_tanh_network.ipynb") > order.index(
        "notebooks/04_activations.ipynb")                   # tanh' is taught in lesson 04
    assert order.index("labs/01_perceptron_mnist.ipynb") > order.index(
        "notebooks/02_perceptron.ipynb")
    assert order.index("labs/03_sigmoid_network.ipynb") > order.index(
        "notebooks/03_backprop_walkthrough.ipynb")
    assert order.index("labs/04_dropout_mnist.ipynb") > order.index(
        "notebooks/06_dropout_mnist.ipynb")
    assert order[-1] == "notebooks/08_reproducing_the_classics.ipynb"
    assert times.measured_twin("labs/02_tanh_network.ipynb") == (
        times.ROOT / "solutions/02_tanh_network.ipynb")


@pytest.fixture
def course_copy(tmp_path):
    for folder in ("notebooks", "solutions"):
        shutil.copytree(times.ROOT / folder, tmp_path / folder)
    return tmp_path


def test_write_makes_every_stated_time_agree_and_keeps_outputs(course_copy):
    lesson = course_copy / "notebooks" / "05_regularization.ipynb"
    before = nbformat.read(lesson, as_version=4)
    before.cells[0].source = re.sub(r"about\s+\d+\s+minutes", "about 160 minutes",
                                    before.cells[0].source, count=1)
    nbformat.write(before, lesson)                      # a stated time far off
    assert any("05_regularization" in p for p in times.disagreements(course_copy))
    times.write(course_copy)
    assert times.disagreements(course_copy) == []
    after = nbformat.read(lesson, as_version=4)
    assert [c.id for c in after.cells] == [c.id for c in before.cells]
    assert [c.get("outputs") for c in after.cells] == [c.get("outputs") for c in before.cells]
    stated = times.stated_time(after.cells[0].source)[0]
    assert stated == times.rounded(times.measure(lesson)["main"])
    assert times.write(course_copy) == []               # nothing left to change


def test_the_map_lists_what_exists_and_marks_what_does_not(course_copy):
    page = times.map_markdown(times.course_times(course_copy))
    assert "| 08 · Reproducing the classics (not written yet) | - |" in page or (
        course_copy / "notebooks" / "08_reproducing_the_classics.ipynb").is_file()
    assert "[lab 02: a tanh network](../labs/02_tanh_network.ipynb)" in page
    rows = [line for line in page.splitlines() if line.startswith("| [")]
    assert len(rows) >= 11


def test_the_map_agrees_up_to_the_tolerance():
    measured = times.course_times()
    page = times.map_markdown(measured)
    assert times.map_agrees(page, measured)
    row = re.search(r"^\| \[01 · Neurons\]\(01_neurons.ipynb\) \| (\d+) min \|", page, re.M)
    exact = measured["notebooks/01_neurons.ipynb"]["main"]

    def with_minutes(minutes):
        return page.replace(row.group(0), row.group(0).replace(
            f"| {row.group(1)} min", f"| {minutes} min"))

    assert times.map_agrees(with_minutes(int(exact)), measured)        # rounding aside
    assert not times.map_agrees(with_minutes(int(exact) + 3 * times.TOLERANCE), measured)
    without_row = re.sub(r"^\| \[01 · Neurons\].*\n", "", page, flags=re.M)
    assert without_row != page and not times.map_agrees(without_row, measured)
    assert times.map_agrees(re.sub(r"about [\d.]+ hours", "about 9.9 hours", page), measured)


def test_the_course_states_the_measured_times(capsys):
    """Fails when a lesson's first cell or the start page disagrees with the notebooks;
    fix with `python -m helpers times --write` (after re-executing changed notebooks)."""
    assert cli(["times"]) == 0, capsys.readouterr().out


def test_the_study_order_names_every_lesson_and_lab_once():
    order = [rel for rel, _, _ in times.STUDY_ORDER]
    found = [*times.ROOT.glob("notebooks/0[1-9]_*.ipynb"), *times.ROOT.glob("labs/*.ipynb")]
    course = sorted(p.relative_to(times.ROOT).as_posix() for p in found)
    assert sorted(order) == course


def test_a_study_order_row_without_a_title_is_refused(tmp_path):
    table = tmp_path / "order.csv"
    table.write_text("notebook,title,practice\nnotebooks/01_neurons.ipynb,01 · Neurons,quiz\n"
                     "labs/01_perceptron_mnist.ipynb,,after lesson 02\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"order\.csv: row 3: expected a notebook, a title"):
        times.read_study_order(table)
    table.write_text("notebook,title,practice\nnotebooks/01_neurons.ipynb,01 · Neurons,quiz\n",
                     encoding="utf-8")
    assert times.read_study_order(table) == [("notebooks/01_neurons.ipynb", "01 · Neurons", "quiz")]
