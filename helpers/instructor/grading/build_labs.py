"""Lab generation and grading: ``python -m helpers build-labs`` and ``python -m helpers grade``.

build-labs
    Writes ``labs/`` from ``solutions/``. In a solution notebook the student's part is marked
    inside code cells by the lines ``### BEGIN SOLUTION`` ... ``### END SOLUTION``; each region
    becomes ``# YOUR CODE HERE`` + ``raise NotImplementedError()`` at the region's indentation.
    Outputs and execution counts are cleared, widget state and run metadata dropped; cell ids,
    tags, markdown and everything else are kept, so building twice gives identical bytes.
    Every solution is validated before any lab is written (each file is written atomically).
    ``--check`` writes nothing and exits 1 listing the labs that differ.

grade
    Grades submitted labs: each submission is matched to its solution by file name, a graded
    notebook is assembled from the solution's cells with the student's "exercise" cells put in
    (matched by cell id), and it is run by nbval in lax mode in a fresh kernel, one pytest
    process per submission, with a per-cell timeout. The "check" cells are the graded items;
    they always come from the solution, so deleting or editing a check earns nothing (cells
    after the last check cannot change the score and are not run). A bad
    submission (invalid JSON, a hang, an exception, a kernel crash) is recorded with its reason
    and never stops the others. Writes a CSV and a JUnit XML next to it.

This module is also the pytest plugin of the grader's child process (``-p helpers.instructor.grading``):
see ``pytest_configure`` (per-item cell ids and error names in the JUnit XML; a kernel that dies
fails the running cell at once instead of after the cell timeout).
"""

import argparse
import concurrent.futures
import contextlib
import copy
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

__all__ = [
    "LabBuildError", "make_lab", "build_labs", "build_labs_main",
    "LabSpec", "load_labs", "match_lab", "assemble", "grade_notebook", "grade_paths",
    "GradeResult", "write_csv", "write_junit", "grade_main", "CSV_COLUMNS",
]

REPO = Path(__file__).resolve().parents[2]
EXERCISE_TAG = "exercise"
CHECK_TAG = "check"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
NO_MATCH = "no matching lab in solutions/"
CSV_COLUMNS = ["notebook", "lab", "checks_passed", "checks_total", "score", "first_failure"]

_MARKER = re.compile(r"^(?P<indent>[ \t]*)#+[ \t]*(?P<kind>BEGIN|END)[ \t]+SOLUTION[ \t]*$")
# cell metadata written by a kernel run or a front end's timing extension: not part of a lab
_RUN_CELL_METADATA = ("execution", "ExecuteTime")
# notebook metadata that depends on the run (widget state) or on the Python that ran it
_RUN_NB_METADATA = ("widgets",)


# ============================================================================== build-labs

class LabBuildError(ValueError):
    """A solution notebook cannot be turned into a lab (the message says where and why)."""


def _tags(cell):
    tags = cell.get("metadata", {}).get("tags", [])
    return tags if isinstance(tags, list) else []


def _replace_regions(source, where):
    """Return ``(new_source, n_regions)`` with every solution region of one cell replaced."""
    out, begin, indent, n = [], None, "", 0
    lines = source.splitlines()
    for lineno, line in enumerate(lines, start=1):
        m = _MARKER.match(line)
        if m is None:
            if begin is None:
                out.append(line)
            continue
        if m["kind"] == "BEGIN":
            if begin is not None:
                raise LabBuildError(f"{where}, line {lineno}: '### BEGIN SOLUTION' inside the "
                                    f"region opened on line {begin} (missing '### END SOLUTION')")
            begin, indent = lineno, m["indent"]
        else:
            if begin is None:
                raise LabBuildError(f"{where}, line {lineno}: '### END SOLUTION' without a "
                                    "matching '### BEGIN SOLUTION' before it")
            out.extend(indent + s for s in STUB)
            begin, n = None, n + 1
    if begin is not None:
        raise LabBuildError(f"{where}, line {begin}: '### BEGIN SOLUTION' is never closed "
                            "(add '### END SOLUTION')")
    text = "\n".join(out)
    return (text + "\n" if source.endswith("\n") and out else text), n


