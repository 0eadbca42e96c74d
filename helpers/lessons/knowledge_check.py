"""Lesson 07_knowledge_check's mixed final: questions found in no lesson's quiz, in mixed
topic order, a live score at the end and, for every topic missed, a link to the lesson
section to review.

``KnowledgeCheck()``: ``.ask(1, 2, 3)`` displays questions 1-3 (a question about a figure
shows the figure first, with ``helpers.plots.show``); ``.answer(n, choice)`` checks one in
plain Python; ``.score()`` -> (correct, answered, total); ``.to_review()`` -> {topic: [(heading,
link)]} for the questions answered wrongly; ``.report`` is the score box (a widget that
updates after every check, plain text without a frontend).
Omits: saving answers between sessions.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import ipywidgets as widgets

from ..plots import show
from ..widgets.quiz import WidgetDisplay
from . import quiz_figures
from .quiz_bank import TOPICS, final_quizzes

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def lesson_headings(lesson):
    """The markdown headings ('## ...', '### ...') of a lesson notebook, without the #s."""
    cells = json.loads((NOTEBOOKS / lesson).read_text(encoding="utf-8"))["cells"]
    return [line.lstrip("#").strip() for c in cells if c["cell_type"] == "markdown"
            for line in "".join(c["source"]).splitlines() if line.startswith("##")]


def review_link(topic, words):
    """(heading, link) of the one heading of ``topic``'s lesson that contains ``words``; the
    link is the lesson's file with JupyterLab's anchor (the heading, spaces as '-')."""
    lesson = TOPICS[topic][1]
    found = [h for h in lesson_headings(lesson) if words in h]
    if len(found) != 1:
        raise ValueError(f"words: expected one heading of {lesson} containing {words!r}, "
                         f"found {found}")
    return found[0], f"{lesson}#{found[0].replace(' ', '-')}"


class KnowledgeCheck:
    """The final's questions (fresh quiz objects) and the score box that follows them."""

    def __init__(self):
        self.quizzes = final_quizzes()
        self.report = ScoreReport(self)
        for quiz in self.quizzes:
            quiz.on_check(self.report.update)

    def __len__(self):
        return len(self.quizzes)

    def _quiz(self, number):
        if not isinstance(number, int) or not 1 <= number <= len(self.quizzes):
            raise ValueError(f"number: expected a question number 1-{len(self.quizzes)}, "
                             f"got {number!r}")
        return self.quizzes[number - 1]

    def ask(self, *numbers):
        """Display the questions with these numbers (1-based), each after its figure."""
        from IPython.display import display

        for number in numbers:
            quiz = self._quiz(number)
            if quiz.figure:
                fig, alt = quiz_figures.draw(quiz.figure)
                show(alt, fig=fig)
            display(quiz)

    def answer(self, number, choice):
        """Check question ``number`` with ``choice`` (a letter or a number) and return the
        feedback text, as the widget's Check button does."""
        return self._quiz(number).check(choice)

    def score(self):
        """(answered correctly, answered, total) at the last check of each question."""
        answered = [q for q in self.quizzes if q.last_correct is not None]
        return sum(q.last_correct for q in answered), len(answered), len(self.quizzes)

    def to_review(self):
        """{topic: [(heading, link), ...]} for the questions whose last check was wrong."""
        sections = {}
        for quiz in self.quizzes:
            if quiz.last_correct is False:
                link = review_link(quiz.topic, quiz.review)
                if link not in sections.setdefault(quiz.topic, []):
                    sections[quiz.topic].append(link)
        return sections


class ScoreReport(WidgetDisplay):
    """The score line and the sections to review; redrawn after every check."""

    def __init__(self, check):
        self.check = check
        self.html = widgets.HTML(value=self._html())
        self.html.add_class("quiz-score")

    def update(self, _quiz=None):
        self.html.value = self._html()

    def lines(self):
        """The report as (text, link or None) lines."""
        right, answered, total = self.check.score()
        lines = [(f"Your score: {right} / {total} correct ({total - answered} not answered "
                  "yet).", None)]
        review = self.check.to_review()
        if not answered:
            lines.append(("Answer the questions above; this box then lists, for every topic "
                          "you miss, the lesson section to review.", None))
        elif not review:
            lines.append(("No topic missed so far.", None))
        for topic, sections in review.items():
            lines.append((f"To review for {TOPICS[topic][0]}:", None))
            lines += [(f"  {heading} ({link.split('#')[0]})", link)
                      for heading, link in sections]
        return lines

    def text(self):
        return "\n".join(text for text, _ in self.lines())

    def _html(self):
        parts = []
        for text, link in self.lines():
            body = html.escape(text.strip())
            if link:
                body = f"&nbsp;&nbsp;<a href='{html.escape(link)}'>{body}</a>"
            parts.append(f"<div>{body}</div>")
        return ("<div style='border-left:4px solid #0072B2; padding:4px 10px; "
                "line-height:1.5'>" + "".join(parts) + "</div>")

    @property
    def widget(self):
        return self.html
