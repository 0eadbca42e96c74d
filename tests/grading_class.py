"""The class folder the grading tests grade, in ONE grade run shared by the test files
(``graded_class``): the attacks of issue 11 (test_grading.py) and the hostile and careless
submissions of issue 19 (test_grading_hostile.py), beside honest neighbours. Not a test module.

Every crafted submission is built at test time from the current solution and lab notebooks
of lab 03 (its ``ex-sigmoid`` cell, function ``sigmoid`` and ``check_sigmoid``), so it follows
changes of the lab. Issue 11's attacks replace ex-sigmoid, every other exercise is the lab's
stub, so an honest grade is 0; attacks that try to ESCAPE define a correct ``sigmoid`` only
when the escape worked.
"""

import contextlib
import copy
import csv
import hashlib
import io
import json
import os
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbtools import with_cell

from helpers.instructor.grading import grade_main

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
LAB = "03_sigmoid_network"
TOKEN = f"helpers-attack-{os.getpid()}"  # marks every file/process an attack makes
SOLVED_SIGMOID = "import numpy as np\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n"

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


def attack(source, folder):
    prelude = (f"REPO = {str(REPO)!r}\nHOME = {str(Path.home())!r}\nTOKEN = {TOKEN!r}\n"
               f"SUBMISSIONS = {str(folder)!r}\nGRADER_PID = {os.getpid()}\n")
    return with_cell(unsolved(), "ex-sigmoid", prelude + source)


def honest_mess():
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
    # the reference implementation, imported: 0 for that check, and flagged for a human
    out["uses_reference"] = with_cell(lab, "ex-sigmoid",
                                      "from helpers.activations import sigmoid\n")
    return out


def write_nb(nb, path, version=4):
    path.parent.mkdir(parents=True, exist_ok=True)
    if version == 4:
        path.write_text(json.dumps(nb), encoding="utf-8")  # as Jupyter would, ids as they are
    else:
        nbformat.write(nbformat.convert(nb, version), str(path))
    return path


def hashes(paths):
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def processes():
    """The host's processes that a grading run of THIS process may have started (kernels,
    attacks: their command lines hold TOKEN or this grader's run folder; another pytest
    worker may be grading at the same time)."""
    mine = f"helpers-grade-run-{os.getpid()}-"
    found = set()
    for p in os.listdir("/proc"):
        try:
            text = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, UnicodeDecodeError):
            continue
        if TOKEN in text or mine in text:
            found.add((int(p), text))
    return found


# ---------------------------------------------------------------- issue 19: hostile and careless

#: control characters of every kind, as Python escapes in a cell's source: OSC 52 (clipboard),
#: BEL, cursor hiding, ESC c (reset), a C1 CSI, NUL, VT, a lone surrogate
NASTY = r"\x1b]52;c;ZXZpbA==\x07\x1b[?25l\x1bc\x9b31m\x00\x0b\udcff"
MARKDOWN = "```\n# Your grade was corrected\n<img src=x onerror=alert(1)>\n[regrade](http://e.x)"
#: one honest student whose folder name is a formula, holds terminal escapes and is not UTF-8
#: (no slash: it is a folder name)
BAD_NAME = b'=HYPERLINK("e.x","x")\x1b[31m\x1b]0;title\x07\xff\xfe'


def _solution_without_ids(colab=False):
    """The solution as nbformat 4.4 saves it (no cell ids), or as Colab saves it (minor 0, no
    ids, no tags, Colab's own metadata)."""
    data = json.loads(nbformat.writes(solution()))
    data["nbformat_minor"] = 0 if colab else 4
    for i, cell in enumerate(data["cells"]):
        cell.pop("id", None)
        if colab:
            cell["metadata"] = {"id": f"c0L{i:04d}ab", "colab": {"base_uri": "https://localhost"}}
    if colab:
        data["metadata"] = {"colab": {"provenance": []}, "kernelspec": {
            "name": "python3", "display_name": "Python 3"}, "accelerator": "GPU"}
    return data


def _append(nb, source, cid=None):
    nb = copy.deepcopy(nb)
    cell = new_code_cell(source)
    if cid:
        cell.id = cid
    nb.cells.append(cell)
    return nb


def _source(nb, cid):
    return next(c.source for c in nb.cells if c.id == cid)


