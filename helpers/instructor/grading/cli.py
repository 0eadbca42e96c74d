"""``python -m helpers grade``: grade a folder of submitted labs (and ``grade merge``).

    python -m helpers grade submissions/ --out grades/grades.csv
    python -m helpers grade submissions/ --out part1.csv --shard 1/4      # one CI job of four
    python -m helpers grade merge grades.csv part1.csv part2.csv ...
    python -m helpers grade one.ipynb --gradescope /autograder/results/results.json
    python -m helpers grade /grade/student/lab.ipynb --prairielearn /grade/results/results.json
    python -m helpers grade lab.ipynb --classroom classroom.json    # GitHub Classroom reporter
    python -m helpers grade submissions/ --gradebook gradebook.csv  # Canvas / Moodle import

Writes the CSV, a JUnit XML next to it, a feedback folder ``<stem>-feedback/`` and a journal
``<stem>.jsonl`` (one line per graded submission, written as it finishes: ``--resume`` grades
only the submissions not in it). Refuses to run without bubblewrap unless
``--unsafe-no-sandbox``. Omits: the grading itself (``run``).
"""

import argparse
import contextlib
import os
import re
import signal
import sys
import time
from pathlib import Path

from . import sanitize as safe
from .build_labs import REPO, LabBuildError
from .formats import classroom, prairielearn, write_gradebook, write_json
from .labs import load_labs
from .report import merge, summary, write_all, write_gradescope
from .run import Options, find_notebooks, grade_paths
from .sandbox import Limits, available, cleanup

__all__ = ["grade_main", "merge_main", "parse_size"]


