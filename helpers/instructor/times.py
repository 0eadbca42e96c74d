"""How long each lesson and lab takes, computed from the notebooks, and the start page's
map of the course that shows it: ``python -m helpers times [--write]``.

A notebook's time = its markdown read at ``WORDS_PER_MINUTE`` + the run time of its code
cells as stored by the last ``python -m helpers execute`` (on the course's 2-core reference
machine; a lab's from its solved notebook in solutions/, since labs are stored without
outputs) + ``MINUTES_PER_EXERCISE`` per cell tagged ``exercise`` + ``MINUTES_PER_QUESTION``
per quiz question it asks (``quiz_set(topic)``, ``final.ask(...)``). A part that starts with
a heading "## Appendix ..." or "## Going further ..." (up to "## Key takeaways", "## Quiz"
or "## Further reading") is optional and counted apart.

Without ``--write`` it prints every time and the time each notebook states, and returns 1
when one disagrees (a stated time agrees when it is within ``TOLERANCE`` minutes of the
computed one, so that re-running a notebook does not flip it). With ``--write`` it rewrites
the "**Time:** about N minutes" of every lesson's first cell, and the start page's map
(``MAP_CELL``: the table in study order, each lab after the lesson it needs), the "(N min)"
of its objectives headings and the objectives under them (copied from each lesson's first
cell), keeping cell ids and outputs (nbformat).
Omits: timing a notebook afresh (execute it first), labs' own top cells (they state none).
"""

from __future__ import annotations

import argparse
import csv
import re
from datetime import datetime
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
WORDS_PER_MINUTE = 200
MINUTES_PER_EXERCISE = 5
MINUTES_PER_QUESTION = 1
ROUND_TO = 5        # minutes
TOLERANCE = 5       # minutes between a stated and a computed time that still agree
START_PAGE = "notebooks/00_start_here.ipynb"
MAP_CELL = "dcbc461d"   # id of the start page's map cell

#: the course in study order, a table instructors edit (a row per notebook the student opens:
#: notebook, title, what it practises); a lab's time is measured on its solved twin in solutions/
STUDY_ORDER_FILE = Path(__file__).with_name("study_order.csv")


