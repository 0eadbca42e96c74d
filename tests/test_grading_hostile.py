"""Issue 19: a class folder that one student cannot break, graded fairly.

The hostile and careless submissions (tests/grading_class.py ``hostile``) are graded in the
same ONE grade run as the attacks of test_grading.py, beside honest neighbours: every honest
neighbour keeps full marks, every bad submission gets its own row with its reason, every
output (CSV, JUnit parsed by an XML parser, feedback Markdown rendered, Gradescope JSON) is
written and valid, and nothing reaches the terminal but text. The sandbox's view is tested
from inside a sandboxed kernel, with TMPDIR in /tmp and outside it.
"""

import ast
import csv
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import mistune
import pytest
from grading_class import (
    BAD_NAME,
    LAB,
    REPO,
    SOLUTIONS,
    graded_class,
    solution,
    unsolved,
)
from nbtools import with_cell

from helpers.instructor.grading import grade_main, sandbox
from helpers.instructor.grading.kernel import StudentKernel, kernel_env, kernel_hidden
from helpers.instructor.grading.labs import load_labs, plan, references_used
from helpers.instructor.grading.report import write_gradescope
from helpers.instructor.grading.run import read_journal
from helpers.instructor.grading.sanitize import csv_cell, md_block, text
from helpers.instructor.grading.submissions import find_notebooks, match_lab

pytestmark = pytest.mark.skipif(not sandbox.available()[0],
                                reason=f"no sandbox: {sandbox.available()[1]}")