def parse_size(text):
    """'4G', '512M', '1073741824' -> bytes (ValueError naming the expected form)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*", str(text), re.IGNORECASE)
    if m is None:
        raise ValueError(f"--memory: expected a size such as 4G or 512M, got {text!r}")
    scale = 1024 ** "_KMGT".index(m.group(2).upper() or "_")
    return int(float(m.group(1)) * scale)


def _shard(text):
    m = re.fullmatch(r"(\d+)/(\d+)", text)
    if m is None or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise argparse.ArgumentTypeError(f"expected K/N with 1 <= K <= N, got {text!r}")
    return int(m.group(1)), int(m.group(2))


def _parser():
    p = argparse.ArgumentParser(
        prog="python -m helpers grade",
        description="Grade submitted labs in sandboxed kernels: CSV, JUnit XML, feedback "
                    "files. `python -m helpers grade merge OUT PARTS...` merges shards.")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help="submitted notebooks, or folders searched recursively for *.ipynb")
    p.add_argument("--out", type=Path, default=Path("grades.csv"),
                   help="CSV to write (default: %(default)s); XML, journal and feedback "
                        "folder go next to it")
    p.add_argument("--solutions", type=Path, default=REPO / "solutions",
                   help="folder of solved labs (default: %(default)s)")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="submissions graded in parallel (default: %(default)s)")
    p.add_argument("--cell-timeout", type=float, default=300, help="seconds per cell (300)")
    p.add_argument("--call-timeout", type=float, default=60,
                   help="seconds per call of the student's code by a check (60)")
    p.add_argument("--timeout", type=float, default=1800,
                   help="seconds per submission in total (1800)")
    p.add_argument("--memory", default="4G", help="memory limit per submission (4G)")
    p.add_argument("--resume", action="store_true",
                   help="grade only the submissions not in the journal of a previous run")
    p.add_argument("--shard", type=_shard, default=(1, 1), metavar="K/N",
                   help="grade only the K-th of N deterministic slices of the submissions")
    p.add_argument("--gradescope", type=Path, metavar="RESULTS_JSON",
                   help="also write Gradescope's results.json (one submission only)")
    p.add_argument("--prairielearn", type=Path, metavar="RESULTS_JSON",
                   help="also write PrairieLearn's external-grader results.json (one "
                        "submission only)")
    p.add_argument("--classroom", type=Path, metavar="JSON",
                   help="also write GitHub Classroom's autograding-reporter JSON (one "
                        "submission only; base64 it into <RUNNER>_RESULTS)")
    p.add_argument("--gradebook", type=Path, metavar="CSV",
                   help="also write a gradebook CSV for Canvas or Moodle: one row per "
                        "student, one column per lab")
    p.add_argument("--unsafe-no-sandbox", action="store_true",
                   help="run the students' code WITHOUT bubblewrap (trusted code only)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    return p


def merge_main(argv):
    p = argparse.ArgumentParser(prog="python -m helpers grade merge",
                                description="Merge the outputs of --shard runs into one.")
    p.add_argument("out", type=Path, help="the merged CSV to write")
    p.add_argument("parts", nargs="+", type=Path, help="the shards' CSVs (or journals)")
    p.add_argument("--gradebook", type=Path, metavar="CSV",
                   help="also write the merged gradebook CSV for Canvas or Moodle")
    args = p.parse_args(argv)
    try:
        results = merge(args.out, args.parts)
    except ValueError as exc:
        p.error(str(exc))
    if args.gradebook:
        write_gradebook(results, args.gradebook)
    print(f"merged {len(results)} submissions from {len(args.parts)} parts into {args.out}")
    return 0


@contextlib.contextmanager
def _cleaned_up():
    """On any exit (return, exception, Ctrl-C, SIGTERM, SIGHUP): every sandbox is stopped and
    its scratch folder (with its kernel's key) and cgroups removed."""
    def stop(signum, frame):
        cleanup()
        os._exit(128 + signum)

    previous = {}
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        with contextlib.suppress(ValueError, TypeError):  # not the main thread / no SIGHUP
            previous[sig] = signal.signal(sig, stop)
    try:
        yield
    finally:
        cleanup()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def grade_main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["merge"]:
        return merge_main(argv[1:])
    with _cleaned_up():
        return _grade(argv)


def _grade(argv):
    parser = _parser()
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        parser.error(f"PATH: no such file or folder: {', '.join(missing)}")
    if not args.solutions.is_dir():
        parser.error(f"--solutions: no such folder: {args.solutions}")
    if args.jobs < 1:
        parser.error(f"--jobs: expected a positive number, got {args.jobs}")
    if min(args.cell_timeout, args.call_timeout, args.timeout) <= 0:
        parser.error("--cell-timeout/--call-timeout/--timeout: expected positive seconds")
    try:
        memory = parse_size(args.memory)
    except ValueError as exc:
        parser.error(str(exc))
    files = find_notebooks(args.paths)
    if not files:
        parser.error(f"PATH: no .ipynb files in {', '.join(map(str, args.paths))}")
    for flag in ("gradescope", "prairielearn", "classroom"):
        if getattr(args, flag) and len(files) != 1:
            parser.error(f"--{flag}: grades one submission, got {len(files)}")
    ok, why = available()
    if not ok and not args.unsafe_no_sandbox:
        print(f"grade: refusing to run students' code without a sandbox: {why}.\n"
              "Use --unsafe-no-sandbox only for code you trust.", file=sys.stderr)
        return 2
    try:
        specs = load_labs(args.solutions)
    except (LabBuildError, ValueError) as exc:
        parser.error(f"--solutions: {exc}")
    journal = args.out.with_suffix(".jsonl")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not journal.exists() or not args.resume:
        journal.write_text("", encoding="utf-8")
    hide = [args.solutions, args.out.parent.resolve(), journal,
            *[p if p.is_dir() else p.parent for p in args.paths]]
    options = Options(cell_timeout=args.cell_timeout, call_timeout=args.call_timeout,
                      timeout=args.timeout, limits=Limits(memory=memory,
                                                          cpu_seconds=int(args.timeout) + 60),
                      hide=tuple(hide), unsafe=args.unsafe_no_sandbox,
                      single_thread=args.jobs > 1)

    def progress(r):
        if not args.quiet:
            print(f"graded {safe.line(r.notebook)}: {r.points:g}/{r.max_points:g}", flush=True)

    start = time.monotonic()
    results = grade_paths(args.paths, specs, options, jobs=args.jobs, journal=journal,
                          resume=args.resume, shard=args.shard, progress=progress)
    written = write_all(results, args.out)
    extra = {"gradescope": lambda p: write_gradescope(results[0], p),
             "prairielearn": lambda p: write_json(prairielearn(results[0]), p),
             "classroom": lambda p: write_json(classroom(results[0]), p),
             "gradebook": lambda p: write_gradebook(results, p)}
    for flag, write in extra.items():
        path = getattr(args, flag)
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            write(path)
            written.append(path)
    print(summary(results, time.monotonic() - start))
    print("wrote " + ", ".join(map(str, written)))
    return 0