def _clean_metadata(nb):
    for key in _RUN_NB_METADATA:
        nb.metadata.pop(key, None)
    info = nb.metadata.get("language_info")
    if isinstance(info, dict):
        info.pop("version", None)  # the Python that executed the solution, not the lab's


def make_lab(solution, name="<solution>"):
    """The lab made from a solution notebook (a NotebookNode; ``solution`` is not modified).

    Raises ``LabBuildError`` naming the notebook, the cell id and the line of a bad marker, and
    for cells without ids (the grader maps a submission's cells to the solution's by id).
    """
    nb = copy.deepcopy(solution)
    if (nb.nbformat, nb.nbformat_minor) < (4, 5):
        raise LabBuildError(f"{name}: nbformat {nb.nbformat}.{nb.nbformat_minor} has no cell "
                            "ids; save it as nbformat 4.5 or newer (the grader matches cells "
                            "by id)")
    seen = set()
    for index, cell in enumerate(nb.cells):
        cid = cell.get("id")
        if not cid:
            raise LabBuildError(f"{name}: cell {index} has no id")
        if cid in seen:
            raise LabBuildError(f"{name}: cell id {cid!r} is used twice")
        seen.add(cid)
        where = f"{name}, cell {cid!r} (cell {index})"
        if cell.cell_type != "code":
            if any(_MARKER.match(line) for line in cell.source.splitlines()):
                raise LabBuildError(f"{where}: solution markers are only allowed in code cells")
        else:
            cell.source, _ = _replace_regions(cell.source, where)
            cell.outputs = []
            cell.execution_count = None
        for key in _RUN_CELL_METADATA:
            cell.metadata.pop(key, None)
    _clean_metadata(nb)
    return nb


def _solution_files(solutions_dir):
    return sorted(p for p in Path(solutions_dir).glob("*.ipynb") if p.is_file())


def _read_solution(path):
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception as exc:  # invalid JSON, not a notebook, ...
        raise LabBuildError(f"{path}: cannot read the notebook ({type(exc).__name__}: "
                            f"{_first_line(str(exc))})") from exc


def notebook_bytes(nb):
    """The exact bytes nbformat writes for ``nb`` (1-space indent, sorted keys, final newline)."""
    text = nbformat.writes(nb)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def render_labs(solutions_dir):
    """``{file name: lab bytes}`` for every solution; every solution is validated first."""
    rendered, errors = {}, []
    for path in _solution_files(solutions_dir):
        try:
            solution = _read_solution(path)
            lab = make_lab(solution, name=str(path))
            nbformat.validate(lab)
            rendered[path.name] = notebook_bytes(lab)
        except LabBuildError as exc:
            errors.append(str(exc))
        except nbformat.ValidationError as exc:
            errors.append(f"{path}: the lab would not be a valid notebook: {_first_line(str(exc))}")
    if errors:
        raise LabBuildError("\n".join(errors))
    return rendered


def _show(path):
    """A path as the user would type it: relative to the working directory when inside it."""
    path = Path(path)
    with contextlib.suppress(ValueError, OSError):
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    return str(path)


def _atomic_write(path, data):
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def build_labs(solutions_dir, labs_dir, check=False):
    """Write (or with ``check=True`` only compare) the labs. Returns ``(changed, stale)``:
    lab file names that differ from what is (or would be) written, and lab notebooks that have
    no solution any more (reported, never deleted)."""
    rendered = render_labs(solutions_dir)
    labs_dir = Path(labs_dir)
    changed = []
    for name, data in rendered.items():
        target = labs_dir / name
        if not target.is_file() or target.read_bytes() != data:
            changed.append(name)
    stale = sorted(p.name for p in labs_dir.glob("*.ipynb") if p.name not in rendered) \
        if labs_dir.is_dir() else []
    if not check:
        labs_dir.mkdir(parents=True, exist_ok=True)
        for name in changed:
            _atomic_write(labs_dir / name, rendered[name])
    return changed, stale