def read_study_order(path=STUDY_ORDER_FILE):
    """[(notebook, title, practice)] from a CSV with the header notebook,title,practice;
    ValueError naming the file and the row when a row lacks one of them."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    order = []
    for number, row in enumerate(rows, start=2):
        values = tuple((row.get(key) or "").strip() for key in ("notebook", "title", "practice"))
        if not all(values):
            raise ValueError(f"{path}: row {number}: expected a notebook, a title and a "
                             f"practice, got {row}")
        order.append(values)
    return order


STUDY_ORDER = read_study_order()
OPTIONAL = re.compile(r"^## (Appendix|Going further)", re.M)
END_OPTIONAL = re.compile(r"^## (Key takeaways|Quiz|Further reading)", re.M)
QUIZ_SET = re.compile(r"""quiz_set\(["'](\w+)["']\)""")
FINAL_ASK = re.compile(r"final\.ask\(([\d, ]+)\)")
#: "**Time:** about N minutes", maybe followed by " (plus M for the optional ...)" or
#: ", plus (about) M for the optional *Going further* part (at the end)"
STATED = re.compile(r"\*\*Time:\*\*\s+(?:about\s+)?(\d+)\s+minutes"
                    r"(?:\s+\(plus\s+(\d+)\s+for\s+the\s+optional[^)]*\)"
                    r"|,\s+plus\s+(?:about\s+)?(\d+)\s+for\s+the\s+optional\s[^.;]*?part"
                    r"(?:\s+at\s+the\s+end)?)?")
HEADING_TIME = re.compile(r"^(### \[[^\]]+\]\(([\w.]+)\)) \((\d+) min\)", re.M)
ROW_TIME = re.compile(r"^\| \[[^\]]+\]\(([^)]+)\) \| (\d+) min \|", re.M)
#: a list of objectives: '- [ ] ...' items, each maybe continued on indented lines
OBJECTIVES = re.compile(r"^- \[ \] .*(?:\n(?:- \[ \] |  ).*)*", re.M)


def _seconds(cell):
    """Stored run time of a code cell in seconds (0 when it has none)."""
    e = cell.get("metadata", {}).get("execution", {})
    if "iopub.execute_input" not in e or "shell.execute_reply" not in e:
        return 0.0
    start, end = (datetime.fromisoformat(e[k].replace("Z", "+00:00"))
                  for k in ("iopub.execute_input", "shell.execute_reply"))
    return max((end - start).total_seconds(), 0.0)


def _questions(source):
    """Number of quiz questions a code cell asks."""
    from ..lessons.quiz_bank import quizzes

    return (sum(len(quizzes(topic)) for topic in QUIZ_SET.findall(source))
            + sum(len(args.split(",")) for args in FINAL_ASK.findall(source)))


def measure(path):
    """Minutes of one notebook: {'main': float, 'optional': float, 'words': int,
    'run_s': float, 'exercises': int, 'questions': int} ('main' and 'optional' unrounded)."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"path: expected a notebook, got {str(path)!r} (no such file)")
    nb = nbformat.read(path, as_version=4)
    # per part: words, seconds, exercises, questions
    parts = {"main": [0, 0.0, 0, 0], "optional": [0, 0.0, 0, 0]}
    part = "main"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            part = ("optional" if OPTIONAL.search(cell.source) else
                    "main" if END_OPTIONAL.search(cell.source) else part)
            parts[part][0] += len(cell.source.split())
        else:
            parts[part][1] += _seconds(cell)
            parts[part][3] += _questions(cell.source)
        parts[part][2] += "exercise" in cell.metadata.get("tags", [])
    minutes = {k: (w / WORDS_PER_MINUTE + s / 60 + MINUTES_PER_EXERCISE * x
                   + MINUTES_PER_QUESTION * q) for k, (w, s, x, q) in parts.items()}
    words, run_s, exercises, questions = (sum(v[i] for v in parts.values()) for i in range(4))
    return {**minutes, "words": words, "run_s": run_s, "exercises": exercises,
            "questions": questions}


def rounded(minutes):
    """Minutes rounded to ``ROUND_TO`` (at least ``ROUND_TO``)."""
    return max(ROUND_TO, ROUND_TO * round(minutes / ROUND_TO))


def measured_twin(rel):
    """The notebook whose stored run times count for ``rel``: a lab's solved twin."""
    return ROOT / ("solutions" + rel[len("labs"):] if rel.startswith("labs/") else rel)


def course_times(root=None):
    """{notebook (relative path): measure(...)} for the start page and every notebook of
    ``STUDY_ORDER`` that exists."""
    base = ROOT if root is None else Path(root)
    out = {}
    for rel in [START_PAGE] + [rel for rel, _, _ in STUDY_ORDER]:
        twin = base / measured_twin(rel).relative_to(ROOT)
        if twin.is_file():
            out[rel] = measure(twin)
    return out


def stated_time(source):
    """(minutes, optional minutes or None) a first cell states, or None if it states none."""
    m = STATED.search(source)
    if m is None:
        return None
    optional = m.group(2) or m.group(3)
    return int(m.group(1)), optional and int(optional)


def time_text(t):
    """The words a first cell should say for the measured times ``t``."""
    text = f"**Time:** about {rounded(t['main'])} minutes"
    if t["optional"] >= ROUND_TO / 2:
        text += f" (plus {rounded(t['optional'])} for the optional part at the end)"
    return text


def map_markdown(times):
    """The start page's map cell, from the measured ``times``."""
    rows = ["## The map", "",
            "Work through the course in this order; each lesson lists its prerequisites at "
            "the top, and each lab comes after the lesson whose content it needs. The times "
            f"are computed from the notebooks (reading at {WORDS_PER_MINUTE} words a minute, "
            f"the cells' run time, {MINUTES_PER_EXERCISE} minutes per exercise, "
            f"{MINUTES_PER_QUESTION} per quiz question) by "
            "`python -m helpers times`.", "",
            "| step | time | practice |", "|---|---|---|"]
    lesson_total = lab_total = 0
    for rel, title, practice in STUDY_ORDER:
        name = Path(rel).name
        link = name if rel.startswith("notebooks/") else f"../{rel}"
        if rel not in times:
            rows.append(f"| {title} (not written yet) | - | {practice} |")
            continue
        minutes = rounded(times[rel]["main"])
        rows.append(f"| [{title}]({link}) | {minutes} min | {practice} |")
        if rel.startswith("labs/"):
            lab_total += minutes
        elif "optional" not in practice:
            lesson_total += minutes
    rows += ["", f"In total about {lesson_total / 60:.1f} hours of lessons and "
             f"{lab_total / 60:.1f} hours of labs (lesson 08 is optional). Every term the "
             "course uses is explained in the [glossary](glossary.md)."]
    return "\n".join(rows)


def objectives(source):
    """The '- [ ] ' list of a markdown text (a lesson's first cell: the part before
    '**Prerequisites'), as it is written, or None."""
    m = OBJECTIVES.search(source.split("**Prerequisites")[0])
    return None if m is None else m.group(0)


def _same_items(a, b):
    def items(text):
        return [" ".join(i.split()) for i in ("\n" + (text or "")).split("\n- [ ] ")[1:]]
    return items(a) == items(b)


def _section_objectives(start, base):
    """[(cell, lesson name, objectives in the start page, objectives in the lesson)] for the
    start page's '### [title](lesson) (N min)' sections of existing lessons."""
    found = []
    for cell in start.cells:
        for section in re.split(r"\n(?=### )", cell.source):
            m = HEADING_TIME.match(section)
            if m and (base / "notebooks" / m.group(2)).is_file():
                lesson = nbformat.read(base / "notebooks" / m.group(2), as_version=4)
                found.append((cell, m.group(2), objectives(section),
                              objectives(lesson.cells[0].source)))
    return found


def map_agrees(source, times):
    """True when the map ``source`` is ``map_markdown(times)`` up to its numbers of minutes
    and hours, and each row's minutes are within ``TOLERANCE`` of the measured ones."""
    def shape(text):
        return re.sub(r"\| \d+ min \||[\d.]+ hours", "#", text)
    if shape(source) != shape(map_markdown(times)):
        return False
    for link, minutes in ROW_TIME.findall(source):
        rel = link[len("../"):] if link.startswith("../") else f"notebooks/{link}"
        if rel in times and abs(int(minutes) - times[rel]["main"]) > TOLERANCE:
            return False
    return True


def disagreements(root=None):
    """Lines naming every stated time that does not match the measured one (empty: all
    agree): lessons' first cells, the start page's map and its objectives headings."""
    base = ROOT if root is None else Path(root)
    times = course_times(base)
    problems = []
    for rel, t in times.items():
        if not rel.startswith("notebooks/"):
            continue
        stated = stated_time(nbformat.read(base / rel, as_version=4).cells[0].source)
        if stated is None or abs(stated[0] - t["main"]) > TOLERANCE:
            problems.append(f"{rel}: first cell says {stated and stated[0]} min, measured "
                            f"{t['main']:.0f}")
    start = nbformat.read(base / START_PAGE, as_version=4)
    cells = {c.id: c for c in start.cells}
    if MAP_CELL not in cells or not map_agrees(cells[MAP_CELL].source, times):
        problems.append(f"{START_PAGE}: the map is not the one the measured times give")
    for cell in start.cells:
        for _, name, minutes in HEADING_TIME.findall(cell.source):
            rel = f"notebooks/{name}"
            if rel in times and abs(int(minutes) - times[rel]["main"]) > TOLERANCE:
                problems.append(f"{START_PAGE}: heading of {name} says {minutes} min, "
                                f"measured {times[rel]['main']:.0f}")
    for _, name, here, there in _section_objectives(start, base):
        if not _same_items(here, there):
            problems.append(f"{START_PAGE}: the objectives of {name} differ from the lesson's")
    return problems


def _heading_time(times):
    def replace(m):
        rel = f"notebooks/{m.group(2)}"
        return f"{m.group(1)} ({rounded(times[rel]['main'])} min)" if rel in times else m[0]
    return replace


def write(root=None, only=None):
    """Rewrite the stated times (first cells, the start page's map and headings) from the
    measured ones, in every lesson or only in the notebooks ``only`` (relative paths);
    returns the notebooks changed."""
    base = ROOT if root is None else Path(root)
    times = course_times(base)
    changed = []
    for rel, t in times.items():
        if not rel.startswith("notebooks/") or (only is not None and rel not in only):
            continue
        nb = nbformat.read(base / rel, as_version=4)
        before = nbformat.writes(nb)
        top = nb.cells[0]
        if STATED.search(top.source):
            top.source = STATED.sub(time_text(t), top.source, count=1)
        if rel == START_PAGE:
            for cell in nb.cells:
                if cell.id == MAP_CELL:
                    cell.source = map_markdown(times)
                cell.source = HEADING_TIME.sub(_heading_time(times), cell.source)
            for cell, _, here, there in _section_objectives(nb, base):
                if here and there and not _same_items(here, there):
                    cell.source = cell.source.replace(here, there, 1)
        if nbformat.writes(nb) != before:
            nbformat.write(nb, base / rel)
            changed.append(rel)
    return changed


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m helpers times", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true",
                        help="rewrite the stated times from the measured ones")
    parser.add_argument("--only", nargs="+", metavar="NOTEBOOK",
                        help="with --write: only these notebooks (e.g. "
                             "notebooks/00_start_here.ipynb)")
    args = parser.parse_args(argv)
    for rel, t in course_times().items():
        print(f"{rel:<42} {rounded(t['main']):>3} min  ({t['words']} words, run "
              f"{t['run_s']:.0f} s, {t['exercises']} exercises, {t['questions']} questions; "
              f"optional {t['optional']:.0f} min)")
    if args.write:
        for rel in write(only=args.only):
            print(f"rewrote {rel}")
        return 0
    problems = disagreements()
    for line in problems:
        print(f"disagrees: {line}")
    return 1 if problems else 0
