"""``python -m helpers build-labs``: write ``labs/`` from ``solutions/``.

In a solution notebook the student's part is marked inside code cells by the lines
``### BEGIN SOLUTION`` ... ``### END SOLUTION``; each region becomes ``# YOUR CODE HERE`` +
``raise NotImplementedError()`` at the region's indentation. Outputs and execution counts are
cleared, widget state and run metadata dropped; cell ids, tags, markdown and everything else
are kept, so building twice gives identical bytes. Every solution is validated before any lab
is written (each file is written atomically). ``--check`` writes nothing and exits 1 listing
the labs that differ. Omits: grading (``helpers.instructor.grading.run``).
"""

import argparse
import contextlib
import copy
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat

__all__ = ["LabBuildError", "make_lab", "render_labs", "build_labs", "build_labs_main",
           "notebook_bytes", "atomic_write", "read_solution", "solution_files", "tags",
           "has_markers", "first_line", "REPO"]

REPO = Path(__file__).resolve().parents[3]
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")

_MARKER = re.compile(r"^(?P<indent>[ \t]*)#+[ \t]*(?P<kind>BEGIN|END)[ \t]+SOLUTION[ \t]*$")
# cell metadata written by a kernel run or a front end's timing extension: not part of a lab
_RUN_CELL_METADATA = ("execution", "ExecuteTime")
# notebook metadata that depends on the run (widget state) or on the Python that ran it
_RUN_NB_METADATA = ("widgets",)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def first_line(text, limit=300):
    """The first non-blank line of ``text`` without ANSI colours, cut to ``limit`` characters."""
    for line in _ANSI.sub("", str(text)).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 3] + "..."
    return ""


def has_markers(source):
    """True when a cell's source holds a solution marker line."""
    return any(_MARKER.match(line) for line in source.splitlines())


class LabBuildError(ValueError):
    """A solution notebook cannot be turned into a lab (the message says where and why)."""


def tags(cell):
    """The cell's list of tags (empty when missing or malformed)."""
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
            if has_markers(cell.source):
                raise LabBuildError(f"{where}: solution markers are only allowed in code cells")
        else:
            cell.source, _ = _replace_regions(cell.source, where)
            cell.outputs = []
            cell.execution_count = None
        for key in _RUN_CELL_METADATA:
            cell.metadata.pop(key, None)
    _clean_metadata(nb)
    return nb


def solution_files(solutions_dir):
    return sorted(p for p in Path(solutions_dir).glob("*.ipynb") if p.is_file())


def read_solution(path):
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception as exc:  # invalid JSON, not a notebook, ...
        raise LabBuildError(f"{path}: cannot read the notebook ({type(exc).__name__}: "
                            f"{first_line(str(exc))})") from exc


def notebook_bytes(nb):
    """The exact bytes nbformat writes for ``nb`` (1-space indent, sorted keys, final newline)."""
    text = nbformat.writes(nb)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def render_labs(solutions_dir):
    """``{file name: lab bytes}`` for every solution; every solution is validated first."""
    rendered, errors = {}, []
    for path in solution_files(solutions_dir):
        try:
            solution = read_solution(path)
            lab = make_lab(solution, name=str(path))
            nbformat.validate(lab)
            rendered[path.name] = notebook_bytes(lab)
        except LabBuildError as exc:
            errors.append(str(exc))
        except nbformat.ValidationError as exc:
            errors.append(f"{path}: the lab would not be a valid notebook: {first_line(str(exc))}")
    if errors:
        raise LabBuildError("\n".join(errors))
    return rendered


def _show(path):
    """A path as the user would type it: relative to the working directory when inside it."""
    path = Path(path)
    with contextlib.suppress(ValueError, OSError):
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    return str(path)


def atomic_write(path, data):
    """Write bytes to ``path`` through a temporary file and a rename (never half-written)."""
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
            atomic_write(labs_dir / name, rendered[name])
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
        print(f"labs up to date ({len(solution_files(args.solutions))} notebooks)")
        return 0
    for name in changed:
        print(f"wrote {_show(args.labs / name)}")
    if not changed:
        print(f"labs already up to date ({len(solution_files(args.solutions))} notebooks)")
    return 0
