"""Grading submissions: run each in a sandboxed kernel, then decide every check in the grader.

For one submission (``grade_notebook``): the submission's code cells run in order in a fresh
sandboxed kernel (``labs.plan``: no check cells, not the solution's cells after its last
check), each with a timeout, continuing after errors, as the student ran them in Jupyter (the
last definition run wins). Then every check cell of the SOLUTION is evaluated here, in the
grader's process: its check functions get proxies of the student's names
(``helpers.checks.remote``) and a check passes iff the function returns normally. A folder
(``grade_paths``) is graded ``jobs`` submissions at a time; each result is appended to a
journal (JSON lines) as soon as it is known, so a killed run keeps what it graded and
``resume`` grades only the rest; ``shard=(k, n)`` grades the k-th of n deterministic slices.
Omits: writing the CSV, XML and feedback files (``report``).
"""

import concurrent.futures
import contextlib
import io
import json
import os
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from helpers.checks.core import CheckFailed
from helpers.checks.remote import MISSING, Channel
from helpers.data import data_dir, mnist_csv

from .build_labs import REPO, first_line
from .kernel import KernelGoneError, StudentKernel, kernel_env
from .labs import flags, match_lab, other_lab, plan, read_submission
from .sandbox import Limits, Sandbox

__all__ = ["Options", "CheckResult", "GradeResult", "grade_notebook", "grade_file",
           "find_notebooks", "grade_paths", "read_journal", "NO_MATCH"]

NO_MATCH = "no matching lab in solutions/"


@dataclass
class Options:
    """How to grade: timeouts (seconds), limits, what to hide, and whether to sandbox."""
    cell_timeout: float = 300.0
    call_timeout: float = 60.0
    timeout: float = 1800.0  # one submission in total
    limits: Limits = field(default_factory=Limits)
    hide: tuple = ()
    unsafe: bool = False
    single_thread: bool = False


@dataclass
class CheckResult:
    """One graded check cell: its verdict, points, and the message the student would see."""
    cell_id: str
    passed: bool
    points: float
    max_points: float
    message: str = ""


@dataclass
class GradeResult:
    """One submission's grade: a CSV row plus the per-check details."""
    notebook: str
    student: str
    lab: str = ""
    checks: list = field(default_factory=list)
    error: str = ""
    flags: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def points(self):
        return sum(c.points for c in self.checks)

    @property
    def max_points(self):
        return sum(c.max_points for c in self.checks)

    @property
    def checks_passed(self):
        return sum(c.passed for c in self.checks)

    @property
    def first_failure(self):
        for check in self.checks:
            if not check.passed:
                return f"{check.cell_id}: {first_line(check.message)}"
        return self.error

    def to_json(self):
        return asdict(self)

    @classmethod
    def from_json(cls, data):
        data = dict(data)
        data["checks"] = [CheckResult(**c) for c in data.get("checks", [])]
        return cls(**data)


# -------------------------------------------------------------------------- stdout per thread

class _ThreadStdout(io.TextIOBase):
    """sys.stdout that a thread can redirect to its own buffer (checks print their success
    line; two submissions are graded at once)."""

    def __init__(self, real):
        self.real = real
        self.local = threading.local()

    def write(self, text):
        target = getattr(self.local, "buffer", None)
        return (target or self.real).write(text)

    def flush(self):
        if getattr(self.local, "buffer", None) is None:
            self.real.flush()


@contextlib.contextmanager
def _captured():
    if not isinstance(sys.stdout, _ThreadStdout):
        sys.stdout = _ThreadStdout(sys.stdout)
    buffer = io.StringIO()
    sys.stdout.local.buffer = buffer
    try:
        yield buffer
    finally:
        sys.stdout.local.buffer = None


# -------------------------------------------------------------------------- one submission

def _evaluate(spec, channel, first_error=""):
    """Run every check of the solution against the student's kernel: CheckResults.
    ``first_error``: the first cell that failed, named when a checked name is missing."""
    results = []
    for check in spec.checks:
        messages, ok = [], True
        for call in check.calls:
            with _captured() as out:
                try:
                    args = []
                    for name in call.names:
                        value = channel.lookup(name)
                        if value is MISSING:
                            raise CheckFailed(
                                f"{name} is not defined in your notebook: write it in its "
                                "exercise cell and run that cell (and the cells above it)"
                                + (f"\n  note:     {first_error}" if first_error else ""))
                        args.append(value)
                    call.function(*args)
                except CheckFailed as exc:
                    ok = False
                    messages.append(str(exc))
                except Exception as exc:  # a check that broke on a strange value: a failure
                    ok = False
                    messages.append(f"{call.function.__name__}: the check could not use what "
                                    f"your code gave ({type(exc).__name__}: {first_line(exc)})")
                else:
                    messages.append(out.getvalue().strip())
            if not ok:
                break
        results.append(CheckResult(check.cell_id, ok, check.points if ok else 0,
                                   check.points, "\n".join(m for m in messages if m)))
    return results


def _failed(spec, display, student, reason, **extra):
    checks = [CheckResult(c.cell_id, False, 0, c.points, reason) for c in spec.checks]
    return GradeResult(display, student, spec.name, checks, error=reason, **extra)


