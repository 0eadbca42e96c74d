"""Tests of the lab generator (``python -m helpers build-labs``) and the grader
(``python -m helpers grade``).

The robustness tests grade small fixture labs made in tmp_path (tiny cells, no MNIST) in one
grader run; the real solutions/ and labs/ are graded once per session (they train on MNIST).
"""

import copy
import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers.instructor import grading

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
LABS = REPO / "labs"
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


# ------------------------------------------------------------------------------ fixture labs

def _cell(kind, source, cid, tags=(), **extra):
    cell = new_code_cell(source, **extra) if kind == "code" else new_markdown_cell(source)
    cell.id = cid
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def tiny_solution():
    """A solved lab with two exercises (one inside a function, one a whole cell), each followed
    by its check; it has outputs, widget state and run metadata the lab must not keep."""
    nb = new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python", "version": "3.11.2"},
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}},
    })
    nb.cells = [
        _cell("md", "# Tiny lab\nWrite `add` and `square`.", "title"),
        _cell("code", "import math\nprint('ready')", "setup", execution_count=1,
              outputs=[new_output("stream", name="stdout", text="ready\n")]),
        _cell("code", "def add(a, b):\n    \"\"\"a + b\"\"\"\n    ### BEGIN SOLUTION\n"
                      "    total = a + b\n    return total\n    ### END SOLUTION\n",
              "ex-add", ["exercise"], execution_count=2),
        _cell("code", "assert add(2, 3) == 5, f'add(2, 3): expected 5, got {add(2, 3)!r}'\n"
                      "assert add(-1, 1) == 0, f'add(-1, 1): expected 0, got {add(-1, 1)!r}'\n"
                      "print('add: ok')",
              "check-add", ["check"], execution_count=3,
              outputs=[new_output("stream", name="stdout", text="add: ok\n")]),
        _cell("md", "Now squares.", "md-square"),
        _cell("code", "### BEGIN SOLUTION\ndef square(x):\n    return x * x\n### END SOLUTION",
              "ex-square", ["exercise"], execution_count=4),
        _cell("code", "assert square(3) == 9, f'square(3): expected 9, got {square(3)!r}'\n"
                      "assert square(-2) == 4, f'square(-2): expected 4, got {square(-2)!r}'",
              "check-square", ["check"], execution_count=5),
        _cell("code", "print(add(1, 2), square(4))", "use", execution_count=6),
        # after the last check: the grader does not run it (if it did, every grade would
        # report a dead kernel)
        _cell("code", "import os\nos._exit(3)", "after-checks"),
    ]
    nb.cells[2].metadata["execution"] = {"iopub.execute_input": "2024-01-01T00:00:00Z"}
    return nb


def write_nb(nb, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def set_source(nb, cid, source):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.id == cid:
            cell.source = source
            return nb
    raise KeyError(cid)


def drop_cell(nb, cid):
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if c.id != cid]
    return nb


def by_id(nb):
    return {c.id: c for c in nb.cells}


# ------------------------------------------------------------------------------ build-labs

def test_make_lab_replaces_regions_and_keeps_the_rest():
    solution = tiny_solution()
    before = copy.deepcopy(solution)
    lab = grading.make_lab(solution, "tiny")
    assert solution == before, "make_lab must not modify the solution"
    cells = by_id(lab)
    assert [c.id for c in lab.cells] == [c.id for c in solution.cells]
    # a region inside a function keeps the function's indentation and its docstring
    assert cells["ex-add"].source == ('def add(a, b):\n    """a + b"""\n'
                                      "    # YOUR CODE HERE\n    raise NotImplementedError()\n")
    assert cells["ex-square"].source == STUB  # a whole-cell region
    text = json.dumps(lab)
    for solution_code in ("total = a + b", "return x * x", "BEGIN SOLUTION", "END SOLUTION"):
        assert solution_code not in text
    for cell in lab.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        assert "execution" not in cell.metadata
    # everything else is kept: markdown, checks, tags, kernelspec
    for cid in ("title", "md-square", "check-add", "check-square", "setup", "use"):
        assert cells[cid].source == by_id(solution)[cid].source
    assert cells["ex-add"].metadata["tags"] == ["exercise"]
    assert cells["check-add"].metadata["tags"] == ["check"]
    assert lab.metadata["kernelspec"] == solution.metadata["kernelspec"]
    assert "widgets" not in lab.metadata
    assert lab.metadata["language_info"] == {"name": "python"}
    nbformat.validate(lab)