NB = f"{LAB}.ipynb"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
SAFE_NAME = text(os.fsdecode(BAD_NAME))
HONEST = [f"honest_neighbour/{NB}", f"{SAFE_NAME}/{NB}",
          "spaces/Lab 3 - sigmoid network.ipynb", f"jsonext/{NB}.json",
          f"upper/{LAB.upper()}.IPYNB", f"twoversions/{LAB}_final.ipynb", f"nb44/{NB}",
          f"colab/{NB}"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return graded_class(tmp_path_factory)


def _row(graded, key):
    return graded["by_notebook"][text(key)]


# ------------------------------------------------------------------ 1. outputs survive

@pytest.mark.parametrize("key", HONEST)
def test_every_honest_neighbour_keeps_full_marks(graded, key):
    row, full = _row(graded, key), _row(graded, f"honest_neighbour/{NB}")["max_points"]
    assert (row["points"], row["max_points"]) == (full, full), row
    assert "missing" not in row["flags"], row


@pytest.mark.parametrize("key, words", [
    (f"nasty_message/{NB}", "your code raised ValueError"),
    (f"flood/{NB}", "flooded the grader"),
    (f"huge_reply/{NB}", "too large to check"),
    (f"devzero/{NB}", "symbolic link (to /dev/zero)"),
    (f"fifo/{NB}", "not a regular file"),
    (f"copy_solutions/{NB}", "symbolic link"),
    (f"copy_classmate/{NB}", "symbolic link"),
    ("copycat", "symbolic link"),
])
def test_a_bad_submission_gets_its_own_row_with_the_reason(graded, key, words):
    row = _row(graded, key)
    assert row["points"] == "0", row
    assert words in row["first_failure"], row


def test_every_output_is_written_and_valid(graded, tmp_path):
    out = graded["out"]
    raw = out.read_text(encoding="utf-8")
    assert not CONTROL.search(raw.replace("\n", ""))
    for row in csv.DictReader(raw.splitlines()):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert _row(graded, f"{SAFE_NAME}/{NB}")["student"] == "'" + SAFE_NAME
    assert _row(graded, f"formula_cell/{NB}")["flags"].startswith("'=1+2 uses"), graded["rows"]
    suite = ET.parse(out.with_suffix(".xml")).getroot().find("testsuite")
    assert len(suite.findall("testcase")) == int(suite.get("tests")) > len(graded["by_notebook"])
    feedback = sorted((out.parent / "grades-feedback").glob("*.md"))
    assert len(feedback) == len(graded["by_notebook"])
    render = mistune.create_markdown(escape=False)
    for path in feedback:
        page = path.read_text(encoding="utf-8")
        assert not CONTROL.search(page.replace("\n", "").replace("\t", "")), path
        html = render(page)
        assert "<img" not in html and "<a " not in html, path
        assert html.count("<h1>") == 1, path
    nasty = render(next(p for p in feedback if p.name.startswith("nasty_message")).read_text())
    assert "Your grade was corrected" in nasty and "onerror" in nasty  # shown, as text
    for i, result in enumerate(read_journal(out.with_suffix(".jsonl")).values()):
        path = tmp_path / f"results{i}.json"
        write_gradescope(result, path)
        data = json.loads(path.read_bytes().decode("utf-8", errors="strict"))
        assert isinstance(data["score"], (int, float)) and isinstance(data["tests"], list)


def test_nothing_but_text_reaches_the_terminal(graded):
    shown = graded["terminal"]
    assert "graded " in shown and "submissions in" in shown
    assert not CONTROL.search(shown.replace("\n", "")), repr(CONTROL.search(shown))


def test_resume_and_merge_survive_the_same_class(graded, tmp_path):
    copy = tmp_path / "out" / "grades.csv"
    shutil.copytree(graded["out"].parent, copy.parent)
    assert grade_main([str(graded["subs"]), "--out", str(copy), "--resume", "-q"]) == 0
    assert copy.read_bytes() == graded["out"].read_bytes()
    merged = tmp_path / "merged.csv"
    assert grade_main(["merge", str(merged), str(copy)]) == 0
    assert merged.read_bytes() == graded["out"].read_bytes()


def _leftovers():
    prefix = f"helpers-grade-run-{os.getpid()}-"
    places = [Path(tempfile.gettempdir()),
              *(sandbox.CGROUP_ROOT / c for c in ("pids", "memory"))]
    return [p for place in places if place.is_dir() for p in place.iterdir()
            if p.name.startswith(prefix)]


def test_no_scratch_folder_or_cgroup_is_left(graded):
    assert _leftovers() == []


def test_what_a_killed_run_left_is_removed_by_the_next(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = Path(tempfile.gettempdir()) / f"helpers-grade-run-{dead.pid}-x"
    (stale / "helpers-grade-y").mkdir(parents=True)
    (stale / "helpers-grade-y" / "kernel.json").write_text('{"key": "secret"}')
    group = sandbox.CGROUP_ROOT / "pids" / f"helpers-grade-run-{dead.pid}-x.helpers-grade-y"
    if os.access(group.parent, os.W_OK):
        group.mkdir()
    sandbox.cleanup()
    try:
        sandbox.run_folder()
        assert not stale.exists() and not group.exists()
    finally:
        sandbox.cleanup()
        shutil.rmtree(stale, ignore_errors=True)
        if group.exists():
            group.rmdir()


def test_sanitising_per_format():
    assert text("a\x1b[31mb\x9b\x00\udcff\tc\n") == "a[31mb\ufffd\tc\n"
    assert [csv_cell(v) for v in ("=1", "+1", "-1", "@x", "\tx", "\rx", "\uff1dx", "ok", 3)] \
        == ["'=1", "'+1", "'-1", "'@x", "'\tx", "x", "'\uff1dx", "ok", 3]  # CR: removed
    block = md_block("a ```` b")
    assert block.startswith("`````text\n") and block.endswith("\n`````")


# ------------------------------------------------------------------ 3. the sandbox's view

PROBE = """
import json, os, socket
found = {"uid": os.getuid(), "cap": [l.split()[1] for l in open("/proc/self/status")
                                     if l.startswith("CapEff")][0]}
for path in SOCKETS:
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(path)
        found[path] = "CONNECTED"
    except OSError as exc:
        found[path] = type(exc).__name__
for path in SECRETS:
    try:
        found[path] = open(path).read()
    except OSError as exc:
        found[path] = type(exc).__name__
for path in INVISIBLE:
    found[path] = os.path.exists(path)
found["run"] = sorted(os.listdir(RUN))
found["tmpdir"] = sorted(os.listdir(os.path.dirname(RUN)))
json.dump(found, open("probe.json", "w"))
"""


@pytest.mark.parametrize("where", ["tmp", "outside_tmp", "inside_a_kept_folder"])
def test_the_sandbox_view_from_inside_a_kernel(tmp_path, monkeypatch, where):
    base = {"tmp": Path("/tmp"), "outside_tmp": Path("/var/tmp"), "inside_a_kept_folder":
            Path(sys.prefix)}[where]
    tmpdir = Path(tempfile.mkdtemp(prefix="helpers-test-tmpdir-", dir=base))
    sandbox.cleanup()
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", None)
    servers, sockets = [], []
    short = Path(tempfile.mkdtemp(prefix="hs-", dir="/tmp"))  # AF_UNIX paths are short
    for folder in (short, Path("/var/tmp"), Path("/run")):
        path = folder / f"helpers-test-{os.getpid()}.sock"
        if os.access(folder, os.W_OK):
            server = socket.socket(socket.AF_UNIX)
            server.bind(str(path))
            server.listen()
            path.chmod(0o777)
            servers.append(server)
            sockets.append(str(path))
    secrets = [tmp_path / "secret", Path("/var/tmp") / f"helpers-test-secret-{os.getpid()}"]
    for path in secrets:
        path.write_text("SECRET")
        path.chmod(0o600)
    neighbour = sandbox.Sandbox()
    (neighbour.scratch / "kernel.json").write_text('{"key": "neighbour"}')
    box = sandbox.Sandbox(env=kernel_env(REPO, True))
    kernel = StudentKernel(box)
    invisible = [str(REPO / ".git"), str(SOLUTIONS), str(neighbour.scratch), "/run", "/home",
                 "/sys", str(Path.home() / ".bashrc"), *(["/var"] if where == "tmp" else [])]
    try:
        kernel.start()
        code = (f"SOCKETS, SECRETS, INVISIBLE, RUN = {sockets!r}, "
                f"{[*map(str, secrets), '/etc/shadow']!r}, {invisible!r}, "
                f"{str(box.scratch.parent)!r}\n" + PROBE)
        assert kernel.run_cell(code, 60) == ""
        found = json.loads((box.scratch / "probe.json").read_text())
    finally:
        kernel.stop()
        neighbour.stop()
        for server in servers:
            server.close()
        for path in sockets:
            Path(path).unlink()
        short.rmdir()
        sandbox.cleanup()
        shutil.rmtree(tmpdir, ignore_errors=True)
        secrets[1].unlink()
    assert found.pop("tmpdir") == [box.scratch.parent.name]  # no neighbour, no other file
    assert found.pop("uid") == sandbox.SANDBOX_UID and int(found.pop("cap"), 16) == 0
    assert found.pop("run") == [box.scratch.name]
    assert all(found[p] != "CONNECTED" for p in sockets) and len(sockets) >= 2, found
    assert all(found[p] != "SECRET" for p in [*map(str, secrets), "/etc/shadow"]), found
    assert not any(found[p] for p in invisible), found


def test_a_graded_kernel_starts_without_the_debugger():
    """The grader hides debugpy's folder (kernel_hidden): ipykernel then finds no debugger
    and does not load one; in a sandbox that does not hide it, the same Python finds it."""
    hidden = kernel_hidden()
    assert [Path(h).name for h in hidden] == ["debugpy"], hidden
    probe = "import ipykernel.debugger as d\nprint(d._is_debugpy_available)"
    found = {}
    for name, hide in (("seen", ()), ("hidden", hidden)):
        box = sandbox.Sandbox(hide=hide, env=kernel_env(REPO, True))
        try:
            with (box.scratch / "out.txt").open("wb") as out:
                box.start([sys.executable, "-c", probe], stdout=out, stderr=out).wait(60)
            found[name] = (box.scratch / "out.txt").read_text().strip()
        finally:
            box.stop()
    assert found == {"seen": "True", "hidden": "False"}, found


# ------------------------------------------------------------------ 4. points and honest mess

def test_the_course_own_code_scores_zero_for_that_check(graded):
    row = _row(graded, f"delegate_checks/{NB}")
    assert row["points"] == "0" and "ex-sigmoid uses helpers.checks" in row["flags"], row
    assert "course's own implementation" in row["first_failure"], row
    row = _row(graded, f"formula_cell/{NB}")
    assert row["points"] == "0" and "uses helpers.activations" in row["flags"], row
    row = _row(graded, f"hidden_delegate/{NB}")  # no import to read: the function's origin
    assert row["points"] == "0" and "sigmoid is helpers.activations.sigmoid" in row["flags"], row


def test_the_data_preparation_of_lab_04_is_a_reference_too():
    spec = load_labs(SOLUTIONS)["04_dropout_mnist"]
    nb = unsolved("04_dropout_mnist")
    ex = spec.exercise_ids[0]
    nb = with_cell(nb, ex, "from helpers.data import preprocess\n" +
                   "".join(f"{n} = preprocess\n" for n in spec.exercise_names[ex]))
    assert [u[:2] for u in references_used(spec, nb)] == [(ex, ["helpers.data.preprocess"])]


def test_a_spurious_ast_race_error_is_parsed_again(monkeypatch):
    """CPython 3.11's "AST constructor recursion depth mismatch" (a race of threads that
    parse, gh-106905) once cost an honest submission its grade: the parse is tried again.
    Another SystemError is not hidden."""
    spec, real, calls = load_labs(SOLUTIONS)[LAB], ast.parse, []

    def flaky(source, *args, **kwargs):
        calls.append(source)
        if len(calls) == 1:
            raise SystemError("AST constructor recursion depth mismatch (before=39, after=61)")
        return real(source, *args, **kwargs)

    expected = plan(spec, solution())
    monkeypatch.setattr(ast, "parse", flaky)
    assert plan(spec, solution()) == expected and calls[0] == calls[1]

    def broken(source, *args, **kwargs):
        raise SystemError("a bug of another kind")

    monkeypatch.setattr(ast, "parse", broken)
    with pytest.raises(SystemError, match="another kind"):
        plan(spec, solution())


def test_code_typed_into_a_check_cell_runs_as_in_jupyter(graded):
    row = _row(graded, f"typed_into_check/{NB}")
    assert row["points"] != "0" and not row["first_failure"].startswith("cell check-sigmoid:"), row
    assert "code typed into the check cell check-sigmoid" in row["flags"], row
    spec = load_labs(SOLUTIONS)[LAB]
    cells, _, notes = plan(spec, solution())
    assert notes == [] and "cell check-sigmoid" not in [label for label, _ in cells]
    assert "cell ex-sigmoid" in [label for label, _ in cells]


def test_a_masked_array_is_the_array_the_student_saw(graded):
    row = _row(graded, f"masked/{NB}")
    assert row["points"] != "0" and not row["first_failure"].startswith("cell check-sigmoid:"), row


def test_two_versions_of_one_lab_are_flagged(graded):
    for name in (NB, f"{LAB}_final.ipynb"):
        assert f"2 versions of {LAB}" in _row(graded, f"twoversions/{name}")["flags"]


def test_file_names_as_students_write_them(tmp_path):
    labs = sorted(p.stem for p in SOLUTIONS.glob("*.ipynb"))
    for name in ("Lab 3 - sigmoid network.ipynb", f"{LAB.upper()}.IPYNB", f"{LAB}.ipynb.json",
                 "lab03.ipynb", "lab 3 (1).ipynb"):
        assert match_lab(name, labs) == LAB, name
    for name in ("a.IPYNB", "b.ipynb.json", "c.ipynb.txt", "README.md"):
        (tmp_path / name).write_text("{}")
    assert sorted(s for _, _, s in find_notebooks([tmp_path])) == ["a", "b", "c"]