def grade_notebook(spec, submission, display, student, options):
    """Grade one (already read) submission against ``spec``; never raises."""
    start = time.monotonic()
    deadline = start + options.timeout
    notes = flags(spec, submission)
    cells, missing = plan(spec, submission)
    notes += [f"exercise cell missing: {cid}" for cid in missing]
    sandbox = kernel = None
    error = ""
    try:
        data = [d for d in (data_dir(),) if d.is_dir()]  # lab 04 reads the MNIST CSVs
        sandbox = Sandbox(options.limits, hide=options.hide, unsafe=options.unsafe,
                          env=kernel_env(REPO, options.single_thread), keep=data)
        kernel = StudentKernel(sandbox)
        kernel.start()
        for label, source in cells:
            left = deadline - time.monotonic()
            if left <= 0:
                error = error or f"the notebook ran longer than {options.timeout:g} s"
                break
            failure = kernel.run_cell(source, min(options.cell_timeout, left))
            if failure and not error:
                error = f"cell {label}: {failure}"
        channel = Channel(lambda text, t: kernel.send(
            text, max(1.0, min(t, deadline - time.monotonic()))), timeout=options.call_timeout)
        checks = _evaluate(spec, channel, error)
        result = GradeResult(display, student, spec.name, checks, error, notes)
    except KernelGoneError as exc:
        result = _failed(spec, display, student, f"{exc} [after {error}]" if error else str(exc),
                         flags=notes)
    except Exception as exc:  # the grader itself must never stop on one submission
        result = _failed(spec, display, student,
                         f"grader error: {type(exc).__name__}: {first_line(exc)}", flags=notes)
    finally:
        if kernel is not None:
            kernel.stop()
        elif sandbox is not None:
            sandbox.stop()
    result.seconds = round(time.monotonic() - start, 2)
    return result


def grade_file(path, display, student, specs, options):
    """Match, read and grade one file; never raises."""
    lab = match_lab(Path(path).name, list(specs))
    if lab is None:
        return GradeResult(display, student, "", [], error=NO_MATCH)
    spec = specs[lab]
    try:
        submission = read_submission(path)
    except ValueError as exc:
        return _failed(spec, display, student, str(exc))
    other = other_lab(spec, specs, submission)
    if other:
        return _failed(spec, display, student, f"this is the notebook of lab {other}, not "
                                               f"{spec.name} (its cells are {other}'s)")
    return grade_notebook(spec, submission, display, student, options)


# -------------------------------------------------------------------------- a folder

def find_notebooks(paths):
    """``[(path, display name, student)]``: files as given; folders -> every *.ipynb inside,
    recursively, sorted, skipping hidden folders such as .ipynb_checkpoints. The student is
    the first folder under the graded folder, else the file's stem."""
    found, seen = [], set()
    for arg in map(Path, paths):
        if arg.is_dir():
            inside = sorted((p for p in arg.rglob("*.ipynb") if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(arg).parts)),
                key=lambda p: p.relative_to(arg).as_posix())
            rows = [(p, p.relative_to(arg).parts) for p in inside]
        else:
            rows = [(arg, (arg.name,))]
        for p, parts in rows:
            key = os.path.normcase(os.path.abspath(p))
            if key not in seen:
                seen.add(key)
                found.append((p, p.as_posix(), parts[0] if len(parts) > 1 else p.stem))
    return found


def read_journal(path):
    """The GradeResults of a journal (a killed run's last, partial line is ignored)."""
    results = {}
    with contextlib.suppress(FileNotFoundError):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError, TypeError, KeyError):
                r = GradeResult.from_json(json.loads(line))
                results[r.notebook] = r
    return results


def grade_paths(paths, specs, options, jobs=2, journal=None, resume=False, shard=(1, 1),
                progress=None):
    """Grade every notebook in ``paths``; returns the GradeResults sorted by notebook."""
    k, n = shard
    if not (isinstance(k, int) and isinstance(n, int) and 1 <= k <= n):
        raise ValueError(f"shard: expected (K, N) with 1 <= K <= N, got {shard!r}")
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs: expected a positive int, got {jobs!r}")
    files = find_notebooks(paths)
    files = [f for i, f in enumerate(files) if i % n == k - 1]
    done = read_journal(journal) if (journal and resume) else {}
    if journal and not resume:
        Path(journal).write_text("", encoding="utf-8")
    elif journal and Path(journal).is_file():
        with open(journal, "rb+") as f:  # a killed run's torn last line: end it
            if f.seek(0, os.SEEK_END) > 0:
                f.seek(-1, os.SEEK_END)
                if f.read(1) != b"\n":
                    f.write(b"\n")
    todo = [f for f in files if f[1] not in done]
    if any(match_lab(Path(f[0]).name, list(specs)) == "04_dropout_mnist" for f in todo):
        mnist_csv()  # lab 04 reads the CSVs: made here, the sandbox cannot write data/
    lock = threading.Lock()
    results = {name: r for name, r in done.items() if name in {f[1] for f in files}}

    def one(item):
        path, display, student = item
        result = grade_file(path, display, student, specs, options)
        with lock:
            results[display] = result
            if journal:
                with open(journal, "a", encoding="utf-8") as f:
                    f.write(json.dumps(result.to_json()) + "\n")
            if progress:
                progress(result)
        return result

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, todo))
    return [results[name] for name in sorted(results)]
