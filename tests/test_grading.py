"""Tests of the grader (``python -m helpers grade``): the trust model, the sandbox, honest mess.

Every attack of issue 11 is a small crafted submission of lab 03 built from the solution
with nbformat: the attack replaces the first exercise cell (ex-sigmoid), every other exercise
is the lab's stub, so an honest grade is 0. Attacks that try to ESCAPE (read the solutions,
see the grader's processes, reach the network, write outside the scratch folder) define a
correct ``sigmoid`` only when the escape worked, so a point for check-sigmoid would show it.
All of them, an honest neighbour and the honest-mess cases are graded in ONE grade run
(module fixture); afterwards nothing outside the scratch may have changed and no process
may be left.
"""

import copy
import csv
import hashlib
import json
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbtools import with_cell

from helpers.instructor.grading import grade_main
from helpers.instructor.grading.labs import flags, load_labs
from helpers.instructor.grading.run import read_journal
from helpers.instructor.grading.sandbox import available

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
LAB = "03_sigmoid_network"
TOKEN = f"helpers-attack-{os.getpid()}"  # marks every file/process an attack makes
SOLVED_SIGMOID = "import numpy as np\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n"

pytestmark = pytest.mark.skipif(not available()[0], reason=f"no sandbox: {available()[1]}")


def solution(lab=LAB):
    return nbformat.read(str(SOLUTIONS / f"{lab}.ipynb"), as_version=4)


def unsolved(lab=LAB):
    return nbformat.read(str(REPO / "labs" / f"{lab}.ipynb"), as_version=4)


def escape(condition_code):
    """An attack that defines a correct sigmoid only if ``condition_code`` sets ESCAPED."""
    return f"ESCAPED = False\n{condition_code}\nif ESCAPED:\n" + \
        "".join(f"    {line}\n" for line in SOLVED_SIGMOID.splitlines())


