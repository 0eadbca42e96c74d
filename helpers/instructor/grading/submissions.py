"""Finding, naming, matching and reading the submitted files, safely.

``find_notebooks`` walks the graded folders without following symbolic links and returns every
file whose name looks like a notebook (``.ipynb`` in any case, ``.ipynb.json``, ``.ipynb.txt``):
none is silently ignored. ``refusal`` says why a file is not graded at all (a symbolic link, a
device or a FIFO: each gets its own row with the reason). ``match_lab`` finds the lab of a file
name as students write them (``03_sigmoid_network.ipynb``, ``Lab 3 - sigmoid network.ipynb``,
``03-alice.IPYNB``); ``read_submission`` opens the file without following a symbolic link and
without blocking, reads a regular file only, at most ``max_bytes``, and parses it (nbformat 3
converted to 4). ``duplicates`` names the files that are two versions of one lab of one student.
Omits: what runs and how it is graded (``labs``, ``run``).
"""

import contextlib
import io
import json
import os
import re
import stat
import warnings
from collections import defaultdict
from pathlib import Path

import nbformat

from .build_labs import first_line

__all__ = ["find_notebooks", "notebook_stem", "match_lab", "refusal", "read_submission",
           "duplicates", "NOTEBOOK_SUFFIXES", "MAX_BYTES"]

NOTEBOOK_SUFFIXES = (".ipynb", ".ipynb.json", ".ipynb.txt")
MAX_BYTES = 64 << 20


def _looks_like_notebook(name):
    return name.lower().endswith(NOTEBOOK_SUFFIXES)


def notebook_stem(name):
    """``Lab 3.IPYNB`` -> ``Lab 3``, ``x.ipynb.json`` -> ``x`` (the name without the suffix)."""
    lower = name.lower()
    for suffix in sorted(NOTEBOOK_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def find_notebooks(paths):
    """``[(path, display name, student)]``: files as given; folders -> every file inside whose
    name looks like a notebook, recursively, sorted, skipping hidden folders (such as
    .ipynb_checkpoints), never following a symbolic link (a link is listed, to be refused).
    The student is the first folder under the graded folder, else the file's stem."""
    found, seen = [], set()
    for arg in map(Path, paths):
        if arg.is_dir():
            inside = []
            for root, dirs, files in os.walk(arg):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                here = Path(root)
                for d in dirs:  # a linked folder is not entered, but it is reported
                    if (here / d).is_symlink():
                        inside.append(here / d)
                inside += [here / f for f in files if _looks_like_notebook(f)]
            rows = [(p, p.relative_to(arg).parts)
                    for p in sorted(inside, key=lambda p: p.relative_to(arg).as_posix())]
        else:
            rows = [(arg, (arg.name,))]
        for p, parts in rows:
            key = os.path.normcase(os.path.abspath(p))
            if key not in seen:
                seen.add(key)
                found.append((p, p.as_posix(), parts[0] if len(parts) > 1 else
                              notebook_stem(p.name)))
    return found


def refusal(path):
    """Why ``path`` is not graded at all ('' when it may be read): symbolic links (to the
    solutions, a classmate's notebook, a device...) and anything but a regular file."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        with contextlib.suppress(OSError):
            return f"refused: the submission is a symbolic link (to {os.readlink(path)})"
        return "refused: the submission is a symbolic link"
    if not stat.S_ISREG(info.st_mode):
        return "refused: the submission is not a regular file"
    return ""


def _words(text):
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def match_lab(filename, lab_names):
    """The lab a submission belongs to, from its file name, or None.

    Case, spaces and punctuation do not matter. The lab's name (``03_sigmoid_network``) or its
    topic (``sigmoid network``) inside the file name, the longest winning, else the lab's
    number at the start (``02-alice``, ``Lab 2 - alice``, ``lab02``) -> that lab.
    """
    stem = _words(notebook_stem(Path(filename).name))
    topics = {lab: re.sub(r"^\d+_", "", _words(lab)) for lab in lab_names}
    contained = [lab for lab in lab_names if _words(lab) in stem or topics[lab] in stem]
    if contained:
        return max(contained, key=lambda lab: (_words(lab) in stem, len(topics[lab])))
    m = re.match(r"^(?:lab_?)?0*(\d+)(?:_|$)", stem)
    if m:
        number = int(m.group(1))
        numbered = [lab for lab in lab_names
                    if re.match(r"^\d+", lab) and int(re.match(r"^\d+", lab).group()) == number]
        if len(numbered) == 1:
            return numbered[0]
    return None


def _read_bytes(path, max_bytes):
    """The bytes of a regular file, opened without following a link and without blocking."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ValueError(f"cannot read the file: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb", buffering=0) as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("refused: the submission is not a regular file")
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"file too large (over {max_bytes >> 20} MiB)")
    return data


def read_submission(path, max_bytes=MAX_BYTES):
    """Read a submitted notebook (nbformat 3 is converted to 4); raises ValueError with a
    short reason when it is not one."""
    raw = _read_bytes(path, max_bytes)
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


def duplicates(files, lab_names):
    """``{display name: flag}`` for the files that are two or more versions of one lab of one
    student (``files`` as ``find_notebooks`` gives them), each naming the others."""
    groups = defaultdict(list)
    for path, display, student in files:
        lab = match_lab(Path(path).name, lab_names)
        if lab is not None:
            groups[(student, lab)].append(display)
    out = {}
    for (_, lab), names in groups.items():
        for name in names if len(names) > 1 else ():
            others = ", ".join(Path(n).name for n in names if n != name)
            out[name] = f"{len(names)} versions of {lab} from this student (also {others})"
    return out
