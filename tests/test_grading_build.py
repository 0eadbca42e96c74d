"""Tests of the lab generator (``python -m helpers build-labs``) and of matching a submitted
file to its lab; the grader itself is tested in test_grading.py."""

import copy
import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbtools import with_cell

from helpers.instructor.grading import build_labs as grading
from helpers.instructor.grading.submissions import match_lab

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
    nb = with_cell(tiny_solution(), "ex-square", source)
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
    write_nb(with_cell(tiny_solution(), "use", "print(1)"), sols / "02_other.ipynb")
    args = ["--solutions", str(sols), "--labs", str(labs)]
    assert grading.build_labs_main(args) == 0
    first = {p.name: p.read_bytes() for p in labs.glob("*.ipynb")}
    assert sorted(first) == ["01_tiny.ipynb", "02_other.ipynb"]
    assert grading.build_labs_main(args) == 0
    assert {p.name: p.read_bytes() for p in labs.glob("*.ipynb")} == first
    assert grading.build_labs_main([*args, "--check"]) == 0
    # a hand edit in a lab, or a changed solution, is reported by --check and nothing is written
    (labs / "02_other.ipynb").write_bytes(first["02_other.ipynb"].replace(b"print(1)", b"x"))
    write_nb(with_cell(tiny_solution(), "use", "print(2)"), sols / "01_tiny.ipynb")
    capsys.readouterr()
    assert grading.build_labs_main([*args, "--check"]) == 1
    err = capsys.readouterr().err
    assert "01_tiny.ipynb" in err and "02_other.ipynb" in err
    assert (labs / "01_tiny.ipynb").read_bytes() == first["01_tiny.ipynb"]


def test_build_labs_writes_nothing_when_one_solution_is_bad(tmp_path, capsys):
    sols, labs = tmp_path / "solutions", tmp_path / "labs"
    write_nb(tiny_solution(), sols / "01_good.ipynb")
    write_nb(with_cell(tiny_solution(), "ex-add", "### END SOLUTION"), sols / "02_bad.ipynb")
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


# ------------------------------------------------------------------------------ matching

def test_match_lab_by_name_or_number():
    labs = ["01_perceptron_mnist", "02_tanh_network", "03_sigmoid_network"]
    assert match_lab("02_tanh_network.ipynb", labs) == "02_tanh_network"
    assert match_lab("02_Tanh_Network-alice.ipynb", labs) == "02_tanh_network"
    assert match_lab("alice_03_sigmoid_network (1).ipynb", labs) == "03_sigmoid_network"
    assert match_lab("01-bob.ipynb", labs) == "01_perceptron_mnist"
    assert match_lab("1_bob.ipynb", labs) == "01_perceptron_mnist"
    assert match_lab("04_dropout_mnist.ipynb", labs) is None
    assert match_lab("homework.ipynb", labs) is None


def test_a_kernel_home_gets_the_graders_font_list(tmp_path):
    """Every sandboxed kernel would scan the system's fonts again without it."""
    from helpers.instructor.grading.kernel import seed_font_cache
    seed_font_cache(tmp_path)
    lists = list((tmp_path / ".cache" / "matplotlib").glob("fontlist-*.json"))
    assert lists and json.loads(lists[0].read_text())["ttflist"]