ATTACKS = {
    "custom_exc": "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)",
    "showtraceback": "ip = get_ipython()\n"
                     "ip.showtraceback = ip._showtraceback = lambda *a, **k: None",
    "rebind_checks": "sigmoid = None\nclass checks:\n"
                     "    check_sigmoid = check_sigmoid_derivative = staticmethod(print)\n"
                     "    check_neuron = check_two_layer_think = staticmethod(print)\n"
                     "    check_two_layer_adjustments = staticmethod(print)",
    "setattr_checks": "import helpers.checks.sigmoid as m\n"
                      "for n in dir(m):\n"
                      "    if n.startswith('check_'):\n"
                      "        setattr(m, n, print)",
    "patch_numpy": "import numpy as np\n"
                   "np.isclose = lambda *a, **k: np.True_\nnp.allclose = lambda *a, **k: True\n"
                   "np.array_equal = lambda *a, **k: True\n"
                   "def sigmoid(x):\n    return x",
    "patch_fail": "import helpers.checks.core as c\nc.fail = lambda *a, **k: None\n"
                  "c.run_student = lambda fn, *a, **k: None\n"
                  "def sigmoid(x):\n    return x",
    "input_transformer": "def t(lines):\n"
                         "    return ['pass\\n'] if any('checks.check_' in l for l in lines) "
                         "else lines\n"
                         "get_ipython().input_transformers_post.append(t)",
    "oracle_array": "import sys\n"
                    "class Oracle:\n"
                    "    def __array__(self, *a, **k):\n"
                    "        f = sys._getframe()\n"
                    "        while f is not None:\n"
                    "            if 'expected' in f.f_locals:\n"
                    "                return f.f_locals['expected']\n"
                    "            f = f.f_back\n"
                    "        raise RuntimeError('no oracle here')\n"
                    "def sigmoid(x):\n    return Oracle()",
    "fake_serve": "import helpers.checks.serve as s\n"
                  "s.answer = lambda *a, **k: {'value': True}\n"
                  "def sigmoid(x):\n    return x",
    "forged_progress_sigstop": "import os, signal, json\n"
                               "for name in ('HELPERS_GRADE_PROGRESS',):\n"
                               "    p = os.environ.get(name)\n"
                               "    if p:\n"
                               "        open(p, 'a').write(json.dumps({'outcome': 'passed'}))\n"
                               "for pid in (os.getppid(), 1):\n"
                               "    try:\n        os.kill(pid, signal.SIGSTOP)\n"
                               "    except OSError:\n        pass",
    "kill_everything": "import os, signal, time\n"
                       "end = time.time() + 8\n"
                       "while time.time() < end:\n"
                       "    for p in os.listdir('/proc'):\n"
                       "        if p.isdigit() and int(p) != os.getpid():\n"
                       "            try:\n                os.kill(int(p), signal.SIGKILL)\n"
                       "            except OSError:\n                pass\n"
                       "    try:\n        os.kill(GRADER_PID, signal.SIGKILL)\n"
                       "    except OSError:\n        pass\n"
                       "    time.sleep(0.2)",
    "write_checks_file": "import pathlib\n"
                         "for f in pathlib.Path(REPO, 'helpers', 'checks').glob('*.py'):\n"
                         "    try:\n"
                         "        open(f, 'a').write('\\ncheck_sigmoid = print  # ' + TOKEN)\n"
                         "    except OSError:\n        pass\n"
                         "for d in ('/tmp', HOME, REPO, '.'):\n"
                         "    try:\n        open(f'{d}/{TOKEN}', 'w').write('x')\n"
                         "    except OSError:\n        pass",
    "leave_processes": "import subprocess, sys, os\n"
                       "cmd = [sys.executable, '-c', 'import time; time.sleep(900)', TOKEN]\n"
                       "subprocess.Popen(cmd, start_new_session=True)\n"
                       "if os.fork() == 0:\n"
                       "    if os.fork() == 0:\n"
                       "        os.setsid()\n"
                       "        os.execv(sys.executable, cmd)\n"
                       "    os._exit(0)\n"
                       "os.wait()",
}
ESCAPES = {
    "exec_solutions": "try:\n"
                      "    import json\n"
                      "    nb = json.load(open(f'{REPO}/solutions/03_sigmoid_network.ipynb'))\n"
                      "    ESCAPED = True\n"
                      "except OSError:\n    pass",
    "read_other_submissions": "import os\nESCAPED = os.path.isdir(SUBMISSIONS) and "
                              "bool(os.listdir(SUBMISSIONS))",
    "proc_cmdline": "import os\nfor p in os.listdir('/proc'):\n"
                    "    try:\n"
                    "        text = open(f'/proc/{p}/cmdline', 'rb').read()\n"
                    "    except OSError:\n        continue\n"
                    "    if b'pytest' in text or SUBMISSIONS.encode() in text:\n"
                    "        ESCAPED = True",
    "proc_environ": "import os\nfor p in os.listdir('/proc'):\n"
                    "    try:\n"
                    "        text = open(f'/proc/{p}/environ', 'rb').read()\n"
                    "    except OSError:\n        continue\n"
                    "    if b'PYTEST_CURRENT_TEST' in text:\n"
                    "        ESCAPED = True",
    "network": "import socket\ntry:\n"
               "    socket.create_connection(('1.1.1.1', 53), timeout=3)\n    ESCAPED = True\n"
               "except OSError:\n    pass",
    "home_and_grader": "import os\n"
                       "ESCAPED = os.path.exists(f'/proc/{GRADER_PID}') and GRADER_PID > 50 "
                       "or os.path.exists(os.path.expanduser('~root/.bashrc'))",
}


def _attack(source, folder):
    prelude = (f"REPO = {str(REPO)!r}\nHOME = {str(Path.home())!r}\nTOKEN = {TOKEN!r}\n"
               f"SUBMISSIONS = {str(folder)!r}\nGRADER_PID = {os.getpid()}\n")
    return with_cell(unsolved(), "ex-sigmoid", prelude + source)


def _honest_mess():
    """Honest work in the shapes Jupyter produces: sigmoid solved, everything else a stub."""
    lab = unsolved()
    out = {}
    # a Jupyter copy/paste: the original stub stays, the solved copy has a new id
    nb = copy.deepcopy(lab)
    i = [c.id for c in nb.cells].index("ex-sigmoid")
    pasted = new_code_cell(SOLVED_SIGMOID)
    pasted.metadata["tags"] = ["exercise"]
    nb.cells.insert(i + 1, pasted)
    out["pasted_copy"] = nb
    # the exercise cell turned to markdown, and retyped in a new untagged cell
    nb = copy.deepcopy(lab)
    nb.cells[i] = new_markdown_cell(nb.cells[i].source)
    nb.cells[i].id = "ex-sigmoid"
    nb.cells.insert(i + 1, new_code_cell(SOLVED_SIGMOID))
    out["retyped"] = nb
    # the exercise cell duplicated (same id twice), solved only in the second
    nb = copy.deepcopy(lab)
    twin = copy.deepcopy(nb.cells[i])
    twin.source = SOLVED_SIGMOID
    nb.cells.insert(i + 1, twin)
    out["duplicated_id"] = nb
    # the reference implementation, imported: passes, and is flagged for a human
    out["uses_reference"] = with_cell(lab, "ex-sigmoid",
                                      "from helpers.activations import sigmoid\n")
    return out


