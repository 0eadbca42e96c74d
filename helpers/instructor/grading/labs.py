"""What the grader knows of each lab, and what it makes of a submission before running it.

``load_labs`` reads the solutions: the lab's exercise and check cells, and for every check
cell its calls ``checks.check_x(name, ...)`` parsed with ``ast`` (``checks`` being the alias of
``from helpers.checks import <module> as checks`` in the solution) and its points (cell
metadata ``points``, default 1). The student's check cells are never used: the grader runs
the solution's check functions itself. ``plan`` picks the submission's cells to run (in order,
without check cells and without the solution's cells after its last check, e.g. lab 04's long
training; cells the student added are kept), lists exercise cells that are missing, and
``flags`` lists exercise cells that use the course's own reference implementation.
Omits: running anything (``kernel`` and ``run``).
"""

import ast
import contextlib
import importlib
import io
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .build_labs import (
    first_line,
    has_markers,
    make_lab,
    read_solution,
    solution_files,
    tags,
)

__all__ = ["CheckCall", "CheckCell", "LabSpec", "load_labs", "match_lab", "read_submission",
           "other_lab", "plan", "flags", "EXERCISE_TAG", "CHECK_TAG"]

EXERCISE_TAG = "exercise"
CHECK_TAG = "check"


@dataclass
class CheckCall:
    """One ``checks.check_x(a, b)`` of a check cell: the function and the argument names."""
    function: object
    names: list


@dataclass
class CheckCell:
    """A graded item: a solution check cell, its points and its calls."""
    cell_id: str
    points: float
    calls: list


@dataclass
class LabSpec:
    """One lab: its name, solution path, lab notebook (made from the solution), the ids of its
    exercise cells, its check cells, the ids of the cells after its last check, the sources
    of those cells and of the check cells (to recognise them without ids), and the dotted
    names of the course's reference implementations of its exercises."""
    name: str
    solution_path: Path
    lab: object
    exercise_ids: list
    checks: list
    after_ids: set = field(default_factory=set)
    skip_sources: set = field(default_factory=set)
    references: tuple = ()

    @property
    def check_ids(self):
        return [c.cell_id for c in self.checks]

    @property
    def checked_names(self):
        return {n for c in self.checks for call in c.calls for n in call.names}


def _checks_module(solution, where):
    """The module imported as ``checks`` (``from helpers.checks import x as checks``)."""
    for cell in solution.cells:
        if cell.cell_type != "code":
            continue
        with contextlib.suppress(SyntaxError):
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.ImportFrom) and node.module == "helpers.checks":
                    for alias in node.names:
                        if (alias.asname or alias.name) == "checks":
                            return importlib.import_module(f"helpers.checks.{alias.name}")
    raise ValueError(f"{where}: no `from helpers.checks import ... as checks` cell")


