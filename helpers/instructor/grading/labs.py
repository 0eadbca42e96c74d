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
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .build_labs import has_markers, make_lab, read_solution, solution_files, tags

__all__ = ["CheckCall", "CheckCell", "LabSpec", "load_labs", "other_lab", "plan", "flags",
           "references_used", "EXERCISE_TAG", "CHECK_TAG", "ALWAYS_REFERENCES"]

EXERCISE_TAG = "exercise"
CHECK_TAG = "check"
#: the course's code no exercise may hand to a check, in every lab (besides the check
#: module's REFERENCES): the checks themselves, and the data preparation of lab 04
ALWAYS_REFERENCES = ("helpers.checks", "helpers.data.preprocess")
_PARSE_ERRORS = (SyntaxError, ValueError, MemoryError, RecursionError)
MAX_STATIC = 1 << 20  # characters of one cell read with ``ast``
# Python 3.11's ast.parse is not thread-safe (its recursion-depth bookkeeping is shared:
# "SystemError: AST constructor recursion depth mismatch", CPython gh-106905), and grading
# runs submissions in threads: one parse at a time. Other code of the process parses too
# (3.11's traceback module does, for its ^^^ markers), so a spurious mismatch is parsed again.
_AST_LOCK = threading.Lock()
_AST_RACE = "recursion depth mismatch"
_AST_TRIES = 3


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

    @property
    def names(self):
        return {n for call in self.calls for n in call.names}


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
    exercise_names: dict = field(default_factory=dict)  # exercise id -> checked names

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
        exercises, checks, defined, following, pending = [], [], {}, {}, []
        for cell, sol in zip(lab.cells, solution.cells):
            if cell.cell_type != "code":
                continue
            where = f"{path}, cell {cell.id!r}"
            if CHECK_TAG in tags(cell):
                checks.append(CheckCell(cell.id, _points(cell, where),
                                        _check_calls(cell, module, where)))
                following.update((cid, checks[-1].names) for cid in pending)
                pending = []
            elif EXERCISE_TAG in tags(cell) or has_markers(sol.source):
                exercises.append(cell.id)
                pending.append(cell.id)
                defined[cell.id] = _defined_names(sol.source)
        ids = [c.id for c in lab.cells]
        check_ids = {c.cell_id for c in checks}
        last = max((ids.index(c) for c in check_ids), default=len(ids))
        skipped = [i for i, c in enumerate(lab.cells)
                   if c.cell_type == "code" and (c.id in check_ids or i > last)]
        skip = {nb.cells[i].source.strip() for i in skipped for nb in (lab, solution)} - {""}
        after = {lab.cells[i].id for i in skipped if i > last}
        checked = {n for c in checks for call in c.calls for n in call.names}
        names = {cid: (defined[cid] & checked) or following.get(cid, set())
                 for cid in exercises}
        references = (*getattr(module, "REFERENCES", ()), *ALWAYS_REFERENCES)
        specs[path.stem] = LabSpec(path.stem, path, lab, exercises, checks, after, skip,
                                   references, names)
    return specs


def other_lab(spec, specs, submission):
    """The name of another lab whose notebook this submission is (by cell ids), or None."""
    ids = {c.get("id") for c in submission.cells}

    def share(s):
        lab_ids = {c.id for c in s.lab.cells}
        return len(ids & lab_ids) / max(1, len(lab_ids))

    best = max(specs.values(), key=share)
    return best.name if best is not spec and share(best) > 0.5 and share(spec) < 0.2 else None


def _parse(source):
    """The cell's ``ast`` module, or None when it does not parse (or is pathological: a
    MemoryError/RecursionError of the parser is that cell's problem, never the grader's), or
    is over ``MAX_STATIC`` characters (the reading must stay quick; the kernel still runs it).
    A spurious SystemError of CPython's race (``_AST_LOCK``) is parsed again, up to
    ``_AST_TRIES`` times."""
    if len(source) > MAX_STATIC:
        return None
    for _ in range(_AST_TRIES):
        try:
            with _AST_LOCK:
                return ast.parse(source)
        except _PARSE_ERRORS:
            return None
        except SystemError as exc:
            if _AST_RACE not in str(exc):
                raise
    return None


def _is_check_call(node):
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and isinstance(node.value.func.value, ast.Name)
            and node.value.func.value.id == "checks")