@pytest.mark.parametrize("source, line, words", [
    ("x = 1\n### BEGIN SOLUTION\ny = 2\n", 2, "never closed"),
    ("x = 1\ny = 2\n    ### END SOLUTION\n", 3, "without a matching"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", 2, "inside the region"),
])
def test_unmatched_markers_are_a_clear_error(source, line, words):
    nb = set_source(tiny_solution(), "ex-square", source)
    with pytest.raises(grading.LabBuildError) as err:
        grading.make_lab(nb, "solutions/07_bad.ipynb")
    message = str(err.value)
    assert "solutions/07_bad.ipynb" in message and "'ex-square'" in message
    assert f"line {line}" in message and words in message


def test_markers_in_markdown_and_missing_ids_are_errors():
    nb = tiny_solution()
    nb.cells[0].source += "\n### BEGIN SOLUTION\nsecret\n### END SOLUTION"
    with pytest.raises(grading.LabBuildError, match="only allowed in code cells"):
        grading.make_lab(nb, "x")
    nb = tiny_solution()
    nb.nbformat_minor = 4
    with pytest.raises(grading.LabBuildError, match="no cell ids"):
        grading.make_lab(nb, "x")


def test_build_labs_cli_is_deterministic_and_check_detects_drift(tmp_path, capsys):
    sols, labs = tmp_path / "solutions", tmp_path / "labs"
    write_nb(tiny_solution(), sols / "01_tiny.ipynb")
    write_nb(set_source(tiny_solution(), "use", "print(1)"), sols / "02_other.ipynb")
    args = ["--solutions", str(sols), "--labs", str(labs)]
    assert grading.build_labs_main(args) == 0
    first = {p.name: p.read_bytes() for p in labs.glob("*.ipynb")}
    assert sorted(first) == ["01_tiny.ipynb", "02_other.ipynb"]
    assert grading.build_labs_main(args) == 0
    assert {p.name: p.read_bytes() for p in labs.glob("*.ipynb")} == first
    assert grading.build_labs_main([*args, "--check"]) == 0
    # a hand edit in a lab, or a changed solution, is reported by --check and nothing is written
    (labs / "02_other.ipynb").write_bytes(first["02_other.ipynb"].replace(b"print(1)", b"x"))
    write_nb(set_source(tiny_solution(), "use", "print(2)"), sols / "01_tiny.ipynb")
    capsys.readouterr()
    assert grading.build_labs_main([*args, "--check"]) == 1
    err = capsys.readouterr().err
    assert "01_tiny.ipynb" in err and "02_other.ipynb" in err
    assert (labs / "01_tiny.ipynb").read_bytes() == first["01_tiny.ipynb"]


def test_build_labs_writes_nothing_when_one_solution_is_bad(tmp_path, capsys):
    sols, labs = tmp_path / "solutions", tmp_path / "labs"
    write_nb(tiny_solution(), sols / "01_good.ipynb")
    write_nb(set_source(tiny_solution(), "ex-add", "### END SOLUTION"), sols / "02_bad.ipynb")
    (sols / "03_broken.ipynb").write_text("{not json")
    assert grading.build_labs_main(["--solutions", str(sols), "--labs", str(labs)]) == 1
    err = capsys.readouterr().err
    assert "02_bad.ipynb" in err and "'ex-add'" in err and "line 1" in err
    assert "03_broken.ipynb" in err
    assert not labs.exists() or not list(labs.iterdir())


def test_committed_labs_are_what_build_labs_writes():
    """labs/ is generated: it must be byte for byte what build-labs makes from solutions/."""
    expected = grading.render_labs(SOLUTIONS)
    committed = {p.name: p.read_bytes() for p in LABS.glob("*.ipynb")}
    assert sorted(committed) == sorted(expected), \
        "labs/ and solutions/ hold different notebooks: run `python -m helpers build-labs`"
    stale = [name for name in expected if committed[name] != expected[name]]
    assert not stale, f"labs out of date, run `python -m helpers build-labs`: {stale}"


# ------------------------------------------------------------------------------ matching, assembly

def test_match_lab_by_name_or_number():
    labs = ["01_perceptron_mnist", "02_tanh_network", "03_sigmoid_network"]
    assert grading.match_lab("02_tanh_network.ipynb", labs) == "02_tanh_network"
    assert grading.match_lab("02_Tanh_Network-alice.ipynb", labs) == "02_tanh_network"
    assert grading.match_lab("alice_03_sigmoid_network (1).ipynb", labs) == "03_sigmoid_network"
    assert grading.match_lab("01-bob.ipynb", labs) == "01_perceptron_mnist"
    assert grading.match_lab("1_bob.ipynb", labs) == "01_perceptron_mnist"
    assert grading.match_lab("04_dropout_mnist.ipynb", labs) is None
    assert grading.match_lab("homework.ipynb", labs) is None


def _spec(tmp_path):
    path = write_nb(tiny_solution(), tmp_path / "solutions" / "01_tiny.ipynb")
    specs = grading.load_labs(path.parent)
    assert list(specs) == ["01_tiny"]
    spec = specs["01_tiny"]
    assert spec.exercise_ids == ["ex-add", "ex-square"]
    assert spec.check_ids == ["check-add", "check-square"]
    return spec


def test_assemble_takes_only_the_exercises_from_the_submission(tmp_path):
    spec = _spec(tmp_path)
    sub = copy.deepcopy(spec.lab)
    sub = set_source(sub, "ex-add", "def add(a, b):\n    return 5")
    sub = set_source(sub, "check-add", "pass")  # an edited check
    sub = set_source(sub, "setup", "add = None")  # an edited ordinary cell
    sub = drop_cell(sub, "ex-square")  # a deleted exercise
    sub.cells.append(_cell("code", "print('mine')", "extra"))
    nb, missing = grading.assemble(spec, sub)
    cells = by_id(nb)
    assert [c.id for c in nb.cells] == [c.id for c in spec.lab.cells]
    assert cells["ex-add"].source == "def add(a, b):\n    return 5"
    assert cells["ex-square"].source == STUB and missing == ["ex-square"]
    assert cells["check-add"].source == by_id(tiny_solution())["check-add"].source
    assert cells["setup"].source == by_id(tiny_solution())["setup"].source
    assert "return x * x" not in json.dumps(nb), "no solution code in a graded notebook"
    # cells pasted anew (new ids) but still tagged: taken in order when all are there
    pasted = copy.deepcopy(spec.lab)
    for i, cell in enumerate(pasted.cells):
        cell.id = f"new-{i}"
    pasted = set_source(pasted, "new-2", "def add(a, b):\n    return a + b")
    nb, missing = grading.assemble(spec, pasted)
    assert by_id(nb)["ex-add"].source.endswith("return a + b") and missing == []


# ------------------------------------------------------------------------------ grading (fixtures)

def _read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {row["notebook"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def fixture_grades(tmp_path_factory):
    """One grader run over broken and good submissions of the tiny lab (2 jobs, 10 s cells)."""
    root = tmp_path_factory.mktemp("grading")
    sol = write_nb(tiny_solution(), root / "solutions" / "01_tiny.ipynb")
    lab = grading.make_lab(nbformat.read(str(sol), as_version=4))
    solved = tiny_solution()
    subs = root / "submitted"
    write_nb(solved, subs / "alice" / "01_tiny.ipynb")
    write_nb(lab, subs / "01_tiny-unsolved.ipynb")
    (subs / "01_tiny-badjson.ipynb").write_text('{"cells": [', encoding="utf-8")
    (subs / "01_tiny-notanotebook.ipynb").write_text('["a list"]', encoding="utf-8")
    write_nb(drop_cell(set_source(solved, "ex-square", STUB), "check-square"),
             subs / "01_tiny-deletedcheck.ipynb")
    write_nb(set_source(set_source(solved, "ex-square", STUB), "check-square", "pass"),
             subs / "01_tiny-editedcheck.ipynb")
    write_nb(set_source(solved, "ex-add", "while True:\n    pass"), subs / "01_tiny-loop.ipynb")
    write_nb(set_source(solved, "ex-add", "raise ValueError('boom')"),
             subs / "01_tiny-exception.ipynb")
    write_nb(set_source(solved, "ex-square", "import os\nos._exit(1)"),
             subs / "01_tiny-crash.ipynb")
    write_nb(set_source(solved, "ex-add", "def add(a, b):\n    return 5"),
             subs / "01_tiny-hardcoded.ipynb")
    write_nb(solved, subs / "homework.ipynb")
    write_nb(solved, subs / ".ipynb_checkpoints" / "01_tiny-checkpoint.ipynb")
    out = root / "out" / "grades.csv"
    code = grading.grade_main([str(subs), "--solutions", str(sol.parent), "--out", str(out),
                               "--jobs", "2", "--cell-timeout", "10", "-q"])
    return {"code": code, "rows": _read_csv(out), "xml": out.with_suffix(".xml"),
            "root": root, "subs": subs.as_posix()}


def _row(grades, name):
    return grades["rows"][f"{grades['subs']}/{name}"]


def _check(row, passed, total, failure=None):
    assert (int(row["checks_passed"]), int(row["checks_total"])) == (passed, total), row
    assert float(row["score"]) == pytest.approx(passed / total if total else 0.0)
    if failure is None:
        assert row["first_failure"] == ""
    else:
        assert re.search(failure, row["first_failure"]), row["first_failure"]


def test_grader_finds_all_submissions_and_exits_0(fixture_grades):
    assert fixture_grades["code"] == 0
    names = sorted(fixture_grades["rows"])
    assert len(names) == 11, names
    assert names == sorted(names), "folders are graded in sorted order"
    assert not any("checkpoint" in n for n in names)
    assert list(next(iter(fixture_grades["rows"].values())))[:6] == grading.CSV_COLUMNS
    # the scratch folders of the runs are gone
    assert not [p for p in fixture_grades["root"].iterdir() if p.name.startswith(".grading-")]


def test_good_and_unsolved_submissions(fixture_grades):
    _check(_row(fixture_grades, "alice/01_tiny.ipynb"), 2, 2)
    _check(_row(fixture_grades, "01_tiny-unsolved.ipynb"), 0, 2,
           r"^check-add: NotImplementedError")


def test_invalid_files_are_recorded_with_the_reason(fixture_grades):
    _check(_row(fixture_grades, "01_tiny-badjson.ipynb"), 0, 2,
           r"^check-add: invalid notebook: invalid JSON")
    _check(_row(fixture_grades, "01_tiny-notanotebook.ipynb"), 0, 2,
           r"invalid notebook: the JSON is not a notebook")
    row = _row(fixture_grades, "homework.ipynb")
    _check(row, 0, 0, r"^no matching lab in solutions/$")
    assert row["lab"] == ""


def test_deleting_or_editing_a_check_earns_nothing(fixture_grades):
    for name in ("01_tiny-deletedcheck.ipynb", "01_tiny-editedcheck.ipynb"):
        _check(_row(fixture_grades, name), 1, 2,
               r"^check-square: NameError: .*\[after cell ex-square: NotImplementedError\]$")


def test_hang_exception_crash_and_hard_coded_answer(fixture_grades):
    _check(_row(fixture_grades, "01_tiny-loop.ipynb"), 1, 2,
           r"^check-add: NameError: .*\[after cell ex-add: Timeout of 10 seconds exceeded")
    _check(_row(fixture_grades, "01_tiny-exception.ipynb"), 1, 2,
           r"^check-add: NameError: .*\[after cell ex-add: ValueError: boom\]")
    _check(_row(fixture_grades, "01_tiny-crash.ipynb"), 1, 2,
           r"^check-square: not run: the kernel is dead \[after cell ex-square: kernel died")
    _check(_row(fixture_grades, "01_tiny-hardcoded.ipynb"), 1, 2,
           r"^check-add: AssertionError: add\(-1, 1\): expected 0, got 5$")


def test_junit_xml_has_one_testcase_per_check(fixture_grades):
    root = ET.parse(fixture_grades["xml"]).getroot()
    cases = list(root.iter("testcase"))
    assert len(cases) == 10 * 2 + 1  # 10 matched submissions x 2 checks + 1 unmatched
    rows = fixture_grades["rows"]
    failures = sum(int(r["checks_total"]) - int(r["checks_passed"]) for r in rows.values()) + 1
    assert len([c for c in cases if c.find("failure") is not None]) == failures
    crash = [c for c in cases if c.get("classname").endswith("01_tiny-crash.ipynb")]
    assert [c.get("name") for c in crash] == ["check-add", "check-square"]
    assert crash[0].find("failure") is None
    assert "kernel is dead" in crash[1].find("failure").get("message")


def test_grade_usage_errors(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        grading.grade_main([str(tmp_path / "nowhere"), "--out", str(tmp_path / "g.csv")])
    assert exc.value.code == 2
    assert "PATH: no such file or folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit):
        grading.grade_main([str(tmp_path / "empty"), "--solutions", str(tmp_path)])
    assert "no .ipynb files" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        grading.grade_main([str(tmp_path), "--solutions", str(tmp_path / "nope")])
    assert "--solutions: no such folder" in capsys.readouterr().err
    assert not (tmp_path / "g.csv").exists()


# ------------------------------------------------------------------------------ the real labs

def _hard_coded(solution_path):
    """The solution with its first exercise answered by a function returning a constant."""
    nb = nbformat.read(str(solution_path), as_version=4)
    for cell in nb.cells:
        if "exercise" in cell.metadata.get("tags", []):
            name = re.search(r"^def (\w+)\(", cell.source, re.MULTILINE).group(1)
            cell.source = f"def {name}(*args, **kwargs):\n    return 0.5\n"
            return nb, cell.id
    raise AssertionError(f"{solution_path} has no exercise cell")


@pytest.fixture(scope="session")
def real_grades(tmp_path_factory):
    """The real solutions/ and labs/ and one hard-coded submission, graded in one run."""
    solutions = sorted(SOLUTIONS.glob("*.ipynb"))
    if not solutions:
        pytest.skip("solutions/ has no notebooks yet")
    root = tmp_path_factory.mktemp("real")
    # the fastest lab (no MNIST) if it is there
    fast = next((p for p in solutions if p.stem.startswith("03")), solutions[0])
    nb, exercise = _hard_coded(fast)
    hard = write_nb(nb, root / "submitted" / f"{fast.stem}-hardcoded.ipynb")
    out = root / "grades.csv"
    code = grading.grade_main([str(SOLUTIONS), str(LABS), str(hard), "--out", str(out), "-q"])
    rows = _read_csv(out)
    return {"code": code, "solutions": solutions, "rows": rows, "hard": (hard, exercise),
            "specs": grading.load_labs(SOLUTIONS)}


def test_real_solutions_get_full_marks(real_grades):
    assert real_grades["code"] == 0
    for path in real_grades["solutions"]:
        row = real_grades["rows"][path.as_posix()]
        spec = real_grades["specs"][path.stem]
        assert int(row["checks_total"]) == len(spec.check_ids) > 0
        assert float(row["score"]) == 1.0, row
        assert row["first_failure"] == ""


def test_real_labs_get_zero_without_crashing_the_grader(real_grades):
    for path in real_grades["solutions"]:
        row = real_grades["rows"][(LABS / path.name).as_posix()]
        spec = real_grades["specs"][path.stem]
        assert int(row["checks_passed"]) == 0 and float(row["score"]) == 0.0, row
        assert int(row["checks_total"]) == len(spec.check_ids) > 0
        assert row["first_failure"].startswith(f"{spec.check_ids[0]}: "), row
        assert "grader error" not in row["first_failure"]


def test_real_hard_coded_answer_fails_its_check(real_grades):
    hard, exercise = real_grades["hard"]
    row = real_grades["rows"][hard.as_posix()]
    spec = real_grades["specs"][hard.stem.rsplit("-", 1)[0]]
    check = spec.check_ids[0]
    assert spec.exercise_ids[0] == exercise
    assert int(row["checks_passed"]) < int(row["checks_total"])
    assert row["first_failure"].startswith(f"{check}: "), row



def test_a_notebook_over_its_total_time_is_killed_and_earlier_checks_still_count(tmp_path):
    spec = _spec(tmp_path)
    hang = set_source(tiny_solution(), "ex-square",
                      "import time\nwhile True:\n    time.sleep(0.05)")
    result = grading.grade_notebook(spec, hang, "hang.ipynb", cell_timeout=300, timeout=20)
    assert [c.passed for c in result.checks] == [True, False]
    assert result.first_failure == ("check-square: not run [after cell ex-square: notebook "
                                    "timed out after 20 s (killed)]")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".grading-")]
