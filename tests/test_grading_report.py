"""Tests of the grader's outputs (helpers.instructor.grading.report) on made-up results: no
kernel, no sandbox, so they run everywhere."""

import csv
import json
import xml.etree.ElementTree as ET

import pytest

from helpers.instructor.grading.report import (
    CSV_COLUMNS,
    feedback_markdown,
    merge,
    summary,
    write_all,
    write_gradescope,
)
from helpers.instructor.grading.run import (
    CheckResult,
    GradeResult,
    Options,
    grade_paths,
    read_journal,
)


def results():
    ok = CheckResult("check-a", True, 2, 2, "✔ a: all 3 cases passed")
    bad = CheckResult("check-b", False, 0, 1, "b(x): wrong values in 1 of 3 entries\n  hint: x")
    return [
        GradeResult("subs/zoe/03_lab.ipynb", "zoe", "03_lab", [ok, bad], "",
                    ["ex-b uses helpers.activations"], 4.0),
        GradeResult("subs/al/03_lab.ipynb", "al", "03_lab", [ok, ok], "", [], 3.0),
        GradeResult("subs/al/old/03_lab.ipynb", "al", "03_lab", [bad, bad], "",
                    ["exercise cell missing: ex-a"], 3.0),
    ]


def test_csv_xml_and_feedback(tmp_path):
    out = tmp_path / "g.csv"
    write_all(results(), out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == CSV_COLUMNS
    assert [r["notebook"] for r in rows] == sorted(r["notebook"] for r in rows)
    zoe = next(r for r in rows if r["student"] == "zoe")
    assert (zoe["points"], zoe["max_points"], zoe["checks_passed"]) == ("2", "3", "1")
    assert zoe["first_failure"] == "check-b: b(x): wrong values in 1 of 3 entries"
    assert zoe["flags"] == "ex-b uses helpers.activations"
    suite = ET.parse(tmp_path / "g.xml").getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("6", "3")
    feedback = sorted(p.name for p in (tmp_path / "g-feedback").iterdir())
    assert feedback == ["al__03_lab-2.md", "al__03_lab.md", "zoe__03_lab.md"]  # no overwrite
    text = feedback_markdown(results()[2])
    assert "0 / 2 points" in text and "exercise cell missing: ex-a" in text


def test_gradescope_results_json(tmp_path):
    path = tmp_path / "results.json"
    write_gradescope(results()[0], path)
    data = json.loads(path.read_text())
    assert data["score"] == 2
    assert [(t["name"], t["score"], t["max_score"], t["status"]) for t in data["tests"]] == [
        ("check-a", 2, 2, "passed"), ("check-b", 0, 1, "failed")]
    assert "wrong values" in data["tests"][1]["output"]


def test_merge_gives_one_runs_outputs_and_journal_survives_a_torn_line(tmp_path):
    everything = results()
    one = tmp_path / "one" / "g.csv"
    write_all(everything, one)
    parts = []
    for k, chunk in enumerate((everything[:1], everything[1:]), start=1):
        part = tmp_path / f"part{k}" / "g.csv"
        write_all(chunk, part)
        part.with_suffix(".jsonl").write_text(
            "".join(json.dumps(r.to_json()) + "\n" for r in chunk) + '{"torn', encoding="utf-8")
        parts.append(part)
    merged = tmp_path / "merged.csv"
    assert len(merge(merged, parts)) == 3
    assert merged.read_text() == one.read_text()
    assert len(read_journal(merged.with_suffix(".jsonl"))) == 3


def test_summary_reports_throughput():
    text = summary(results(), seconds=30)
    assert text.splitlines()[-1] == "3 submissions in 30 s (6.0 per minute)"


def test_grade_paths_rejects_bad_shards_and_jobs(tmp_path):
    with pytest.raises(ValueError, match="shard"):
        grade_paths([tmp_path], {}, Options(), shard=(3, 2))
    with pytest.raises(ValueError, match="jobs"):
        grade_paths([tmp_path], {}, Options(), jobs=0)
