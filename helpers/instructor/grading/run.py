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
from helpers.checks.remote import MISSING, Channel, RemoteObject
from helpers.data import data_dir, mnist_csv

from .build_labs import REPO, first_line
from .kernel import KernelGoneError, StudentKernel, kernel_env, kernel_hidden
from .labs import other_lab, plan, references_used
from .sandbox import Limits, Sandbox
from .submissions import duplicates, find_notebooks, match_lab, read_submission, refusal

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

def _origin(spec, value):
    """The course's implementation ``value`` is, by where the kernel says it was defined
    (``RemoteObject.student_origin``), or ''."""
    origin = getattr(value, "student_origin", "") if isinstance(value, RemoteObject) else ""
    hits = [r for r in spec.references if origin == r or origin.startswith(r + ".")]
    return origin if hits else ""


def _evaluate(spec, channel, first_error="", borrowed=(), notes=None):
    """Run every check of the solution against the student's kernel: CheckResults.
    ``first_error``: the first cell that failed, named when a checked name is missing;
    ``borrowed``: ``labs.references_used``: a check of a name given by a cell that uses the
    course's own implementation scores 0, saying so; so does a name whose function or class
    the kernel says was defined in the course's implementation (``notes`` gets a flag)."""
    results = []
    for check in spec.checks:
        used = [(label, refs) for label, refs, names in borrowed if names & check.names]
        if used:
            label, refs = used[0]
            results.append(CheckResult(check.cell_id, False, 0, check.points,
                                       f"{label} uses the course's own implementation "
                                       f"({', '.join(refs)}): write it yourself for the "
                                       "points of this check"))
            continue
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
                        origin = _origin(spec, value)
                        if origin:
                            if notes is not None and f"{name} is {origin}" not in notes:
                                notes.append(f"{name} is {origin}")
                            raise CheckFailed(f"{name} is the course's own implementation "
                                              f"({origin}): write it yourself for the "
                                              "points of this check")
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


def grade_notebook(spec, submission, display, student, options, notes=()):
    """Grade one (already read) submission against ``spec``; never raises. Everything about
    it, the static passes included, is inside this one failure boundary."""
    start = time.monotonic()
    deadline = start + options.timeout
    notes = list(notes)
    sandbox = kernel = None
    error = ""
    try:
        borrowed = references_used(spec, submission)
        notes += [f"{label} uses {', '.join(refs)}" for label, refs, _ in borrowed]
        cells, missing, planned = plan(spec, submission)
        notes += planned + [f"exercise cell missing: {cid}" for cid in missing]
        data = [d for d in (data_dir(),) if d.is_dir()]  # lab 04 reads the MNIST CSVs
        sandbox = Sandbox(options.limits, hide=options.hide + kernel_hidden(),
                          unsafe=options.unsafe, env=kernel_env(REPO, options.single_thread),
                          keep=data)
        kernel = StudentKernel(sandbox)
        kernel.start()
        for label, source in cells:
            left = deadline - time.monotonic()
            if left <= 0:
                error = error or f"the notebook ran longer than {options.timeout:g} s"
                break
            failure = kernel.run_cell(source, min(options.cell_timeout, left))
            if failure and not error:
                error = f"{label}: {failure}"
        channel = Channel(lambda text, t: kernel.send(
            text, max(1.0, min(t, deadline - time.monotonic()))), timeout=options.call_timeout)
        checks = _evaluate(spec, channel, error, borrowed, notes)
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


def grade_file(path, display, student, specs, options, notes=()):
    """Refuse (links, devices), match, read and grade one file; never raises: whatever goes
    wrong is this submission's row, with the reason."""
    notes = list(notes)
    lab = spec = None
    try:
        lab = match_lab(Path(path).name, list(specs))
        spec = specs.get(lab)
        why = refusal(path)
        if why:
            return _failed(spec, display, student, why, flags=notes) if spec else \
                GradeResult(display, student, "", [], error=why, flags=notes)
        if spec is None:
            return GradeResult(display, student, "", [], error=NO_MATCH, flags=notes)
        try:
            submission = read_submission(path)
        except ValueError as exc:
            return _failed(spec, display, student, str(exc), flags=notes)
        other = other_lab(spec, specs, submission)
    except Exception as exc:  # MemoryError, RecursionError...: this submission's row
        reason = f"grader error: {type(exc).__name__}: {first_line(exc)}"
        return _failed(spec, display, student, reason, flags=notes) if spec else \
            GradeResult(display, student, lab or "", [], error=reason, flags=notes)
    if other:
        return _failed(spec, display, student, f"this is the notebook of lab {other}, not "
                                               f"{spec.name} (its cells are {other}'s)",
                       flags=notes)
    return grade_notebook(spec, submission, display, student, options, notes)


# -------------------------------------------------------------------------- a folder

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
    twins = duplicates(files, list(specs))  # over all files: the same flags in every shard
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
        notes = [twins[display]] if display in twins else []
        result = grade_file(path, display, student, specs, options, notes)
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