def hostile(subs):
    """Write issue 19's submissions into ``subs``; returns ``{name: what it checks}``."""
    lab, sol = unsolved(), solution()
    nb = f"{LAB}.ipynb"
    made = {
        # 1. outputs survive: a message with every control character, Markdown and HTML
        "nasty_message": with_cell(lab, "ex-sigmoid",
                                   f"def sigmoid(x):\n    raise ValueError('{NASTY}' + "
                                   f"{MARKDOWN!r})\nraise RuntimeError('{NASTY}')\n"),
        "flood": with_cell(lab, "ex-sigmoid", SOLVED_SIGMOID + (
            "from IPython.display import publish_display_data\nbig = 'x' * (8 << 20)\n"
            "while True:\n    publish_display_data({'text/plain': big})\n")),
        "huge_reply": with_cell(lab, "ex-sigmoid", "import numpy as np\n"
                                "def sigmoid(x):\n    return np.zeros(5 << 20)\n"),
        # 2. injection through names and cell ids
        "formula_cell": _append(lab, "from helpers.activations import sigmoid\n", cid="=1+2"),
        # 4. points without work, honest work without points
        "delegate_checks": with_cell(lab, "ex-sigmoid", "import helpers.checks.core as core\n"
                                     + SOLVED_SIGMOID + "    assert core\n"),
        "hidden_delegate": with_cell(lab, "ex-sigmoid", "import importlib\nsigmoid = getattr("
                                     "importlib.import_module('helpers.' + 'activations'), "
                                     "'sigmoid')\n"),
        "typed_into_check": with_cell(lab, "check-sigmoid", _source(lab, "check-sigmoid")
                                      + "\n" + SOLVED_SIGMOID),
        "masked": with_cell(lab, "ex-sigmoid", "import numpy as np\ndef sigmoid(x):\n"
                            "    return np.ma.masked_array(1 / (1 + np.exp(-x)))\n"),
    }
    for name, notebook in made.items():
        write_nb(notebook, subs / name / nb)
    write_nb(sol, Path(os.fsdecode(os.fsencode(subs) + b"/" + BAD_NAME)) / nb)
    write_nb(sol, subs / "spaces" / "Lab 3 - sigmoid network.ipynb")
    write_nb(sol, subs / "jsonext" / f"{LAB}.ipynb.json")
    write_nb(sol, subs / "upper" / f"{LAB.upper()}.IPYNB")
    write_nb(lab, subs / "twoversions" / nb)
    write_nb(sol, subs / "twoversions" / f"{LAB}_final.ipynb")
    for name, colab in (("nb44", False), ("colab", True)):
        data = _solution_without_ids(colab)
        if not colab:  # and a cell the parser cannot take (MemoryError): its own problem
            data["cells"].append(json.loads(nbformat.writes(_append(sol, "x = " + "-" * 100_000
                                                                    + "1\n")))["cells"][-1])
            data["cells"][-1].pop("id", None)
        (subs / name).mkdir()
        (subs / name / nb).write_text(json.dumps(data), encoding="utf-8")
    for name, target in (("devzero", Path("/dev/zero")), ("copy_solutions", SOLUTIONS / nb),
                         ("copy_classmate", subs / "honest_neighbour" / nb)):
        (subs / name).mkdir()
        (subs / name / nb).symlink_to(target)
    (subs / "fifo").mkdir()
    os.mkfifo(subs / "fifo" / nb)
    (subs / "copycat").symlink_to(subs / "honest_neighbour", target_is_directory=True)
    return sorted(made)


# ---------------------------------------------------------------- the one grade run

_RUN = {}


def graded_class(tmp_path_factory):
    """Grade the whole class once per test session; returns the rows (by student and by
    notebook), the output paths, the terminal output and what was watched."""
    if _RUN:
        return _RUN
    root = tmp_path_factory.mktemp("grading")
    subs = root / "submissions"
    for name, source in ATTACKS.items():
        write_nb(attack(source, subs), subs / f"cheat_{name}" / f"{LAB}.ipynb")
    for name, source in ESCAPES.items():
        write_nb(attack(escape(source), subs), subs / f"escape_{name}" / f"{LAB}.ipynb")
    for name, nb in honest_mess().items():
        write_nb(nb, subs / f"mess_{name}" / f"{LAB}.ipynb")
    write_nb(solution(), subs / "honest_neighbour" / f"{LAB}.ipynb")
    write_nb(solution(), subs / "mess_v3" / f"{LAB}.ipynb", version=3)
    write_nb(solution("02_tanh_network"), subs / "mess_other_lab" / f"{LAB}.ipynb")
    write_nb(unsolved(), subs / "unsolved" / f"{LAB}.ipynb")
    hostile(subs)
    watched = [*REPO.glob("helpers/checks/*.py"), *SOLUTIONS.glob("*.ipynb")]
    before, procs_before = hashes(watched), processes()
    out = root / "out" / "grades.csv"
    terminal = io.StringIO()
    with contextlib.redirect_stdout(terminal):
        code = grade_main([str(subs), "--out", str(out), "--jobs", "2", "--cell-timeout", "60",
                           "--call-timeout", "30",
                           "--gradebook", str(out.parent / "gradebook.csv")])
    assert code == 0, terminal.getvalue()
    table = list(csv.DictReader(out.open(encoding="utf-8")))
    _RUN.update(rows={r["student"]: r for r in table}, by_notebook={
        Path(r["notebook"]).relative_to(subs).as_posix(): r for r in table},
        out=out, subs=subs, before=before, watched=watched, procs_before=procs_before,
        terminal=terminal.getvalue())
    return _RUN