def _without_checks(source):
    """``(source without its top-level checks.check_x(...) lines, whether it had any, whether
    anything but imports is left)``: what a check cell runs besides the check."""
    tree = _parse(source)
    if tree is None:
        return source, False, bool(source.strip())
    drop = {i for node in tree.body if _is_check_call(node)
            for i in range(node.lineno - 1, node.end_lineno)}
    rest = [node for node in tree.body if not _is_check_call(node)]
    kept = "".join(text for i, text in enumerate(source.splitlines(keepends=True))
                   if i not in drop)
    code = any(not isinstance(n, (ast.Import, ast.ImportFrom)) for n in rest)
    return kept, bool(drop), code


def _defined_names(source):
    """The top-level names a cell defines (functions, classes, assignments, imports)."""
    tree = _parse(source)
    names = set()
    for node in tree.body if tree else ():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for target in getattr(node, "targets", [getattr(node, "target", None)]):
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _present(spec, submission):
    """The exercise ids the submission has. By cell id; a notebook that kept no id of the lab
    (nbformat 4.4 without ids, Colab, a v3 file) by content: a code cell that defines the
    exercise's names, or is tagged ``exercise`` with the stub's source."""
    code = [c for c in submission.cells if c.cell_type == "code"]
    ids = {c.get("id") for c in code}
    if ids & {c.id for c in spec.lab.cells}:
        return ids
    present = set()
    for cell in code:
        names = _defined_names(cell.source)
        present.update(cid for cid, wanted in spec.exercise_names.items() if wanted & names)
    return present


def plan(spec, submission):
    """``(cells, missing, notes)``: the ``(label, source)`` of the submission's code cells to
    run, in order (a check cell runs only the code typed into it besides its checks, as
    Jupyter ran it), the exercise ids the submission does not have, and notes for a human."""
    check_ids = set(spec.check_ids)
    cells, notes = [], []
    for index, cell in enumerate(submission.cells):
        if cell.cell_type != "code":
            continue
        cid = cell.get("id") or ""
        label = f"cell {cid or index}"
        if cid in spec.after_ids or cell.source.strip() in spec.skip_sources:
            continue
        rest, had_checks, code = _without_checks(cell.source)
        if cid in check_ids or CHECK_TAG in tags(cell) or had_checks:
            if code:
                cells.append((label, rest))
                notes.append(f"code typed into the check {label} was run (as in Jupyter)")
            continue
        cells.append((label, cell.source))
    present = _present(spec, submission)
    return cells, [cid for cid in spec.exercise_ids if cid not in present], notes


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


def _is_checks_import(node):
    """``from helpers.checks import sigmoid as checks``: the lab's own check-cell import."""
    return (isinstance(node, ast.ImportFrom) and node.module == "helpers.checks"
            and all(a.asname == "checks" for a in node.names))


def _uses(tree, aliases, references):
    aliases = {**aliases, **_imports(tree)}
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, (ast.Name, ast.Attribute)):
            names.append(_dotted(node, aliases))
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and not _is_checks_import(node):
            names.extend(_imports(ast.Module(body=[node], type_ignores=[])).values())
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.append(node.value)
        for name in filter(None, names):
            found.update(r for r in references if name == r or name.startswith(r + "."))
    return found


def references_used(spec, submission):
    """``[(cell label, references used, checked names it provides)]`` for the exercise cells
    (by id, tag, or defining a checked name) that use the course's reference implementation:
    a static reading (``ast``) that catches the honest shortcut, not deliberate obfuscation."""
    trees = [(i, c, _parse(_without_checks(c.source)[0])) for i, c in
             enumerate(submission.cells) if c.cell_type == "code"]  # check calls: the grader's
    aliases = {}
    for _, _, tree in trees:
        if tree is not None:
            aliases.update(_imports(tree))
    found, checked = [], spec.checked_names
    for index, cell, tree in trees:
        cid = cell.get("id") or ""
        names = _defined_names(cell.source) & checked
        exercise = cid in spec.exercise_ids or EXERCISE_TAG in tags(cell)
        if tree is None or not (exercise or names):
            continue
        used = _uses(tree, aliases, spec.references)
        if used:
            names = names or set(spec.exercise_names.get(cid, ()))
            found.append((cid or f"cell {index}", sorted(used), names))
    return found


def flags(spec, submission):
    """Notes for a human: exercise cells that use the course's reference implementation,
    e.g. 'ex-tanh uses helpers.activations' (their checks score 0, ``run``)."""
    return [f"{label} uses {', '.join(used)}" for label, used, _ in
            references_used(spec, submission)]