def build_labs_main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m helpers build-labs",
        description="Write labs/ from solutions/: solution regions become "
                    "'# YOUR CODE HERE' + 'raise NotImplementedError()', outputs are cleared.")
    parser.add_argument("--solutions", type=Path, default=REPO / "solutions",
                        help="folder of solved notebooks (default: %(default)s)")
    parser.add_argument("--labs", type=Path, default=REPO / "labs",
                        help="folder the labs are written to (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 listing the labs that are out of date")
    args = parser.parse_args(argv)
    if not args.solutions.is_dir():
        parser.error(f"--solutions: no such folder: {args.solutions}")
    try:
        changed, stale = build_labs(args.solutions, args.labs, check=args.check)
    except LabBuildError as exc:
        print(f"build-labs: nothing written:\n{exc}", file=sys.stderr)
        return 1
    for name in stale:
        print(f"warning: {_show(args.labs / name)} has no solution in {_show(args.solutions)} "
              "(delete it if the lab was removed)", file=sys.stderr)
    if args.check:
        if changed or stale:
            print("labs out of date (run `python -m helpers build-labs`):", file=sys.stderr)
            for name in changed:
                print(f"  {_show(args.labs / name)}", file=sys.stderr)
            for name in stale:
                print(f"  {_show(args.labs / name)} (no solution)", file=sys.stderr)
            return 1
        print(f"labs up to date ({len(_solution_files(args.solutions))} notebooks)")
        return 0
    for name in changed:
        print(f"wrote {_show(args.labs / name)}")
    if not changed:
        print(f"labs already up to date ({len(_solution_files(args.solutions))} notebooks)")
    return 0


# ============================================================================== grading: labs

@dataclass
class LabSpec:
    """What the grader needs of one lab: its name, the lab notebook made from the solution,
    and the ids of its exercise and check cells (in notebook order)."""
    name: str
    solution_path: Path
    lab: object  # NotebookNode
    exercise_ids: list
    check_ids: list


def _is_exercise(cell, solution_cell):
    """An exercise cell: tagged "exercise", or (authoring slip) holding solution markers."""
    if EXERCISE_TAG in _tags(cell):
        return True
    return solution_cell.cell_type == "code" and any(
        _MARKER.match(line) for line in solution_cell.source.splitlines())


def load_labs(solutions_dir):
    """``{lab name: LabSpec}`` for every solution in ``solutions_dir``."""
    specs = {}
    for path in _solution_files(solutions_dir):
        solution = _read_solution(path)
        lab = make_lab(solution, name=str(path))
        exercises, checks = [], []
        for cell, sol_cell in zip(lab.cells, solution.cells):
            if cell.cell_type != "code":
                continue
            if CHECK_TAG in _tags(cell):
                checks.append(cell.id)
            elif _is_exercise(cell, sol_cell):
                exercises.append(cell.id)
        specs[path.stem] = LabSpec(path.stem, path, lab, exercises, checks)
    return specs


def match_lab(filename, lab_names):
    """The lab a submission belongs to, from its file name, or None.

    ``02_tanh_network-alice.ipynb`` or ``alice_02_tanh_network.ipynb`` (the lab's name inside
    the file name, case-insensitive; the longest wins) or ``02-alice.ipynb`` (the lab's number
    prefix, ``NN_``) -> ``02_tanh_network``.
    """
    stem = Path(filename).stem.lower()
    contained = [lab for lab in lab_names if lab.lower() in stem]
    if contained:
        return max(contained, key=len)
    m = re.match(r"^(\d+)(?:[_\-. ]|$)", stem)
    if m:
        number = int(m.group(1))
        numbered = [lab for lab in lab_names
                    if re.match(r"^\d+", lab) and int(re.match(r"^\d+", lab).group()) == number]
        if len(numbered) == 1:
            return numbered[0]
    return None