def _write(nb, path, version=4):
    path.parent.mkdir(parents=True, exist_ok=True)
    if version == 4:
        path.write_text(json.dumps(nb), encoding="utf-8")  # as Jupyter would, ids as they are
    else:
        nbformat.write(nbformat.convert(nb, version), str(path))
    return path


def _hashes(paths):
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _processes():
    """The host's processes that a grading run may have started (kernels, bwrap, attacks)."""
    found = set()
    for p in os.listdir("/proc"):
        try:
            text = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, UnicodeDecodeError):
            continue
        if TOKEN in text or "helpers-grade-" in text:
            found.add((int(p), text))
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading")
    subs = root / "submissions"
    for name, source in ATTACKS.items():
        _write(_attack(source, subs), subs / f"cheat_{name}" / f"{LAB}.ipynb")
    for name, source in ESCAPES.items():
        _write(_attack(escape(source), subs), subs / f"escape_{name}" / f"{LAB}.ipynb")
    for name, nb in _honest_mess().items():
        _write(nb, subs / f"mess_{name}" / f"{LAB}.ipynb")
    _write(solution(), subs / "honest_neighbour" / f"{LAB}.ipynb")
    _write(solution(), subs / "mess_v3" / f"{LAB}.ipynb", version=3)
    _write(solution("02_tanh_network"), subs / "mess_other_lab" / f"{LAB}.ipynb")
    _write(unsolved(), subs / "unsolved" / f"{LAB}.ipynb")
    watched = [*REPO.glob("helpers/checks/*.py"), *SOLUTIONS.glob("*.ipynb")]
    before, procs_before = _hashes(watched), _processes()
    out = root / "out" / "grades.csv"
    assert grade_main([str(subs), "--out", str(out), "--jobs", "2", "--cell-timeout", "60",
                       "--call-timeout", "30", "-q"]) == 0
    rows = {r["student"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    return {"rows": rows, "out": out, "subs": subs, "before": before, "watched": watched,
            "procs_before": procs_before}


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
    assert _hashes(graded["watched"]) == graded["before"]
    for folder in (Path("/tmp"), Path.home(), REPO, REPO / "helpers" / "checks"):
        assert not (folder / TOKEN).exists()
    assert _processes() <= graded["procs_before"]


@pytest.mark.parametrize("name, points, flag", [
    ("mess_pasted_copy", "1", ""), ("mess_duplicated_id", "1", ""),
    ("mess_retyped", "1", "exercise cell missing: ex-sigmoid"),
    ("mess_uses_reference", "1", "uses helpers.activations"),
    ("mess_v3", "4", "exercise cell missing: ex-sigmoid"),
])
def test_honest_mess_is_graded_as_jupyter_ran_it(graded, name, points, flag):
    row = graded["rows"][name]
    assert row["points"] == points, row
    assert flag in row["flags"], row


def test_another_labs_notebook_is_named(graded):
    row = graded["rows"]["mess_other_lab"]
    assert row["points"] == "0"
    assert "02_tanh_network" in row["first_failure"]


def test_outputs_junit_and_feedback(graded):
    out = graded["out"]
    suite = ET.parse(out.with_suffix(".xml")).getroot().find("testsuite")
    n_rows = len(graded["rows"])
    assert int(suite.get("tests")) == 4 * n_rows
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
    _write(solution(), subs / "ann" / f"{LAB}.ipynb")
    _write(unsolved(), subs / "ben" / f"{LAB}.ipynb")
    _write(_honest_mess()["pasted_copy"], subs / "cid" / f"{LAB}.ipynb")
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
    "endless_cell": (SOLVED_SIGMOID + "while True:\n    pass\n", "1", "longer than 8 s"),
    "deaf_to_interrupts": (SOLVED_SIGMOID + "import signal\n"
                           "signal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n"
                           "    pass\n", "0", "ignored an interrupt"),
    "endless_function": ("import time\ndef sigmoid(x):\n    time.sleep(600)\n", "0",
                         "did not finish within"),
    "suicide": (SOLVED_SIGMOID + "import os\nos._exit(3)\n", "0", "died"),
}


def test_limits_timeouts_and_crashes(tmp_path):
    """Memory, processes, an endless cell (interrupted: what it defined still counts), a cell
    deaf to interrupts (the kernel is stopped), an endless check call, a kernel that exits."""
    subs = tmp_path / "subs"
    for name, (source, _, _) in LIMITS.items():
        _write(_attack(source, subs), subs / name / f"{LAB}.ipynb")
    before = _processes()
    out = tmp_path / "grades.csv"
    assert grade_main([str(subs), "--out", str(out), "--memory", "1G", "--cell-timeout", "8",
                       "--call-timeout", "5", "-q"]) == 0
    rows = {r["student"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    journal = {json.loads(line)["student"]: json.loads(line)
               for line in out.with_suffix(".jsonl").read_text().splitlines()}
    for name, (_, points, words) in LIMITS.items():
        assert rows[name]["points"] == points, rows[name]
        assert words in rows[name]["first_failure"] + journal[name]["error"], rows[name]
    assert _processes() <= before


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
        _write(nbformat.read(str(path), as_version=4), subs / "solved" / path.name)
        _write(nbformat.read(str(REPO / "labs" / path.name), as_version=4),
               subs / "stub" / path.name)
    out = tmp_path / "grades.csv"
    assert grade_main([str(subs), "--out", str(out), "-q"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 2 * len(list(SOLUTIONS.glob("*.ipynb")))
    for row in rows:
        expected = row["max_points"] if row["student"] == "solved" else "0"
        assert row["points"] == expected, row
        assert float(row["max_points"]) >= 3


def test_a_hidden_folder_that_holds_the_course_gives_the_course_back(tmp_path):
    """E.g. a course cloned into HOME: the folder is hidden, the course bound back read-only,
    and the solutions inside it hidden again."""
    from helpers.instructor.grading.sandbox import Sandbox

    probe = ("import json, os, sys\nimport helpers.checks\n"
             "print(json.dumps([sorted(os.listdir(sys.argv[1])), os.listdir(sys.argv[2]),"
             " os.access(sys.argv[3], os.W_OK)]))")
    sandbox = Sandbox(hide=[REPO.parent, SOLUTIONS], env={"PATH": os.environ["PATH"],
                                                          "PYTHONPATH": str(REPO)})
    out = tmp_path / "out.txt"
    try:
        with out.open("wb") as f:
            sandbox.start([sys.executable, "-c", probe, str(REPO.parent), str(SOLUTIONS),
                           str(REPO / "helpers")], stdout=f, stderr=f).wait(timeout=120)
    finally:
        sandbox.stop()
    seen_parent, seen_solutions, writable = json.loads(out.read_text().splitlines()[-1])
    # the sandbox's own scratch folder is there too when it lives beside the course (e.g. a
    # course cloned into /tmp): it is the one writable folder the kernel gets
    own = [sandbox.scratch.name] if sandbox.scratch.parent == REPO.parent.resolve() else []
    assert seen_parent == sorted([REPO.name, *own]) and seen_solutions == []
    assert writable is False


def test_unsafe_mode_grades_the_same_and_leaves_no_process(tmp_path):
    _write(solution(), tmp_path / "subs" / f"{LAB}.ipynb")
    before = _processes()
    out = tmp_path / "g.csv"
    assert grade_main([str(tmp_path / "subs"), "--out", str(out), "--unsafe-no-sandbox",
                       "-q"]) == 0
    row = next(csv.DictReader(out.open(encoding="utf-8")))
    assert (row["points"], row["max_points"]) == ("4", "4"), row
    assert _processes() <= before


def test_no_sandbox_means_refusal(monkeypatch, tmp_path, capsys):
    from helpers.instructor.grading import cli

    monkeypatch.setattr(cli, "available", lambda: (False, "bubblewrap is Linux-only (test)"))
    _write(unsolved(), tmp_path / f"{LAB}.ipynb")
    assert grade_main([str(tmp_path), "--out", str(tmp_path / "g.csv")]) == 2
    assert "Linux-only" in capsys.readouterr().err
