"""Grades into the class's tools (issue 18 item 4): GitHub Classroom, PrairieLearn, a Canvas /
Moodle gradebook. Each format is validated against its published field names and types on the
output of a real grading run: the classroom workflow's own commands run locally on a solved
and an unsolved lab (module fixture), PrairieLearn's results.json from the same run (resumed,
no kernel), the gradebook from the shared class run of tests/grading_class.py.
"""

import base64
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from grading_class import LAB, REPO, SOLUTIONS, graded_class

from helpers.instructor.grading import grade_main
from helpers.instructor.grading.formats import GRADEBOOK_ID_COLUMNS
from helpers.instructor.grading.sandbox import available

pytestmark = pytest.mark.skipif(not available()[0], reason=f"no sandbox: {available()[1]}")
WORKFLOW = REPO / "docs" / "classroom" / "classroom.yml"
NB = f"{LAB}.ipynb"
NUMBER = (int, float)


def _steps():
    data = yaml.safe_load(WORKFLOW.read_text())
    return data["env"], {s["id"]: s for s in data["jobs"]["run-autograding-tests"]["steps"]
                         if "id" in s}


@pytest.fixture(scope="module")
def workflow(tmp_path_factory):
    """The workflow's nbval and grade steps, run as on a runner, in a student repository with
    the solved lab and one with the unsolved lab; the course is this checkout."""
    env_defaults, steps = _steps()
    runs = {}
    for name, source in (("solved", SOLUTIONS / NB), ("unsolved", REPO / "labs" / NB)):
        repo = tmp_path_factory.mktemp(f"student_{name}")
        nbformat.write(nbformat.read(str(source), as_version=4), str(repo / NB))
        (repo / "course").symlink_to(REPO, target_is_directory=True)
        output = repo / "github_output"
        env = {**os.environ, "LAB": NB, "COURSE": "course", "GITHUB_OUTPUT": str(output),
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
        codes = {}
        for sid in ("nbval", "grade"):
            done = subprocess.run(["bash", "-e", "-c", steps[sid]["run"]], cwd=repo, env=env,
                                  capture_output=True, text=True, timeout=600)
            codes[sid] = (done.returncode, done.stdout + done.stderr)
        runs[name] = {"repo": repo, "codes": codes, "output": output.read_text()}
    assert env_defaults["LAB"].endswith(".ipynb") and env_defaults["COURSE_TAG"]
    return runs


def test_the_workflow_pins_the_course_and_reports_with_github_classroom():
    text = WORKFLOW.read_text()
    assert "ref: ${{ env.COURSE_TAG }}" in text and "repository: ${{ env.COURSE_REPO }}" in text
    assert "classroom-resources/autograding-grading-reporter@v1" in text
    assert "GRADE_RESULTS: ${{ steps.grade.outputs.result }}" in text and "runners: grade" in text
    assert _steps()[1]["nbval"]["continue-on-error"] is True  # the trusted grade decides


def test_nbval_shows_the_student_which_check_fails(workflow):
    code, log = workflow["solved"]["codes"]["nbval"]
    assert code == 0, log[-3000:]
    code, log = workflow["unsolved"]["codes"]["nbval"]
    assert code != 0 and "not written yet" in log, log[-3000:]


@pytest.mark.parametrize("name", ["solved", "unsolved"])
def test_github_classroom_reporter_json(workflow, name):
    code, log = workflow[name]["codes"]["grade"]
    assert code == 0, log[-3000:]
    key, _, value = workflow[name]["output"].strip().partition("=")
    data = json.loads(base64.b64decode(value))
    assert key == "result"
    assert data == json.loads((workflow[name]["repo"] / "grades" / "classroom.json").read_text())
    assert data["version"] == 1 and data["status"] in ("pass", "fail", "error")
    assert isinstance(data["max_score"], NUMBER) and data["max_score"] >= 3
    for test in data["tests"]:
        assert {"name", "status", "score", "message"} <= set(test), test
        assert isinstance(test["name"], str) and isinstance(test["message"], str)
        assert test["status"] in ("pass", "fail") and isinstance(test["score"], NUMBER)
    total = sum(t["score"] for t in data["tests"])
    if name == "solved":
        assert data["status"] == "pass" and total == data["max_score"]
    else:
        assert data["status"] == "fail" and total == 0
        assert any("not written yet" in t["message"] for t in data["tests"])


@pytest.mark.parametrize("name", ["solved", "unsolved"])
def test_prairielearn_results_json(workflow, name, monkeypatch):
    repo = workflow[name]["repo"]
    results = repo / "results" / "results.json"
    monkeypatch.chdir(repo)  # the notebook as the workflow named it: in its journal, no kernel
    assert grade_main([NB, "--out", "grades/grades.csv", "--resume", "--prairielearn",
                       str(results), "-q"]) == 0
    data = json.loads(results.read_text(encoding="utf-8"))
    assert data["gradable"] is True and isinstance(data["score"], float)
    assert 0.0 <= data["score"] <= 1.0 and isinstance(data["message"], str)
    assert results.stat().st_size < 1 << 20
    for test in data["tests"]:
        assert set(test) >= {"name", "points", "max_points", "message", "output"}, test
        assert isinstance(test["points"], NUMBER) and isinstance(test["max_points"], NUMBER)
        assert 0 <= test["points"] <= test["max_points"]
        assert all(isinstance(test[k], str) for k in ("name", "message", "output"))
    assert data["score"] == (1.0 if name == "solved" else 0.0)


def test_a_gradebook_canvas_and_moodle_import(tmp_path_factory):
    graded = graded_class(tmp_path_factory)
    with (graded["out"].parent / "gradebook.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert header[:5] == GRADEBOOK_ID_COLUMNS and LAB in header[5:]
    students = [r[0] for r in body]
    assert len(students) == len(set(students)) == len(graded["rows"])
    column = header.index(LAB)
    for row in body:
        assert len(row) == len(header) and row[0] == row[3]
        assert row[column] == "" or float(row[column]) >= 0
    by_student = {r[0]: r for r in body}
    assert by_student["honest_neighbour"][column] == graded["rows"]["honest_neighbour"]["points"]
    assert by_student["twoversions"][column] == by_student["honest_neighbour"][column]  # best