def read_submission(path):
    """Read a submitted notebook; raises ValueError with a short reason when it is not one."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("invalid notebook: not UTF-8 text") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid notebook: invalid JSON ({exc.msg} at line {exc.lineno}, "
                         f"column {exc.colno})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ValueError("invalid notebook: the JSON is not a notebook (no list of cells)")
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            nb = nbformat.reads(text, as_version=4)
        for cell in nb.cells:
            cell.cell_type, cell.source  # noqa: B018 - every cell must have these
    except Exception as exc:
        raise ValueError(f"invalid notebook: {type(exc).__name__}: "
                         f"{_first_line(str(exc))}") from exc
    return nb


def assemble(spec, submission):
    """The notebook that is run to grade ``submission`` (a NotebookNode) against ``spec``.

    Every cell is the lab's (generated from the solution: no solution code, outputs cleared),
    except the exercise cells: each is replaced by the source of the submission's cell with the
    same id. If that id is gone (cell deleted, or pasted anew) and the submission has exactly as
    many "exercise"-tagged cells as the lab, the one in the same position is used; otherwise the
    lab's unsolved cell stays, so its check fails. Check cells are always the solution's.
    Returns ``(notebook, missing)``: ``missing`` lists the exercise ids not found.
    """
    nb = copy.deepcopy(spec.lab)
    by_id = {}
    for cell in submission.cells:
        cid = cell.get("id")
        if cid and cid not in by_id:
            by_id[cid] = cell
    tagged = [c for c in submission.cells if c.cell_type == "code" and EXERCISE_TAG in _tags(c)]
    position = {cid: i for i, cid in enumerate(spec.exercise_ids)}
    missing = []
    for cell in nb.cells:
        if cell.id not in position:
            continue
        student = by_id.get(cell.id)
        if student is None and len(tagged) == len(spec.exercise_ids):
            student = tagged[position[cell.id]]
        if student is None or student.cell_type != "code" or CHECK_TAG in _tags(student):
            missing.append(cell.id)
            continue
        cell.source = student.source
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb, missing


# ============================================================================== grading: running

@dataclass
class CheckResult:
    cell_id: str
    passed: bool
    message: str = ""  # "" when passed


@dataclass
class GradeResult:
    """One row of the grades CSV (+ the per-check details for the JUnit XML)."""
    notebook: str
    lab: str = ""
    checks: list = field(default_factory=list)  # CheckResult, one per check of the solution
    error: str = ""  # why the notebook could not be graded normally (whole-notebook failure)
    seconds: float = 0.0

    @property
    def checks_total(self):
        return len(self.checks)

    @property
    def checks_passed(self):
        return sum(c.passed for c in self.checks)

    @property
    def score(self):
        return self.checks_passed / self.checks_total if self.checks_total else 0.0

    @property
    def first_failure(self):
        for check in self.checks:
            if not check.passed:
                return f"{check.cell_id}: {check.message}"
        return self.error

    def row(self):
        return {"notebook": self.notebook, "lab": self.lab, "checks_passed": self.checks_passed,
                "checks_total": self.checks_total, "score": round(self.score, 4),
                "first_failure": self.first_failure}


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _first_line(text, limit=300):
    for line in _ANSI.sub("", str(text)).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 3] + "..."
    return ""


# ``python -m pytest`` with one change: jsonschema's optional IRI format checker (the package
# rfc3987_syntax, imported by nbformat's validator) builds a parser at import time, several
# seconds per notebook on a busy 2-core machine; notebook validation never uses it.
_PYTEST_BOOT = ("import sys; sys.modules.setdefault('rfc3987_syntax', None); import pytest; "
                "sys.exit(pytest.main(sys.argv[1:]))")


def _pytest_command(nb_path, xml_path, ini_path, cell_timeout):
    return [sys.executable, "-c", _PYTEST_BOOT, str(nb_path), "--nbval-lax", "--nbval-current-env",
            "--nbval-cell-timeout", str(cell_timeout), "-p", "no:cacheprovider",
            "-p", "no:randomly", "-p", "helpers.instructor.grading", "-c", str(ini_path),
            "--rootdir", str(Path(nb_path).parent), "-o", "addopts=",
            "-o", "junit_family=xunit1", "--junitxml", str(xml_path), "-q"]


def _child_env(workdir, single_thread):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["JUPYTER_RUNTIME_DIR"] = str(Path(workdir) / "runtime")
    env["HELPERS_GRADE_KERNEL_PIDFILE"] = str(Path(workdir) / "kernel.pid")
    env["HELPERS_GRADE_PROGRESS"] = str(Path(workdir) / "progress.jsonl")
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    if single_thread:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = "1"
    return env


def _kill_tree(proc, pidfile):
    """Kill a timed-out grading run: the kernel (its own session) first, then pytest's group."""
    with contextlib.suppress(OSError, ValueError):
        kernel_pid = int(Path(pidfile).read_text().strip())
        if hasattr(os, "killpg") and os.getpgid(kernel_pid) == kernel_pid:
            os.killpg(kernel_pid, signal.SIGKILL)
        else:
            os.kill(kernel_pid, signal.SIGTERM)
    with contextlib.suppress(OSError):
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=30)


