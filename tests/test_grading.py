"""Tests of the grader (``python -m helpers grade``): the trust model, the sandbox, honest mess.

Every attack of issue 11 is a small crafted submission of lab 03 built from the solution
with nbformat (tests/grading_class.py): the attack replaces the first exercise cell
(ex-sigmoid), every other exercise is the lab's stub, so an honest grade is 0. Attacks that
try to ESCAPE (read the solutions, see the grader's processes, reach the network, write
outside the scratch folder) define a correct ``sigmoid`` only when the escape worked, so a
point for check-sigmoid would show it. All of them, an honest neighbour, the honest-mess cases
and issue 19's submissions (test_grading_hostile.py) are graded in ONE grade run shared by
both files; afterwards nothing outside the scratch may have changed and no process may be left.
"""

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest
from grading_class import (
    ATTACKS,
    ESCAPES,
    LAB,
    REPO,
    SOLUTIONS,
    SOLVED_SIGMOID,
    TOKEN,
    attack,
    escape,
    graded_class,
    hashes,
    honest_mess,
    processes,
    solution,
    unsolved,
    write_nb,
)
from nbtools import with_cell

from helpers.instructor.grading import grade_main
from helpers.instructor.grading.labs import flags, load_labs
from helpers.instructor.grading.run import read_journal
from helpers.instructor.grading.sandbox import available

pytestmark = pytest.mark.skipif(not available()[0], reason=f"no sandbox: {available()[1]}")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return graded_class(tmp_path_factory)


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_an_attack_earns_nothing(graded, name):
    row = graded["rows"][f"cheat_{name}"]
    assert (row["points"], row["max_points"]) == ("0", "4"), row


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_the_sandbox_holds(graded, name):
    """The attack would define a correct sigmoid (1 point) if it got out of the sandbox."""
    row = graded["rows"][f"escape_{name}"]
    assert row["points"] == "0", row
    assert row["first_failure"].startswith("check-sigmoid: sigmoid is not defined"), row


def test_the_honest_neighbour_keeps_its_score(graded):
    assert graded["rows"]["honest_neighbour"]["points"] == "4"
    assert graded["rows"]["honest_neighbour"]["first_failure"] == ""
    assert graded["rows"]["unsolved"]["points"] == "0"
    assert "not written yet" in graded["rows"]["unsolved"]["first_failure"]


def test_nothing_outside_the_scratch_changed_and_no_process_is_left(graded):
    assert hashes(graded["watched"]) == graded["before"]
    for folder in (Path("/tmp"), Path.home(), REPO, REPO / "helpers" / "checks"):
        assert not (folder / TOKEN).exists()
    assert processes() <= graded["procs_before"]


@pytest.mark.parametrize("name, points, flag", [
    ("mess_pasted_copy", "1", ""), ("mess_duplicated_id", "1", ""),
    ("mess_retyped", "1", "exercise cell missing: ex-sigmoid"),
    ("mess_v3", "4", ""),  # no cell ids: the exercises are found by what they define
])
def test_honest_mess_is_graded_as_jupyter_ran_it(graded, name, points, flag):
    row = graded["rows"][name]
    assert row["points"] == points, row
    assert flag in row["flags"], row
    assert flag or "missing" not in row["flags"], row


def test_the_course_own_implementation_scores_zero_with_a_flag(graded):
    row = graded["rows"]["mess_uses_reference"]
    assert row["points"] == "0", row
    assert "ex-sigmoid uses helpers.activations" in row["flags"], row
    assert "course's own implementation" in row["first_failure"], row


def test_another_labs_notebook_is_named(graded):
    row = graded["rows"]["mess_other_lab"]
    assert row["points"] == "0"
    assert "02_tanh_network" in row["first_failure"]


def test_outputs_junit_and_feedback(graded):
    out = graded["out"]
    suite = ET.parse(out.with_suffix(".xml")).getroot().find("testsuite")
    n_rows = len(graded["by_notebook"])
    cases = sum(max(1, int(r["checks_total"])) for r in graded["by_notebook"].values())
    assert int(suite.get("tests")) == cases
    feedback = out.parent / "grades-feedback" / f"unsolved__{LAB}.md"
    text = feedback.read_text(encoding="utf-8")
    assert "0 / 4 points" in text and "not written yet" in text
    assert "Traceback" not in text
    assert len(list((out.parent / "grades-feedback").glob("*.md"))) == n_rows


def test_flags_are_static_and_name_the_cell():
    spec = load_labs(SOLUTIONS)[LAB]
    assert flags(spec, solution()) == []
    nb = with_cell(unsolved(), "ex-sigmoid", "import helpers.activations as a\n"
                                             "def sigmoid(x):\n    return a.sigmoid(x)\n")
    assert flags(spec, nb) == ["ex-sigmoid uses helpers.activations"]


