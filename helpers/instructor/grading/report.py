"""The grader's outputs: the grades CSV, a JUnit XML, one Markdown feedback file per
submission, Gradescope's ``results.json``, the summary line, and merging shards.

CSV columns (``CSV_COLUMNS``): student (the first folder under the graded folder, else the
file's stem, ready for an LMS gradebook), notebook, lab, points, max_points (per-check points
from the check cell's metadata), checks_passed, checks_total, first_failure, flags (for a
human: use of the course's reference implementation, missing exercise cells). Rows are
sorted by notebook, so shards merged with ``merge`` give the same CSV as one run. Every string
from a submission is made safe here, per format (``sanitize``): results and journal keep it
as it came. Omits: grading itself (``run``).
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from . import sanitize as safe
from .build_labs import atomic_write, first_line
from .run import GradeResult, read_journal

__all__ = ["CSV_COLUMNS", "write_csv", "write_junit", "feedback_markdown", "write_feedback",
           "write_gradescope", "write_all", "summary", "merge"]

#: the flags the student's feedback repeats (the others are for the instructor)
STUDENT_NOTES = ("exercise cell missing", "code typed into")
CSV_COLUMNS = ["student", "notebook", "lab", "points", "max_points", "checks_passed",
               "checks_total", "first_failure", "flags"]


def _number(x):
    return int(x) if float(x).is_integer() else round(float(x), 4)


def row(result):
    """The CSV row of one GradeResult (a dict of CSV_COLUMNS)."""
    return {"student": result.student, "notebook": result.notebook, "lab": result.lab,
            "points": _number(result.points), "max_points": _number(result.max_points),
            "checks_passed": result.checks_passed, "checks_total": len(result.checks),
            "first_failure": first_line(result.first_failure),
            "flags": "; ".join(result.flags)}


def write_csv(results, path):
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in sorted(results, key=lambda r: r.notebook):
        writer.writerow({k: safe.csv_cell(v) for k, v in row(r).items()})
    atomic_write(path, buf.getvalue().encode("utf-8"))


def write_junit(results, path):
    """One testcase per check per submission (classname = the notebook, name = the check's
    cell id); a submission graded without checks gets one failing testcase named "grade"."""
    suite = ET.Element("testsuite", name="grading")
    tests = failures = 0
    for r in sorted(results, key=lambda r: r.notebook):
        for check in r.checks or [None]:
            tests += 1
            name = check.cell_id if check else "grade"
            case = ET.SubElement(suite, "testcase", classname=safe.xml_text(r.notebook),
                                 name=safe.xml_text(name))
            if check is None or not check.passed:
                failures += 1
                text = safe.xml_text(check.message if check else (r.error or "no checks"))
                ET.SubElement(case, "failure", message=first_line(text)).text = text
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    atomic_write(path, ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")


def feedback_markdown(result):
    """What the student sees: each check's verdict and message, as in the notebook. Names
    are escaped and messages fenced (``sanitize``): a message cannot add Markdown or HTML."""
    md = safe.md_inline
    lines = [f"# {md(result.lab or 'Lab')}: feedback for {md(result.student)}", "",
             f"**{_number(result.points)} / {_number(result.max_points)} points** "
             f"({result.checks_passed} of {len(result.checks)} checks passed)", ""]
    if result.error:
        lines += ["Your notebook could not be graded:" if not result.checks else "Note:", "",
                  safe.md_block(result.error), ""]
    notes = [f for f in result.flags if f.startswith(STUDENT_NOTES)]
    lines += [f"Note: {md(m)}" for m in notes]
    for check in result.checks:
        mark = "passed" if check.passed else "failed"
        lines += ["", f"## {md(check.cell_id)}: {mark} ({_number(check.points)} / "
                      f"{_number(check.max_points)})", "",
                  safe.md_block(check.message or mark)]
    return "\n".join(lines) + "\n"


def _slug(text):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", safe.text(text)).strip("_.") or "submission"


def write_feedback(results, folder):
    """One Markdown file per submission, ``<student>__<notebook stem>.md`` (``-2``, ``-3``...
    when a student has two notebooks of the same name)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    used = set()
    for r in sorted(results, key=lambda r: r.notebook):
        base = f"{_slug(r.student)}__{_slug(Path(r.notebook).stem)}"
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        atomic_write(folder / f"{name}.md", feedback_markdown(r).encode("utf-8"))


def write_gradescope(result, path):
    """Gradescope's ``results.json`` for one submission: a test per check."""
    data = {"score": _number(result.points), "output": safe.text(result.error or ""),
            "tests": [{"name": safe.text(c.cell_id), "score": _number(c.points),
                       "max_score": _number(c.max_points),
                       "status": "passed" if c.passed else "failed",
                       "output": safe.text(c.message)} for c in result.checks]}
    atomic_write(path, (json.dumps(data, indent=1) + "\n").encode("utf-8"))


def write_all(results, out):
    """The CSV ``out``, the XML next to it and the feedback folder ``<out stem>-feedback``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(results, out)
    write_junit(results, out.with_suffix(".xml"))
    write_feedback(results, out.parent / f"{out.stem}-feedback")
    return [out, out.with_suffix(".xml"), out.parent / f"{out.stem}-feedback"]


def summary(results, seconds):
    """The table printed at the end, and the throughput line."""
    rows = [(safe.line(r.notebook), safe.line(r.lab or "-"),
             f"{_number(r.points)}/{_number(r.max_points)}", f"{r.seconds:.0f}s",
             safe.line(first_line(r.first_failure, 70)) or "-") for r in results]
    head = ("notebook", "lab", "points", "time", "first failure")
    widths = [max(len(x[i]) for x in [head, *rows]) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[4]
             for r in [head, *rows]]
    rate = len(results) / (seconds / 60) if seconds > 0 else 0.0
    lines.append(f"{len(results)} submissions in {seconds:.0f} s ({rate:.1f} per minute)")
    return "\n".join(lines)


def merge(out, parts):
    """Combine the journals of shard runs (``parts``: their CSVs or journals) into the outputs
    of one run; returns the merged GradeResults."""
    results = {}
    for part in map(Path, parts):
        journal = part if part.suffix == ".jsonl" else part.with_suffix(".jsonl")
        if not journal.is_file():
            raise ValueError(f"parts: no journal {journal} (grade writes it next to its CSV)")
        results.update(read_journal(journal))
    merged = [results[k] for k in sorted(results)]
    write_all(merged, out)
    Path(out).with_suffix(".jsonl").write_text(
        "".join(json.dumps(GradeResult.to_json(r)) + "\n" for r in merged), encoding="utf-8")
    return merged