def _workdir_parent(spec):
    """Where the graded notebook runs: a scratch folder next to the solutions folder (same
    depth, so relative paths such as ../data resolve as they do for the solution), or the
    system's temporary folder if that one is not writable."""
    parent = spec.solution_path.resolve().parent.parent
    return parent if os.access(parent, os.W_OK) else None


def _parse_junit(xml_path):
    """``{item number: (outcome, message, properties)}`` from nbval's JUnit XML and the first
    collection/setup error (or "")."""
    root = ET.parse(xml_path).getroot()
    items, general = {}, ""
    for case in root.iter("testcase"):
        props = {p.get("name"): p.get("value", "") for p in case.iter("property")}
        outcome, message = "passed", ""
        for tag in ("failure", "error", "skipped"):
            node = case.find(tag)
            if node is not None:
                outcome = "failed" if tag != "skipped" else "skipped"
                message = node.get("message") or (node.text or "")
                break
        m = re.fullmatch(r"Cell (\d+)", case.get("name", ""))
        if m is None:
            if outcome != "passed" and not general:
                general = _first_line(case.findtext("error") or case.findtext("failure")
                                      or message)
            continue
        items[int(m.group(1))] = (outcome, message, props)
    return items, general


def _read_progress(path):
    """The items the child reported one by one (``pytest_runtest_logreport``), same form as
    ``_parse_junit``'s; used when the run was killed before it could write its XML."""
    items = {}
    with contextlib.suppress(OSError):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError, KeyError, TypeError):
                entry = json.loads(line)
                items[int(entry["n"])] = (entry["outcome"], entry["message"], entry["props"])
    return items


def _item_reason(outcome, message, props):
    """A one-line reason for a failed item, e.g. 'CheckFailed: predict: expected ...'."""
    if "Kernel dead on test start" in props.get("reason", message):
        return "not run: the kernel is dead"
    if props.get("ename"):
        ename = props["ename"]
        if ename == "KeyboardInterrupt" and "Timeout" in props.get("reason", ""):
            return _first_line(props["reason"])
        return f"{ename}: {_first_line(props.get('evalue', ''))}".rstrip(": ")
    if props.get("reason"):
        return _first_line(props["reason"].removeprefix("pytest plugin exception: "))
    if outcome == "skipped":
        return _first_line(message) or "not run"
    return _first_line(message.removeprefix("pytest plugin exception: ")) or "failed"


def _notebook_event(reason):
    """A whole-notebook event (timeout, dead kernel) in a cell's failure, or None."""
    low = reason.lower()
    if ("timeout" in low and "exceeded" in low) or "timed out" in low:
        return "timed out"
    if "kernel died" in low or "kernel is dead" in low:
        return "kernel died"
    return None


