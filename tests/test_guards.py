"""Tests of helpers.guards: a claim that fails raises under the test suite and only prints a
note on a student's run."""

import pytest

from helpers.guards import STRICT_ENV, text_numbers


def test_a_holding_claim_is_silent(capsys, monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)
    text_numbers(True, "the gap")
    text_numbers({"a": True, "b": True}, "the gap")
    assert capsys.readouterr().out == ""


def test_a_failing_claim_prints_one_line_on_a_students_run(capsys, monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)
    text_numbers({"dropout wins": False, "loss falls": True}, "the gap between the curves")
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "what matters is the gap between the curves" in out
    text_numbers(False, "an accuracy above 90%", why="with other settings this is expected")
    assert "with other settings this is expected" in capsys.readouterr().out


def test_under_the_test_suite_a_failing_claim_raises(monkeypatch):
    monkeypatch.setenv(STRICT_ENV, "1")
    with pytest.raises(AssertionError, match="dropout wins.*the gap.*run gave 95.1%"):
        text_numbers({"dropout wins": False}, "the gap", detail="run gave 95.1%")
    with pytest.raises(AssertionError, match="no longer matches"):
        text_numbers(False, "the gap")