def test_resume_shard_merge_and_gradescope(tmp_path):
    subs = tmp_path / "subs"
    write_nb(solution(), subs / "ann" / f"{LAB}.ipynb")
    write_nb(unsolved(), subs / "ben" / f"{LAB}.ipynb")
    write_nb(honest_mess()["pasted_copy"], subs / "cid" / f"{LAB}.ipynb")
    # two shards merged
    parts = [tmp_path / f"part{k}" / "grades.csv" for k in (1, 2)]
    for k, part in enumerate(parts, start=1):
        assert grade_main([str(subs), "--out", str(part), "--shard", f"{k}/2", "-q"]) == 0
    assert sorted(len(p.read_text().splitlines()) - 1 for p in parts) == [1, 2]
    merged = tmp_path / "merged.csv"
    assert grade_main(["merge", str(merged), *map(str, parts)]) == 0
    # one run over the whole folder, killed after two submissions (a torn last journal line):
    # --resume grades only the third, and its CSV is the merged one
    lines = merged.with_suffix(".jsonl").read_text().splitlines()
    one = tmp_path / "one" / "grades.csv"
    one.parent.mkdir()
    one.with_suffix(".jsonl").write_text("\n".join(lines[:2]) + "\n" + lines[2][:40])
    assert grade_main([str(subs), "--out", str(one), "--resume", "-q"]) == 0
    journal = one.with_suffix(".jsonl").read_text().splitlines()
    assert len(journal) == 4 and len(read_journal(one.with_suffix(".jsonl"))) == 3
    assert one.read_text() == merged.read_text()
    rows = {r["student"]: r["points"] for r in csv.DictReader(one.open(encoding="utf-8"))}
    assert rows == {"ann": "4", "ben": "0", "cid": "1"}
    # Gradescope's results.json for one submission
    results = tmp_path / "results.json"
    assert grade_main([str(subs / "ann" / f"{LAB}.ipynb"), "--out", str(tmp_path / "gs.csv"),
                       "--gradescope", str(results), "-q"]) == 0
    data = json.loads(results.read_text())
    assert data["score"] == 4 and len(data["tests"]) == 4
    assert {t["max_score"] for t in data["tests"]} == {1}
    assert all(t["status"] == "passed" for t in data["tests"])


LIMITS = {  # (attack in ex-sigmoid, points, words of the first failure or error)
    "memory_bomb": (SOLVED_SIGMOID + "import numpy as np\nhog = np.ones(3 * 2**30 // 8)\n",
                    "0", "out of memory"),
    "fork_bomb": (escape("import os\nn = 0\nfor _ in range(400):\n"
                         "    try:\n        os.posix_spawn('/bin/sleep', ['sleep', '120'], {})\n"
                         "    except OSError:\n        break\n    n += 1\n"
                         "ESCAPED = n >= 400"),
                  "0", "sigmoid is not defined"),
    "endless_cell": (SOLVED_SIGMOID + "while True:\n    pass\n", "1", "longer than 5 s"),
    # deaf and endless, but asleep: it keeps no core busy for the grader's 10 s of grace
    "deaf_to_interrupts": (SOLVED_SIGMOID + "import signal, time\n"
                           "signal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n"
                           "    time.sleep(0.05)\n", "0", "ignored an interrupt"),
    "endless_function": ("import time\ndef sigmoid(x):\n    time.sleep(600)\n", "0",
                         "did not finish within"),
    "suicide": (SOLVED_SIGMOID + "import os\nos._exit(3)\n", "0", "died"),
}


def test_limits_timeouts_and_crashes(tmp_path):
    """Memory, processes, an endless cell (interrupted: what it defined still counts), a cell
    deaf to interrupts (the kernel is stopped), an endless check call, a kernel that exits."""
    subs = tmp_path / "subs"
    for name, (source, _, _) in LIMITS.items():
        write_nb(attack(source, subs), subs / name / f"{LAB}.ipynb")
    before = processes()
    out = tmp_path / "grades.csv"
    assert grade_main([str(subs), "--out", str(out), "--memory", "1G", "--cell-timeout", "5",
                       "--call-timeout", "3", "-q"]) == 0
    rows = {r["student"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    journal = {json.loads(line)["student"]: json.loads(line)
               for line in out.with_suffix(".jsonl").read_text().splitlines()}
    for name, (_, points, words) in LIMITS.items():
        assert rows[name]["points"] == points, rows[name]
        assert words in rows[name]["first_failure"] + journal[name]["error"], rows[name]
    assert processes() <= before


def test_usage_errors(tmp_path, capsys):
    with pytest.raises(SystemExit):
        grade_main([str(tmp_path / "missing")])
    (tmp_path / "a.ipynb").write_text("{}")
    with pytest.raises(SystemExit):
        grade_main([str(tmp_path), "--shard", "3/2"])
    with pytest.raises(SystemExit):
        grade_main([str(tmp_path), "--memory", "lots"])
    assert "--memory" in capsys.readouterr().err


@pytest.mark.slow
def test_every_solution_full_marks_every_lab_zero(tmp_path):
    subs = tmp_path / "subs"
    for path in sorted(SOLUTIONS.glob("*.ipynb")):
        write_nb(nbformat.read(str(path), as_version=4), subs / "solved" / path.name)
        write_nb(nbformat.read(str(REPO / "labs" / path.name), as_version=4),
               subs / "stub" / path.name)
    out = tmp_path / "grades.csv"
    assert grade_main([str(subs), "--out", str(out), "-q"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 2 * len(list(SOLUTIONS.glob("*.ipynb")))
    for row in rows:
        expected = row["max_points"] if row["student"] == "solved" else "0"
        assert row["points"] == expected, row
        assert float(row["max_points"]) >= 3


def test_unsafe_mode_grades_the_same_and_leaves_no_process(tmp_path):
    write_nb(solution(), tmp_path / "subs" / f"{LAB}.ipynb")
    before = processes()
    out = tmp_path / "g.csv"
    assert grade_main([str(tmp_path / "subs"), "--out", str(out), "--unsafe-no-sandbox",
                       "-q"]) == 0
    row = next(csv.DictReader(out.open(encoding="utf-8")))
    assert (row["points"], row["max_points"]) == ("4", "4"), row
    assert processes() <= before


def test_no_sandbox_means_refusal(monkeypatch, tmp_path, capsys):
    from helpers.instructor.grading import cli

    monkeypatch.setattr(cli, "available", lambda: (False, "bubblewrap is Linux-only (test)"))
    write_nb(unsolved(), tmp_path / f"{LAB}.ipynb")
    assert grade_main([str(tmp_path), "--out", str(tmp_path / "g.csv")]) == 2
    assert "Linux-only" in capsys.readouterr().err