def grade_notebook(spec, submission_nb, display, cell_timeout=300, timeout=None,
                   single_thread=False):
    """Grade one (already read) submission against ``spec``; never raises."""
    result = GradeResult(notebook=display, lab=spec.name)
    start = time.monotonic()
    workdir = None
    try:
        nb, _missing = assemble(spec, submission_nb)
        # cells after the last check cannot change the score: they are not run
        last = max((i for i, c in enumerate(nb.cells) if CHECK_TAG in _tags(c)), default=-1)
        nb.cells = nb.cells[: last + 1]
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        if not code_cells:
            result.error = "the lab has no check cells"
            return result
        if timeout is None:
            timeout = cell_timeout * (len(code_cells) + 2) + 60
        parent = _workdir_parent(spec)
        try:
            workdir = Path(tempfile.mkdtemp(prefix=".grading-", dir=parent))
        except OSError:
            workdir = Path(tempfile.mkdtemp(prefix="grading-"))
        nb_path = workdir / f"{spec.name}.ipynb"
        nb_path.write_bytes(notebook_bytes(nb))
        (workdir / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        xml_path = workdir / "junit.xml"
        env = _child_env(workdir, single_thread)
        popen_kw = ({"start_new_session": True} if os.name == "posix"
                    else {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)})
        with open(workdir / "stdout.txt", "wb") as out, open(workdir / "stderr.txt", "wb") as err:
            proc = subprocess.Popen(
                _pytest_command(nb_path, xml_path, workdir / "pytest.ini", cell_timeout),
                cwd=str(workdir), env=env, stdout=out, stderr=err,
                stdin=subprocess.DEVNULL, **popen_kw)
            try:
                proc.wait(timeout=timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                _kill_tree(proc, env["HELPERS_GRADE_KERNEL_PIDFILE"])
                timed_out = True
        items, general, whole = {}, "", ""
        if timed_out:  # no XML: keep what the child reported cell by cell before the kill
            items = _read_progress(env["HELPERS_GRADE_PROGRESS"])
        elif xml_path.is_file():
            with contextlib.suppress(ET.ParseError):
                items, general = _parse_junit(xml_path)
        if timed_out:
            killed = f"notebook timed out after {timeout:g} s (killed)"
        elif not items:
            tail = (workdir / "stderr.txt").read_text(errors="replace").strip().splitlines()
            whole = general or (f"grader: pytest exited with code {proc.returncode}"
                                + (f": {_first_line(tail[-1])}" if tail else ""))
        # item n of nbval = the n-th code cell (0-based; markdown/raw cells are not items)
        event = ""  # the first timeout or kernel death: explains every later failure
        pending = ""  # the first failure of a non-check cell since the previous check
        for number, cell in enumerate(code_cells):
            is_check = CHECK_TAG in _tags(cell)
            if whole:
                if is_check:
                    result.checks.append(CheckResult(cell.id, False, whole))
                continue
            if number in items:
                outcome, message, props = items[number]
            elif timed_out:
                outcome, message, props = "failed", killed, {}
                killed = "not run"
            else:
                outcome, message, props = "failed", "not run", {}
            if props.get("cell_id") and props["cell_id"] != cell.id:  # nbval numbering changed?
                raise RuntimeError(f"item 'Cell {number}' is cell {props['cell_id']!r}, "
                                   f"expected {cell.id!r}")
            reason = "" if outcome == "passed" else _item_reason(outcome, message, props)
            here = f"cell {cell.id}: {reason}"
            if reason and not event and _notebook_event(reason):
                event = here
            if not is_check:
                pending = pending or (here if reason else "")
                continue
            if outcome == "passed":
                result.checks.append(CheckResult(cell.id, True))
            else:
                note = pending or (event if event != here else "")
                result.checks.append(
                    CheckResult(cell.id, False, reason + (f" [after {note}]" if note else "")))
            pending = ""
        result.error = whole or event
    except Exception as exc:  # the grader itself must never stop on one submission
        result.error = f"grader error: {type(exc).__name__}: {_first_line(str(exc))}"
        for cid in spec.check_ids[len(result.checks):]:
            result.checks.append(CheckResult(cid, False, result.error))
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
        result.seconds = time.monotonic() - start
    return result


def _failed_everywhere(spec, display, reason):
    return GradeResult(display, spec.name, [CheckResult(c, False, reason) for c in spec.check_ids],
                       error=reason)


def grade_file(path, display, specs, **kw):
    """Match, read and grade one file; never raises."""
    lab = match_lab(Path(path).name, list(specs))
    if lab is None:
        return GradeResult(display, "", [], error=NO_MATCH)
    spec = specs[lab]
    try:
        submission = read_submission(path)
    except ValueError as exc:
        return _failed_everywhere(spec, display, str(exc))
    return grade_notebook(spec, submission, display, **kw)


def find_notebooks(paths):
    """``[(path, display name)]``: files as given; folders -> every *.ipynb inside,
    recursively, sorted, skipping hidden folders such as .ipynb_checkpoints."""
    found, seen = [], set()
    for arg in paths:
        arg = Path(arg)
        if arg.is_dir():
            inside = sorted(
                (p for p in arg.rglob("*.ipynb") if p.is_file()
                 and not any(part.startswith(".") for part in p.relative_to(arg).parts)),
                key=lambda p: p.relative_to(arg).as_posix())
        else:
            inside = [arg]
        for p in inside:
            key = os.path.normcase(os.path.abspath(p))
            if key not in seen:
                seen.add(key)
                found.append((p, p.as_posix()))
    return found


def grade_paths(paths, solutions_dir=None, jobs=None, cell_timeout=300, timeout=None,
                progress=None):
    """Grade every notebook in ``paths`` (files or folders); returns GradeResults in order."""
    specs = load_labs(solutions_dir or REPO / "solutions")
    files = find_notebooks(paths)
    jobs = max(1, jobs or min(2, os.cpu_count() or 1))
    kw = {"cell_timeout": cell_timeout, "timeout": timeout, "single_thread": jobs > 1}
    results = [None] * len(files)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(grade_file, path, display, specs, **kw): i
                   for i, (path, display) in enumerate(files)}
        for future in concurrent.futures.as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            if progress:
                progress(results[i])
    return results


