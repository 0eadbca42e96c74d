"""Grades in the formats of the tools a class already uses (issue 18): PrairieLearn's external
grader ``results.json``, GitHub Classroom's autograding reporter JSON, and a gradebook CSV that
Canvas and Moodle import. docs/classroom.md says how to use each.

  ``prairielearn(result)``  one submission: ``{"gradable", "score" (0..1), "message", "output",
                            "tests": [{"name", "description", "points", "max_points", "message",
                            "output"}]}`` (PrairieLearn's documented fields; the file stays under
                            its 1 MB limit). A file that is not a notebook of a lab is
                            ``gradable: false`` (no attempt is used up)
  ``classroom(result)``     one submission, what ``classroom-resources/autograding-grading-
                            reporter`` reads from ``<RUNNER>_RESULTS`` (base64 of this JSON):
                            ``{"version": 1, "status": "pass"|"fail"|"error", "max_score",
                            "tests": [{"name", "status", "score", "message", "test_code",
                            "filename", "line_no", "execution_time"}]}``
  ``write_gradebook``       all submissions: one row per student (``Student`` and ``SIS Login ID``
                            = the student's folder name; Canvas's ``ID``, ``SIS User ID`` and
                            ``Section`` left empty), one column per lab with the student's points
                            (the best of two versions of one lab), empty where nothing was handed in
Every submission-derived string is sanitised here (``sanitize``). Omits: CSV, JUnit, feedback
and Gradescope (``report``).
"""

import csv
import io
import json
from collections import defaultdict

from . import sanitize as safe
from .build_labs import atomic_write, first_line

__all__ = ["prairielearn", "classroom", "gradebook_rows", "write_json", "write_gradebook",
           "GRADEBOOK_ID_COLUMNS"]

GRADEBOOK_ID_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
_PL_TEXT = 20_000  # characters per message/output: 4 checks of a lab stay far under 1 MB
_NOT_GRADABLE = ("invalid notebook", "no matching lab", "refused", "cannot read",
                 "file too large")


def _number(x):
    return int(x) if float(x).is_integer() else round(float(x), 4)


def _clip(text, limit=_PL_TEXT):
    text = safe.text(text)
    return text if len(text) <= limit else text[: limit - 20] + "\n... (cut)"


def prairielearn(result):
    """PrairieLearn's ``results.json`` (a dict) for one GradeResult."""
    gradable = bool(result.checks) and not result.error.startswith(_NOT_GRADABLE)
    data = {"gradable": gradable,
            "score": round(result.points / result.max_points, 6) if result.max_points else 0.0,
            "message": _clip(first_line(result.error) or
                             f"{result.checks_passed} of {len(result.checks)} checks passed"),
            "output": _clip(result.error),
            "tests": [{"name": safe.line(c.cell_id),
                       "description": f"check cell {safe.line(c.cell_id)} of {result.lab}",
                       "points": _number(c.points), "max_points": _number(c.max_points),
                       "message": _clip(first_line(c.message)), "output": _clip(c.message)}
                      for c in result.checks]}
    if not gradable:
        data["format_errors"] = [_clip(result.error or "no checks")]
    return data


def classroom(result):
    """GitHub Classroom's autograding reporter JSON (a dict) for one GradeResult."""
    error = bool(result.error) and not result.checks
    passed = bool(result.checks) and all(c.passed for c in result.checks)
    return {"version": 1, "status": "error" if error else "pass" if passed else "fail",
            "max_score": _number(result.max_points),
            "tests": [{"name": safe.line(c.cell_id), "status": "pass" if c.passed else "fail",
                       "score": _number(c.points), "message": _clip(first_line(c.message)),
                       "test_code": f"checks of cell {safe.line(c.cell_id)}",
                       "filename": safe.line(result.notebook), "line_no": 0,
                       "execution_time": ""} for c in result.checks]}


def write_json(data, path):
    """Write a format's dict as UTF-8 JSON (atomically)."""
    atomic_write(path, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def gradebook_rows(results):
    """``(header, rows)`` of the gradebook: one row per student, one column per lab."""
    labs = sorted({r.lab for r in results if r.lab})
    best = defaultdict(dict)
    for r in results:
        if r.lab:
            old = best[r.student].get(r.lab)
            best[r.student][r.lab] = r.points if old is None else max(old, r.points)
        else:
            best[r.student].setdefault("", None)
    rows = []
    for student in sorted(best):
        name = safe.csv_cell(safe.line(student))
        rows.append([name, "", "", name, "", *(
            "" if best[student].get(lab) is None else _number(best[student][lab])
            for lab in labs)])
    return [*GRADEBOOK_ID_COLUMNS, *labs], rows


def write_gradebook(results, path):
    """The LMS gradebook CSV (Canvas: Grades > Import; Moodle: Grades > Import > CSV file)."""
    header, rows = gradebook_rows(results)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    atomic_write(path, buf.getvalue().encode("utf-8"))