def _check_calls(cell, module, where):
    calls = []
    for node in ast.walk(ast.parse(cell.source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "checks"):
            if node.keywords or not all(isinstance(a, ast.Name) for a in node.args):
                raise ValueError(f"{where}: a check call takes only names, e.g. "
                                 "checks.check_sigmoid(sigmoid)")
            function = getattr(module, node.func.attr, None)
            if not callable(function):
                raise ValueError(f"{where}: {module.__name__} has no {node.func.attr}")
            calls.append(CheckCall(function, [a.id for a in node.args]))
    if not calls:
        raise ValueError(f"{where}: a check cell without checks.check_...(...) calls")
    return calls


def _points(cell, where):
    points = cell.metadata.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
        raise ValueError(f"{where}: metadata 'points' must be a number >= 0, got {points!r}")
    return points


def load_labs(solutions_dir):
    """``{lab name: LabSpec}`` for every solution in ``solutions_dir`` (ValueError naming the
    cell when a check cell cannot be parsed)."""
    specs = {}
    for path in solution_files(solutions_dir):
        solution = read_solution(path)
        lab = make_lab(solution, name=str(path))
        module = _checks_module(solution, path)
        exercises, checks = [], []
        for cell, sol in zip(lab.cells, solution.cells):
            if cell.cell_type != "code":
                continue
            where = f"{path}, cell {cell.id!r}"
            if CHECK_TAG in tags(cell):
                checks.append(CheckCell(cell.id, _points(cell, where),
                                        _check_calls(cell, module, where)))
            elif EXERCISE_TAG in tags(cell) or has_markers(sol.source):
                exercises.append(cell.id)
        ids = [c.id for c in lab.cells]
        check_ids = {c.cell_id for c in checks}
        last = max((ids.index(c) for c in check_ids), default=len(ids))
        skipped = [i for i, c in enumerate(lab.cells)
                   if c.cell_type == "code" and (c.id in check_ids or i > last)]
        skip = {nb.cells[i].source.strip() for i in skipped for nb in (lab, solution)} - {""}
        after = {lab.cells[i].id for i in skipped if i > last}
        specs[path.stem] = LabSpec(path.stem, path, lab, exercises, checks, after, skip,
                                   tuple(getattr(module, "REFERENCES", ())))
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


def read_submission(path, max_bytes=64 << 20):
    """Read a submitted notebook (nbformat 3 is converted to 4); raises ValueError with a
    short reason when it is not one."""
    try:
        if Path(path).stat().st_size > max_bytes:
            raise ValueError(f"file too large (over {max_bytes >> 20} MiB)")
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("invalid notebook: not UTF-8 text") from exc
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"invalid notebook: invalid JSON ({first_line(exc)})") from exc
    if not isinstance(data, dict) or not (isinstance(data.get("cells"), list) or
                                          isinstance(data.get("worksheets"), list)):
        raise ValueError("invalid notebook: the JSON is not a notebook (no list of cells)")
    try:
        with contextlib.redirect_stderr(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duplicate cell ids are repaired, as Jupyter does
            nb = nbformat.reads(text, as_version=4)
        for cell in nb.cells:
            if not isinstance(cell.source, str) or not isinstance(cell.cell_type, str):
                raise ValueError("a cell without source or type")
    except Exception as exc:
        raise ValueError(f"invalid notebook: {type(exc).__name__}: {first_line(exc)}") from exc
    return nb


def other_lab(spec, specs, submission):
    """The name of another lab whose notebook this submission is (by cell ids), or None."""
    ids = {c.get("id") for c in submission.cells}

    def share(s):
        lab_ids = {c.id for c in s.lab.cells}
        return len(ids & lab_ids) / max(1, len(lab_ids))

    best = max(specs.values(), key=share)
    return best.name if best is not spec and share(best) > 0.5 and share(spec) < 0.2 else None


def plan(spec, submission):
    """``(cells, missing)``: the ``(label, source)`` of the submission's code cells to run,
    in order, and the exercise ids that are not code cells of the submission."""
    check_ids = set(spec.check_ids)
    cells = []
    for index, cell in enumerate(submission.cells):
        if cell.cell_type != "code":
            continue
        cid = cell.get("id") or ""
        if (cid in check_ids or CHECK_TAG in tags(cell) or cid in spec.after_ids
                or cell.source.strip() in spec.skip_sources):
            continue
        cells.append((cid or f"cell {index}", cell.source))
    present = {c.get("id") for c in submission.cells if c.cell_type == "code"}
    return cells, [cid for cid in spec.exercise_ids if cid not in present]


# ------------------------------------------------------------------------------ flags

def _imports(tree):
    """``{local name: dotted name}`` of the imports in a parsed cell."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                names[a.asname or a.name.split(".")[0]] = a.name if a.asname else \
                    a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                names[a.asname or a.name] = f"{node.module}.{a.name}"
    return names


def _dotted(node, aliases):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    return ".".join([aliases[node.id], *reversed(parts)])


def _uses(source, aliases, references):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    aliases = {**aliases, **_imports(tree)}
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, (ast.Name, ast.Attribute)):
            names.append(_dotted(node, aliases))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.extend(_imports(ast.Module(body=[node], type_ignores=[])).values())
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.append(node.value)
        for name in filter(None, names):
            found.update(r for r in references if name == r or name.startswith(r + "."))
    return found


def _defines(source, names):
    with contextlib.suppress(SyntaxError):
        for node in ast.parse(source).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in names:
                return True
            if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id in names for t in node.targets):
                return True
    return False


def flags(spec, submission):
    """Notes for a human: exercise cells (by id, tag, or defining a checked name) that use the
    course's reference implementation, e.g. 'ex-tanh uses helpers.activations'."""
    aliases = {}
    for cell in submission.cells:
        if cell.cell_type == "code":
            with contextlib.suppress(SyntaxError):
                aliases.update(_imports(ast.parse(cell.source)))
    notes, checked = [], spec.checked_names
    for index, cell in enumerate(submission.cells):
        if cell.cell_type != "code":
            continue
        cid = cell.get("id") or f"cell {index}"
        if not (cid in spec.exercise_ids or EXERCISE_TAG in tags(cell)
                or _defines(cell.source, checked)):
            continue
        used = _uses(cell.source, aliases, spec.references)
        if used:
            notes.append(f"{cid} uses {', '.join(sorted(used))}")
    return notes