# ============================================================================== outputs

def write_csv(results, path):
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in results:
        writer.writerow(r.row())
    _atomic_write(path, buf.getvalue().encode("utf-8"))


def write_junit(results, path):
    """One testcase per check per submission (classname = the notebook, name = the check's cell
    id); a submission that matches no lab gets one failing testcase named "match"."""
    suite = ET.Element("testsuite", name="grading")
    tests = failures = 0
    for r in results:
        cases = r.checks or [CheckResult("match", False, r.error or "no checks")]
        for check in cases:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=r.notebook, name=check.cell_id)
            if not check.passed:
                failures += 1
                ET.SubElement(case, "failure", message=check.message).text = check.message
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    _atomic_write(path, data)


def _summary(results):
    rows = [(r.notebook, r.lab or "-", f"{r.checks_passed}/{r.checks_total}", f"{r.score:.2f}",
             f"{r.seconds:.0f}s", _first_line(r.first_failure, 70) or "-") for r in results]
    head = ("notebook", "lab", "checks", "score", "time", "first failure")
    widths = [max(len(x[i]) for x in [head, *rows]) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[5]
             for row in [head, *rows]]
    return "\n".join(lines)


def grade_main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m helpers grade",
        description="Grade submitted labs into a CSV (and a JUnit XML next to it).")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help="submitted notebooks, or folders searched recursively for *.ipynb")
    parser.add_argument("--out", type=Path, default=Path("grades.csv"),
                        help="CSV to write (default: %(default)s); the JUnit XML goes next to "
                             "it with the suffix .xml")
    parser.add_argument("--solutions", type=Path, default=REPO / "solutions",
                        help="folder of solved labs (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="notebooks graded in parallel (default: %(default)s)")
    parser.add_argument("--cell-timeout", type=float, default=300,
                        help="seconds one cell may run (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds one notebook may run in total "
                             "(default: cell timeout x (code cells + 2) + 60)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        parser.error(f"PATH: no such file or folder: {', '.join(missing)}")
    if not args.solutions.is_dir():
        parser.error(f"--solutions: no such folder: {args.solutions}")
    if args.jobs < 1:
        parser.error(f"--jobs: expected a positive number, got {args.jobs}")
    if args.cell_timeout <= 0 or (args.timeout is not None and args.timeout <= 0):
        parser.error("--cell-timeout/--timeout: expected a positive number of seconds")
    if not find_notebooks(args.paths):
        parser.error(f"PATH: no .ipynb files in {', '.join(map(str, args.paths))}")
    try:
        load_labs(args.solutions)
    except LabBuildError as exc:
        parser.error(f"--solutions: {exc}")

    def progress(r):
        if not args.quiet:
            print(f"graded {r.notebook}: {r.checks_passed}/{r.checks_total}", flush=True)

    results = grade_paths(args.paths, args.solutions, jobs=args.jobs,
                          cell_timeout=args.cell_timeout, timeout=args.timeout,
                          progress=progress)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    xml_path = args.out.with_suffix(".xml")
    write_csv(results, args.out)
    write_junit(results, xml_path)
    print(_summary(results))
    print(f"wrote {args.out} and {xml_path}")
    return 0


# ============================================================================== pytest plugin
# Loaded only in the grader's child process (``pytest -p helpers.instructor.grading``).

class KernelDiedError(RuntimeError):
    """The kernel process exited while a cell was running."""


def _install_kernel_watch():
    """Make nbval notice a dead kernel within a second (it would otherwise wait for the whole
    cell timeout) and record the kernel's pid for the grader's overall timeout."""
    try:
        from queue import Empty

        from nbval.kernel import RunningKernel
    except ImportError:  # pragma: no cover - nbval missing: pytest reports it
        return
    if getattr(RunningKernel, "_helpers_grading", False):
        return
    original_init = RunningKernel.__init__

    def patched_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        pidfile = os.environ.get("HELPERS_GRADE_KERNEL_PIDFILE")
        with contextlib.suppress(Exception):
            if pidfile:
                Path(pidfile).write_text(str(self.km.provisioner.process.pid))

    def await_reply(self, msg_id, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait = 1.0 if deadline is None else min(1.0, max(0.01, deadline - time.monotonic()))
            try:
                msg = self.get_message(stream="shell", timeout=wait)
            except Empty:
                if not self.is_alive():
                    code = None
                    with contextlib.suppress(Exception):
                        code = self.km.provisioner.process.poll()
                    raise KernelDiedError(
                        "kernel died while running the cell"
                        + (f" (exit code {code})" if code is not None else "")) from None
                if deadline is not None and time.monotonic() >= deadline:
                    raise
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                if msg["content"]["status"] == "aborted":
                    raise RuntimeError("Kernel aborted execution request")
                return

    RunningKernel.__init__ = patched_init
    RunningKernel.await_reply = await_reply
    RunningKernel._helpers_grading = True


def _cell_reporter():
    import pytest

    class CellReporter:
        """Adds the cell id, the error's name and value and the failure reason of every nbval
        item to its JUnit testcase (as properties)."""

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_makereport(self, item, call):
            cell = getattr(item, "cell", None)
            if cell is not None and call.when == "call":
                item.user_properties.append(("cell_id", cell.get("id", "")))
                for out in getattr(item, "test_outputs", None) or []:
                    if out.get("output_type") == "error":
                        item.user_properties.append(("ename", out.get("ename", "")))
                        item.user_properties.append(("evalue", out.get("evalue", "")))
                        break
                if call.excinfo is not None:
                    item.user_properties.append(("reason", _first_line(call.excinfo.value)))
            yield

        def pytest_runtest_logreport(self, report):
            path = os.environ.get("HELPERS_GRADE_PROGRESS")
            m = re.search(r"::Cell (\d+)$", report.nodeid)
            if (not path or m is None or report.when == "teardown"
                    or (report.when == "setup" and report.passed)):
                return
            entry = {"n": int(m.group(1)), "outcome": report.outcome,
                     "message": _first_line(getattr(report, "wasxfail", "")
                                            or report.longreprtext),
                     "props": {str(k): str(v) for k, v in report.user_properties}}
            with open(path, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")

    return CellReporter()


def pytest_configure(config):
    """pytest hook: active only when this module is loaded as a plugin (the grader's child)."""
    _install_kernel_watch()
    config.pluginmanager.register(_cell_reporter(), "helpers-grading-cells")
